# Helpers shared by the project's scripts: messages, paths and the pinned tool versions.
# Sourced, never run. Every script that sources it runs from the repository root.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Tools built for this project live in the user's cargo home (shared by every clone, so a second
# clone does not rebuild them); npm packages live in ./node_modules; scratch state in ./.tools.
CARGO_HOME_DIR=${CARGO_HOME:-$HOME/.cargo}
TOOLS_HOME="$CARGO_HOME_DIR/spip-tools"
SCRATCH="$ROOT/.tools"
mkdir -p "$SCRATCH"

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() {
  printf '\033[1;31mError:\033[0m %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '       %s\n' "$line" >&2; done
  exit 1
}

# Runs a command as root: directly when we are root, through sudo when it needs no password.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

# Installs Debian packages that are missing, in one bounded apt-get run.
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null ||
    die "These packages are needed but this is not a Debian-like system: ${missing[*]}" \
      "Install their equivalents with your package manager, then run this again."
  say "Installing Debian packages: ${missing[*]} (at most 15 minutes)"
  as_root true ||
    die "Installing ${missing[*]} needs root." "Run: sudo apt-get install -y ${missing[*]}"
  timeout 300 env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 ||
    as_root timeout 300 env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 ||
    die "apt-get update failed or timed out." "Check the network, then run this again."
  as_root timeout 900 env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    die "apt-get could not install: ${missing[*]}."
}

# The wasm-bindgen version that Cargo.lock resolved: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# A free TCP port on the loopback interface, chosen by the kernel.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True when something already listens on 127.0.0.1:$1.
port_in_use() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

# Says so at the start when the disk looks too small for a run: cargo's "No space left on device",
# deep in a build, does not say how much is needed. `need_mb` is what a run from a clean clone
# writes (build artefacts under target/, npm packages, tools); what is already built counts.
check_disk_space() {
  local need_mb=$1 free_mb built_mb=0
  free_mb=$(df -Pm "$ROOT" | awk 'NR == 2 { print $4 }')
  [[ $free_mb =~ ^[0-9]+$ ]] && ((free_mb < need_mb)) || return 0
  # What is already built needs no more room (a failed count, say files moving under a build
  # running beside this one, counts as nothing built).
  if [[ -d $ROOT/target ]]; then built_mb=$(du -sm "$ROOT/target" 2>/dev/null | cut -f1) || built_mb=0; fi
  [[ $built_mb =~ ^[0-9]+$ ]] || built_mb=0
  ((free_mb + built_mb < need_mb)) || return 0
  say "Only $free_mb MB free on the disk that holds $ROOT"
  note "A run from a clean clone writes about $need_mb MB, mostly build artefacts under target/;"
  note "it may stop with \"No space left on device\". Free some space if it does."
}
