//! Lists the server gives that are not synced records (a cohort's peers, the participants of a
//! register): asked for when there is a signal, and kept in `localStorage` so the page works
//! offline with the list as last seen. Sign-out forgets them all.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::sync::client::ClientError;

/// The prefix of every kept list's key.
const PREFIX: &str = "spip.kept.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The list kept under `name`, then the server's answer from `fetch` once it comes (and kept for
/// next time). The second signal holds why the server could not be asked, if it could not.
pub fn kept_list<T, F>(
    name: String,
    fetch: F,
) -> (RwSignal<Option<Vec<T>>>, RwSignal<Option<ClientError>>)
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Future<Output = Result<Vec<T>, ClientError>> + 'static,
{
    let key = format!("{PREFIX}{name}");
    let kept = storage()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok());
    let list = RwSignal::new(kept);
    let problem = RwSignal::new(None);
    spawn_local(async move {
        match fetch.await {
            Ok(found) => {
                if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&found)) {
                    let _ = storage.set_item(&key, &text);
                }
                problem.set(None);
                list.set(Some(found));
            }
            Err(error) => problem.set(Some(error)),
        }
    });
    (list, problem)
}

/// Forgets every kept list: they belong to the person signing out.
pub fn forget_all() {
    let Some(storage) = storage() else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}
