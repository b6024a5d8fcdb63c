//! What a page asks of the server rather than of the device (the people invited, an
//! application's reviewers, the overview, the open call's dates, the published reports): asked
//! again when the network comes back (on the browser's word, and by trying again, since a weak
//! signal or a captive portal can leave the browser saying it is online) or when the person asks,
//! and, when it cannot be had, a sentence saying why instead of a gap.

use std::future::Future;

use leptos::prelude::*;

use crate::components::needs_sign_in::SignInAgain;
use crate::state::session::use_session;
use crate::state::sync_status::{backoff, use_sync_status};
use crate::sync::client::ClientError;

/// An answer from the server, and the means to ask for it again.
pub struct ServerAnswer<T: 'static> {
    pub answer: LocalResource<Result<T, ClientError>>,
    again: RwSignal<u32>,
}

impl<T: 'static> Clone for ServerAnswer<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for ServerAnswer<T> {}

impl<T: 'static> ServerAnswer<T> {
    /// Asks the server now, again whenever the network comes back, after a wait that grows to a
    /// minute while it cannot be reached, whenever the sign-in changes (signing in again, here
    /// or in another tab, after the page was told the sign-in had ended) and whenever
    /// `ask_again` is called. Going offline leaves what was shown in place.
    pub fn new<Fut>(ask: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = Result<T, ClientError>> + 'static,
    {
        let again = RwSignal::new(0_u32);
        // Failed tries in a row, for the wait before the next.
        let unreached = StoredValue::new(0_u32);
        let online = use_sync_status().online;
        Effect::new(move |was_online: Option<bool>| {
            let now = online.get();
            if was_online == Some(false) && now {
                // A new network: ask at once, and wait from the start again if it fails.
                unreached.set_value(0);
                again.update(|n| *n += 1);
            }
            now
        });
        // `ask` reads the token when it asks; a new token is a reason to ask again.
        let session = use_session().0;
        let token = Memo::new(move |_| session.with(|s| s.as_ref().map(|s| s.token.clone())));
        let answer = LocalResource::new(move || {
            again.track();
            token.track();
            ask()
        });
        let planned = StoredValue::new(None::<TimeoutHandle>);
        let cancel = move || {
            if let Some(Some(handle)) = planned.try_update_value(Option::take) {
                handle.clear();
            }
        };
        Effect::new(move |_| {
            let offline = answer.with(|found| matches!(found, Some(Err(ClientError::Offline))));
            cancel();
            if !offline {
                unreached.set_value(0);
                return;
            }
            let wait = backoff(unreached.get_value());
            unreached.update_value(|n| *n += 1);
            let ask_again = move || {
                again.try_update(|n| *n += 1);
            };
            planned.set_value(set_timeout_with_handle(ask_again, wait).ok());
        });
        on_cleanup(cancel);
        Self { answer, again }
    }

    /// Asks the server once more (after a change there, or when the person asks).
    pub fn ask_again(&self) {
        self.again.update(|n| *n += 1);
    }

    /// Why the answer could not be had: `offline` says what the page needs the network for; a
    /// session that has ended asks for a sign-in (asking again could not help); any other
    /// failure gives the server's reason and a button to try again.
    pub fn not_answered(&self, error: ClientError, offline: &'static str) -> AnyView {
        match error {
            ClientError::Offline => {
                return view! { <p class="nhsuk-inset-text">{offline}</p> }.into_any();
            }
            ClientError::SignedOut => {
                return view! {
                    <p class="nhsuk-inset-text">
                        "Your sign-in on this device has ended, so the server will not show this. "
                        <SignInAgain />
                        " to see it; nothing kept on this device is lost."
                    </p>
                }
                .into_any();
            }
            ClientError::Refused(_) => {}
        }
        let this = *self;
        view! {
            <div class="nhsuk-inset-text">
                <p>{error.to_string()}</p>
                <button class="nhsuk-button nhsuk-button--secondary" type="button"
                    on:click=move |_| this.ask_again()>"Try again"</button>
            </div>
        }
        .into_any()
    }
}
