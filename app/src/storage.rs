//! The app's IndexedDB: one database per signed-in person, holding the records they may see,
//! the outbox of changes the server has not yet acknowledged, and the sync cursor. Nothing else
//! in the app touches IndexedDB directly.

mod edits;
mod in_flight;
mod receipts;
mod schema;
mod sync_state;

pub use edits::{
    OpState, OutboxEntry, SavedEdit, all_records, discard, export_all, pending_ops, record, retry,
    save_choice, save_edit, set_state,
};
pub use indexed_db_futures::database::Database;
pub use receipts::{Receipt, prune as prune_receipts, receipt};
pub use schema::{SCHEMA_VERSION, open, open_at};
pub use sync_state::{
    PulledPage, apply_pull, begin_push, cursor, finish_push, open_conflicts, this_device,
};

/// Saves an edit like `save_edit` (or, with `settles`, a value chosen for that conflict, like
/// `save_choice`), made on revision `based_on` at most (`edits::save`); when the
/// connection turns out to be dead, drops that handle, opens the database `name` afresh into
/// `db` and tries once more. It never retries on the dead handle, and never more than once.
pub async fn save_reopening(
    db: &mut Database,
    name: &str,
    edit: (spip_shared::record::RecordKind, spip_shared::ids::RecordId, spip_shared::ids::RecordId),
    patch: serde_json::Map<String, serde_json::Value>,
    now: time::OffsetDateTime,
    settles: Option<spip_shared::ids::ConflictId>,
    based_on: Option<u64>,
) -> Result<SavedEdit, StorageError> {
    let save =
        async |db: &Database, patch| edits::save(db, edit, patch, now, settles, based_on).await;
    match save(db, patch.clone()).await {
        Err(StorageError::Lost(_)) => {
            *db = open(name).await?;
            save(db, patch).await
        }
        other => other,
    }
}

/// Deletes the person's database from this device (on sign-out). The browser finishes it once
/// every open handle has closed; the app closes its handles after each use.
pub fn delete(name: &str) {
    if let Some(factory) = web_sys::window().and_then(|window| window.indexed_db().ok().flatten()) {
        let _ = factory.delete_database(name);
    }
}

/// Options for the sync steps that can simply be done again (recording answers, applying pulled
/// pages): `relaxed` durability. Each is still one atomic transaction; a crash can only lose the
/// whole of one, and then its ops are re-sent under the same ids, which the server answers from
/// their stored results, or its page is pulled again from the cursor stored with it. Taking ops
/// to send is not one of them (`begin_push`).
fn relaxed() -> indexed_db_futures::transaction::TransactionOptions {
    let mut options = indexed_db_futures::transaction::TransactionOptions::new();
    options.set_durability(indexed_db_futures::transaction::TransactionDurability::Relaxed);
    options
}

/// Options for every write of what a person typed: `strict` durability, so a committed
/// transaction has reached the disk before the app says "Saved on this device" (Chrome otherwise
/// reports it sooner).
fn durable() -> indexed_db_futures::transaction::TransactionOptions {
    let mut options = indexed_db_futures::transaction::TransactionOptions::new();
    options.set_durability(indexed_db_futures::transaction::TransactionDurability::Strict);
    options
}

/// How many saved changes wait for the network, in words.
fn waiting(unsynced: usize) -> String {
    match unsynced {
        0 => "Every saved change has been sent".into(),
        1 => "1 saved change is waiting to be sent".into(),
        n => format!("{n} saved changes are waiting to be sent"),
    }
}

/// What can go wrong with the device's storage, in words for the person using the app.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The device is out of space: nothing of the last change was written.
    #[error(
        "This device is out of storage space, so your last change was not saved; it is still in the form. {}; free some space, then try again.",
        waiting(*unsynced)
    )]
    Full { unsynced: usize },
    /// The connection to the database closed or was lost (Safari: "Connection to Indexed
    /// Database server lost"; another tab upgrading it): the handle is dead, open a new one.
    #[error("The connection to this device's storage was lost ({0}). Try again.")]
    Lost(String),
    /// A rule refused the value, so nothing was written; the message names what to do.
    #[error("{}", .0.message)]
    Refused(spip_shared::validation::FieldError),
    /// The database was upgraded by a newer version of the app in another tab or window, so
    /// this older page cannot open it: reloading brings the new version.
    #[error(
        "SPIP Innovators was updated in another tab or window, so this page can no longer save. Copy anything you typed here that is not saved yet, then reload this page; everything saved is kept on this device."
    )]
    Outdated,
    /// The browser refused the database.
    #[error(
        "This device's storage is not available right now ({0}). Your earlier changes are kept; try again."
    )]
    Unavailable(String),
}

impl StorageError {
    /// Sorts a browser error: a full disk (a QuotaExceededError, or an AbortError caused by
    /// one), a dead connection, or anything else.
    fn from_text(text: String) -> Self {
        let lower = text.to_lowercase();
        if lower.contains("quotaexceeded") || (lower.contains("abort") && lower.contains("quota")) {
            StorageError::Full { unsynced: 0 }
        } else if lower.contains("connection to indexed database server lost")
            || lower.contains("connection is closing")
            || lower.contains("invalidstateerror")
        {
            StorageError::Lost(text)
        } else {
            StorageError::Unavailable(text)
        }
    }
}

/// `items` as JS values to store, the same shape `.serde()` writes (maps as plain objects)
/// except that a cleared field is null, not `undefined`. Every record and outbox entry is
/// written this way (entries kept from earlier versions may still hold `undefined`). Made by one
/// JSON text that the browser parses: building each value field by field across the boundary,
/// as `.serde()` does, takes several times longer for a page of hundreds.
fn as_js_values<T: serde::Serialize>(items: &[T]) -> Result<js_sys::Array, StorageError> {
    let text = serde_json::to_string(items)
        .map_err(|error| StorageError::Unavailable(error.to_string()))?;
    let parsed = js_sys::JSON::parse(&text)
        .map_err(|error| StorageError::Unavailable(format!("{error:?}")))?;
    Ok(wasm_bindgen::JsCast::unchecked_into(parsed))
}

/// What may be read back by `from_js_values`: stored records, whose missing field reads as empty
/// just as null does. Outbox entries are deliberately not among them (see `from_js_values`).
trait ReadAsJson: serde::de::DeserializeOwned {}
impl ReadAsJson for spip_shared::record::StoredRecord {}
impl ReadAsJson for Option<spip_shared::record::StoredRecord> {}

/// Stored records read back by the reverse route of `as_js_values`: one JSON text made by the
/// browser, read by `serde_json`. JSON text leaves out a property whose value is `undefined`,
/// which is how `.serde()` writes a cleared field; a record's missing field reads as empty, as
/// null does, but an outbox entry's would turn "clear this" into "change nothing", so only
/// `ReadAsJson` types are read this way.
fn from_js_values<T: ReadAsJson>(
    values: impl IntoIterator<Item = wasm_bindgen::JsValue>,
) -> Result<Vec<T>, StorageError> {
    let array: js_sys::Array = values.into_iter().collect();
    let text = js_sys::JSON::stringify(&array)
        .map_err(|error| StorageError::Unavailable(format!("{error:?}")))?;
    serde_json::from_str(&String::from(text))
        .map_err(|error| StorageError::Unavailable(error.to_string()))
}

/// Commits `tx`. When the browser aborted it, the library says only that; the transaction's own
/// error says why (a QuotaExceededError when the device is full), so that is what is reported.
async fn commit(tx: indexed_db_futures::transaction::Transaction<'_>) -> Result<(), StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    let raw: web_sys::IdbTransaction = tx.as_sys().clone().into();
    match tx.commit().await {
        Ok(()) => Ok(()),
        Err(error) => Err(match raw.error() {
            Some(cause) => {
                StorageError::from_text(format!("{}: {}", cause.name(), cause.message()))
            }
            None => error.into(),
        }),
    }
}

/// Puts every value of `values` into `store` without awaiting each one. The browser runs a
/// transaction's requests in order, and a failed one aborts the whole transaction, which its
/// commit then reports; awaiting each request through the library instead costs two closures and
/// a channel per record, which dominates storing a pulled page of a thousand.
fn put_all(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    values: &js_sys::Array,
) -> Result<(), StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    let store = store.as_sys();
    for value in values.iter() {
        store.put(&value).map_err(|error| StorageError::from_text(format!("{error:?}")))?;
    }
    Ok(())
}

/// Deletes these keys from `store` in the same way as `put_all`.
fn delete_all(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    keys: impl IntoIterator<Item = String>,
) -> Result<(), StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    let store = store.as_sys();
    for key in keys {
        store
            .delete(&wasm_bindgen::JsValue::from_str(&key))
            .map_err(|error| StorageError::from_text(format!("{error:?}")))?;
    }
    Ok(())
}

/// The results of `requests`, issued in this order in one transaction, awaiting only the last:
/// the browser answers a transaction's requests in order, so once the last has its result, every
/// one before it has too (a failed request aborts the transaction, and those after it fail).
/// Awaiting each through the library instead costs two closures and a channel per request, which
/// dominates reading a push's hundred answers' records.
async fn results_of(
    requests: Vec<web_sys::IdbRequest>,
) -> Result<Vec<wasm_bindgen::JsValue>, StorageError> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    /// The callbacks on the last request, taken off again however the wait ends (even when the
    /// waiting future is dropped), so the browser never calls a freed closure.
    struct Waiting<'a> {
        request: &'a web_sys::IdbRequest,
        _callbacks: [Closure<dyn FnMut()>; 2],
    }
    impl Drop for Waiting<'_> {
        fn drop(&mut self) {
            self.request.set_onsuccess(None);
            self.request.set_onerror(None);
        }
    }

    let Some(last) = requests.last() else { return Ok(Vec::new()) };
    let (sender, settled) = futures::channel::oneshot::channel::<()>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let settle = move || {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(());
        }
    };
    let callbacks = [Closure::<dyn FnMut()>::new(settle.clone()), Closure::new(settle)];
    last.set_onsuccess(Some(callbacks[0].as_ref().unchecked_ref()));
    last.set_onerror(Some(callbacks[1].as_ref().unchecked_ref()));
    let waiting = Waiting { request: last, _callbacks: callbacks };
    let _ = settled.await;
    drop(waiting);
    // When the last failed, the first request that failed says why (a full disk, say); the
    // ones after it only say they were aborted.
    if matches!(last.error(), Ok(Some(_))) {
        let cause = requests.iter().find_map(|request| request.error().ok().flatten());
        if let Some(error) = cause {
            return Err(StorageError::from_text(format!("{}: {}", error.name(), error.message())));
        }
    }
    requests
        .iter()
        .map(|request| {
            request.result().map_err(|error| StorageError::from_text(format!("{error:?}")))
        })
        .collect()
}

/// The results of exactly `N` requests, as `results_of` gives them, to take apart by position.
async fn results_as<const N: usize>(
    requests: Vec<web_sys::IdbRequest>,
) -> Result<[wasm_bindgen::JsValue; N], StorageError> {
    exactly(results_of(requests).await?)
}

/// `N` results, to take apart by position; an error when there are more or fewer.
fn exactly<const N: usize>(
    results: Vec<wasm_bindgen::JsValue>,
) -> Result<[wasm_bindgen::JsValue; N], StorageError> {
    results.try_into().map_err(|_| {
        StorageError::Unavailable("not every read of the device's storage answered".into())
    })
}

/// Asks `store` for the value under each of `keys`, as `results_of` awaits them.
fn get_each(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    keys: impl IntoIterator<Item = String>,
) -> Result<Vec<web_sys::IdbRequest>, StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    let store = store.as_sys();
    keys.into_iter()
        .map(|key| {
            store
                .get(&wasm_bindgen::JsValue::from_str(&key))
                .map_err(|error| StorageError::from_text(format!("{error:?}")))
        })
        .collect()
}

/// Puts `value` into `store` (one without a key path) under `key`, as `put_all` does.
fn put_under(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    key: &str,
    value: &wasm_bindgen::JsValue,
) -> Result<(), StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    store
        .as_sys()
        .put_with_key(value, &wasm_bindgen::JsValue::from_str(key))
        .map(|_| ())
        .map_err(|error| StorageError::from_text(format!("{error:?}")))
}

/// Asks `store` how many values it holds, as `results_of` awaits it.
fn count_of(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<web_sys::IdbRequest, StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    store.as_sys().count().map_err(|error| StorageError::from_text(format!("{error:?}")))
}

/// Asks `store` for every value it holds, as `results_of` awaits them.
fn get_all_of(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<web_sys::IdbRequest, StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    store.as_sys().get_all().map_err(|error| StorageError::from_text(format!("{error:?}")))
}

/// Asks `index` for its values in key order (the first `limit` of them, if given), as
/// `results_of` awaits them.
fn get_all_in_order(
    index: &indexed_db_futures::index::Index<'_>,
    limit: Option<u32>,
) -> Result<web_sys::IdbRequest, StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    let index = index.as_sys();
    match limit {
        Some(limit) => index.get_all_with_key_and_limit(&wasm_bindgen::JsValue::NULL, limit),
        None => index.get_all(),
    }
    .map_err(|error| StorageError::from_text(format!("{error:?}")))
}

/// Asks `index` for every value under `key`, as `results_of` awaits them.
fn get_all_under(
    index: &indexed_db_futures::index::Index<'_>,
    key: &str,
) -> Result<web_sys::IdbRequest, StorageError> {
    use indexed_db_futures::internals::SystemRepr;
    index
        .as_sys()
        .get_all_with_key(&wasm_bindgen::JsValue::from_str(key))
        .map_err(|error| StorageError::from_text(format!("{error:?}")))
}

impl From<serde_wasm_bindgen::Error> for StorageError {
    fn from(error: serde_wasm_bindgen::Error) -> Self {
        StorageError::Unavailable(error.to_string())
    }
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        StorageError::from_text(format!("{error:?}"))
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        use indexed_db_futures::error::{DomException, Error, OpenDbError};
        match &error {
            // The database is at a newer version than this build opens.
            OpenDbError::Base(Error::DomException(DomException::Other(exception)))
                if exception.name() == "VersionError" =>
            {
                StorageError::Outdated
            }
            _ => StorageError::Unavailable(error.to_string()),
        }
    }
}
