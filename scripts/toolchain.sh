# Finds or installs every tool the build and the tests need, and says what it is doing.
# Sourced after lib.sh. Each `ensure_*` is cheap when its tool is already there.

WASM_TARGET=wasm32-unknown-unknown
WASM_MODE=""  # "rustup" (the target is installed) or "debian" (rustc-web with std from source)

# Chooses how to compile for wasm32: rustup's target where it can be had, otherwise Debian's
# rustc-web, which has no prebuilt wasm32 std but builds one from rust-web-src.
ensure_wasm_toolchain() {
  [[ -n $WASM_MODE ]] && return 0
  # SPIP_WASM_TOOLCHAIN=debian forces the route that machines without rustup downloads take.
  if [[ ${SPIP_WASM_TOOLCHAIN:-} == debian ]]; then
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22
    WASM_MODE=debian
    return 0
  fi
  if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    WASM_MODE=rustup
    return 0
  fi
  # `rustup target add` hangs where there is no route to static.rust-lang.org; ask first, briefly.
  if command -v rustup >/dev/null && [[ ! -f $SCRATCH/rustup-unreachable ]] &&
    timeout 8 python3 -c 'import socket; socket.create_connection(("static.rust-lang.org", 443), 5)' 2>/dev/null; then
    say "Adding the $WASM_TARGET target with rustup (at most 3 minutes)"
    if timeout 180 rustup target add "$WASM_TARGET" >&2; then
      WASM_MODE=rustup
      return 0
    fi
    note "rustup could not add the target; using Debian's Rust instead."
  fi
  # Remembered for an hour, so an offline machine does not wait on the probe at every run.
  touch "$SCRATCH/rustup-unreachable"
  find "$SCRATCH/rustup-unreachable" -mmin +60 -delete 2>/dev/null || true
  if [[ ! -x /usr/bin/rustc ]] || ! /usr/bin/rustc --version 2>/dev/null | grep -q '1\.9[0-9]' ||
    [[ ! -d /usr/lib/rustlib/src/rust/library ]] || [[ ! -x /usr/bin/rust-lld ]]; then
    say "rustup has no $WASM_TARGET target here; installing Debian's Rust for the web to build one"
  fi
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22
  [[ -d /usr/lib/rustlib/src/rust/library ]] || die "rust-web-src did not provide the std sources."
  WASM_MODE=debian
}

# Runs cargo for wasm32 with the chosen toolchain. With rustup's target it shares the native
# build's target folder (`CARGO_TARGET_DIR` where that is set), so the proc macros and build
# scripts both need are compiled and stored once; Debian's compiler has a folder of its own, to
# keep the two compilers' artefacts apart.
# Usage: wasm_cargo build|clippy|test [cargo args...]
wasm_cargo() {
  ensure_wasm_toolchain
  local command=$1
  shift
  if [[ $WASM_MODE == rustup ]]; then
    cargo "$command" --target "$WASM_TARGET" --target-dir "${CARGO_TARGET_DIR:-target}" "$@"
  else
    local cargo_command=(/usr/bin/cargo "$command")
    [[ $command == clippy ]] && cargo_command=(/usr/bin/cargo-clippy clippy)
    env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
      CLIPPY_DRIVER=/usr/bin/clippy-driver \
      "${cargo_command[@]}" --target "$WASM_TARGET" --target-dir target/wasm-debian \
      -Zbuild-std=std,panic_abort "$@"
  fi
}

# Where wasm_cargo puts its artefacts.
wasm_target_dir() {
  ensure_wasm_toolchain
  if [[ $WASM_MODE == rustup ]]; then echo "${CARGO_TARGET_DIR:-target}/$WASM_TARGET"; else echo "target/wasm-debian/$WASM_TARGET"; fi
}

# wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version, built once into the cargo home.
ensure_wasm_bindgen() {
  local version
  version=$(wasm_bindgen_version)
  [[ -n $version ]] || die "Cargo.lock names no wasm-bindgen version."
  WASM_BINDGEN_DIR="$TOOLS_HOME/wasm-bindgen-$version/bin"
  if [[ ! -x $WASM_BINDGEN_DIR/wasm-bindgen ]]; then
    say "Building wasm-bindgen-cli $version (once; about 6 minutes on 2 cores)"
    # Without --locked: the CLI's own lockfile pins a crate version that is no longer published.
    timeout 1800 cargo install wasm-bindgen-cli --version "$version" \
      --root "$TOOLS_HOME/wasm-bindgen-$version" >&2 ||
      die "Could not build wasm-bindgen-cli $version." "Check that crates.io can be reached."
  fi
  export WASM_BINDGEN="$WASM_BINDGEN_DIR/wasm-bindgen"
  export WASM_BINDGEN_TEST_RUNNER="$WASM_BINDGEN_DIR/wasm-bindgen-test-runner"
}

# wrangler, binaryen's wasm-opt, Playwright and the NHS styles, at the versions in package-lock.json.
ensure_node_packages() {
  command -v node >/dev/null && command -v npm >/dev/null ||
    die "Node.js 20 or newer (with npm) is needed." "Install it (e.g. apt-get install nodejs npm), then run this again."
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  ((major >= 20)) || die "Node.js $major is too old; wrangler needs Node.js 20 or newer."
  local stamp="node_modules/.spip-lock-stamp"
  if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
    say "Installing the pinned npm packages (npm ci)"
    timeout 900 npm ci --no-audit --no-fund --loglevel=error >&2 ||
      die "npm ci failed." "Check that the npm registry can be reached, then run this again."
    cp package-lock.json "$stamp"
  fi
  export WASM_OPT="$ROOT/node_modules/binaryen/bin/wasm-opt"
  export WRANGLER="$ROOT/node_modules/.bin/wrangler"
}

# Debian's Chromium and chromedriver, for the browser tests and screenshots.
ensure_chromium() {
  if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    apt_install chromium chromium-driver
  fi
  export CHROMIUM=/usr/bin/chromium CHROMEDRIVER=/usr/bin/chromedriver
}
