//! The copy of unwritten words in `localStorage`, in a real browser: each page keeps its own, a
//! page takes over another's only once the browser says that page has gone, a copy that cannot
//! be kept leaves none older behind, and signing out forgets every copy of the person's.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use spip_app::state::editor::sleep;
use spip_app::state::{unwritten, web_locks};
use spip_shared::ids::UserId;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .expect("localStorage")
}

/// Keeps `words` as `page`'s copy of `person`'s changes, as that page would.
fn kept_by(page: &str, person: &UserId, words: &str) {
    let text = serde_json::to_string(&[words]).expect("JSON");
    storage().set_item(&format!("spip.unwritten.{person}.{page}"), &text).expect("kept");
}

#[wasm_bindgen_test]
fn each_page_keeps_its_own_copy_and_sees_the_others() {
    let (person, someone_else) = (UserId::new(), UserId::new());
    unwritten::keep(&person, &["typed here"]);
    kept_by("other-page", &person, "typed there");
    kept_by("their-page", &someone_else, "theirs");

    let here: Vec<String> = unwritten::read(&person, &unwritten::this_page());
    assert_eq!(here, ["typed here"]);
    assert_eq!(unwritten::other_pages(&person), ["other-page"]);
    let there: Vec<String> = unwritten::read(&person, "other-page");
    assert_eq!(there, ["typed there"]);

    // Once everything is written, the page keeps no copy.
    unwritten::keep::<String>(&person, &[]);
    assert!(unwritten::read::<String>(&person, &unwritten::this_page()).is_empty());

    // Signing out forgets the person's copies, of every page, and no one else's.
    unwritten::forget_all(&person);
    assert!(unwritten::other_pages(&person).is_empty());
    assert_eq!(unwritten::other_pages(&someone_else), ["their-page"]);
    unwritten::forget_all(&someone_else);
}

#[wasm_bindgen_test]
async fn a_copy_is_taken_over_only_once_its_page_has_gone() {
    // A page still open holds its lock; this test stands in for it.
    let page = format!("open-{}", UserId::new());
    let release: Rc<Cell<Option<js_sys::Function>>> = Rc::default();
    let kept = release.clone();
    web_locks::request(&format!("spip-page:{page}"), move || {
        Some(js_sys::Promise::new(&mut |resolve, _| kept.set(Some(resolve))))
    });
    sleep(Duration::from_millis(50)).await;

    let (person, next_person) = (UserId::new(), UserId::new());
    let taken = Rc::new(Cell::new(0));
    let counted = taken.clone();
    unwritten::when_gone(person, page.clone(), move || counted.set(counted.get() + 1));
    // Asked twice, it is still taken over once.
    let counted = taken.clone();
    unwritten::when_gone(person, page.clone(), move || counted.set(counted.get() + 1));
    // The copy the page kept for someone who signed in there after is taken over too.
    let theirs = Rc::new(Cell::new(0));
    let counted = theirs.clone();
    unwritten::when_gone(next_person, page.clone(), move || counted.set(counted.get() + 1));
    sleep(Duration::from_millis(200)).await;
    assert_eq!((taken.get(), theirs.get()), (0, 0), "the page is still open");

    let release = release.take().expect("the lock was granted");
    release.call0(&JsValue::UNDEFINED).expect("let go");
    sleep(Duration::from_millis(200)).await;
    assert_eq!((taken.get(), theirs.get()), (1, 1), "the page has gone");

    // A page that closed before anyone asked is taken over at once.
    let counted = taken.clone();
    unwritten::when_gone(person, "closed-long-ago".into(), move || counted.set(counted.get() + 1));
    sleep(Duration::from_millis(200)).await;
    assert_eq!(taken.get(), 2);
}

#[wasm_bindgen_test]
fn a_copy_that_cannot_be_kept_leaves_no_older_copy_behind() {
    let person = UserId::new();
    assert!(unwritten::keep(&person, &["older words"]));
    // Fill this site's `localStorage` until it refuses more.
    let storage = storage();
    let mut filler = "x".repeat(1 << 20);
    let mut filled = 0;
    while filler.len() > 1 {
        if storage.set_item(&format!("filler-{filled}"), &filler).is_ok() {
            filled += 1;
        } else {
            filler.truncate(filler.len() / 2);
        }
    }
    let kept = unwritten::keep(&person, &["newer words, longer than the space left ".repeat(50)]);
    for index in 0..filled {
        storage.remove_item(&format!("filler-{index}")).expect("removed");
    }

    assert!(!kept, "the page is told the copy was not kept");
    // The next page finds no copy, rather than the older words to write over the newer.
    assert!(unwritten::read::<String>(&person, &unwritten::this_page()).is_empty());
}
