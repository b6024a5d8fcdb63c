//! Starts the app in the browser; everything else lives in the library.

fn main() {
    spip_app::start();
}
