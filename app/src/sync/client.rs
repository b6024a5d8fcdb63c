//! The Worker's API over HTTP, with its answers as `shared` types.

use spip_shared::validation::FieldError;
use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use spip_shared::api::{
    self, Email, ErrorResponse, RequestCodeRequest, SessionResponse, VerifyCodeRequest,
};
use spip_shared::sync::{PushRequest, PushResponse};

use super::body;
use crate::storage::PulledPage;

/// Why a call did not give its answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// No network, or the server could not be reached: try again later.
    #[error(
        "You are offline. Your work is kept on this device and will be sent when you are back online."
    )]
    Offline,
    /// The session is over: sign in again (nothing on the device is lost).
    #[error("Sign in again to send your changes. They are kept on this device.")]
    SignedOut,
    /// The server answered with an error meant for the person.
    #[error("{}", .0.message)]
    Refused(ErrorResponse),
}

impl ClientError {
    /// Said when an action that is not kept on the device (inviting someone, assigning a
    /// reviewer, an export) could not be done: unlike an edit, nothing waits to be sent.
    pub fn not_sent(&self) -> String {
        match self {
            // The request may have been lost on its way back, after the server did it: asking
            // again is safe (each of these does nothing twice), so say that.
            ClientError::Offline => {
                "The server could not be reached, so this may not have been done. Try again when you have a signal.".into()
            }
            // Nothing of it is kept to send later, whatever the status line says of edits.
            ClientError::SignedOut => {
                "Your sign-in on this device has ended, so this was not done. Sign in again, then try again.".into()
            }
            error => error.to_string(),
        }
    }

    /// The problem to show on a form whose action is not kept on the device: on the field the
    /// server names; anything else (no network, an ended sign-in, a refusal of the request as a
    /// whole) is about no field, and shows only in the error summary, so no answer is marked
    /// as wrong that is not.
    pub fn as_problem(&self) -> FieldError {
        match self {
            ClientError::Refused(ErrorResponse { field: Some(field), message, .. }) => {
                FieldError::new(field.clone(), message.clone())
            }
            error => FieldError::whole_form(error.not_sent()),
        }
    }
}

/// The response when it is a success; otherwise why not.
async fn checked(response: Result<Response, gloo_net::Error>) -> Result<Response, ClientError> {
    let response = response.map_err(|_| ClientError::Offline)?;
    if response.status() == 401 {
        return Err(ClientError::SignedOut);
    }
    if !response.ok() {
        return Err(refusal(response).await);
    }
    Ok(response)
}

/// Why the server refused, in its own words; an answer that is not the Worker's own (a gateway's
/// error page) is still an answer: the network is there, the server is not well.
async fn refusal(response: Response) -> ClientError {
    let status = response.status();
    ClientError::Refused(response.json::<ErrorResponse>().await.unwrap_or_else(|_| ErrorResponse {
        code: "server_unavailable".into(),
        field: None,
        message: format!("The server could not answer (error {status}). Try again shortly."),
    }))
}

/// How long a request may wait for the server to start answering. Past this the connection is
/// taken as lost (a laptop that slept mid-request, a connection left half-open) and a sync round
/// ends as offline, to be tried again, instead of "Sending and receiving changes…" for ever.
/// Generous, because the wait includes sending: a push of 256 KB takes about 40 s at 50 kbit/s,
/// a weak signal's speed.
const ANSWER_WITHIN: Duration = Duration::from_secs(120);

/// How long an answer that has begun may go without any more of it arriving. A long page keeps
/// arriving on a slow line and may take as long as it needs; one that stops is let go, and the
/// round tried again, rather than waited on for as long as the connection stays open.
const ARRIVING_WITHIN: Duration = Duration::from_secs(60);

/// How long a page's question (a list of people, the overview, the open call's dates) waits for
/// its answer to begin. Nothing large is sent and the server answers these at once, so a longer
/// wait is a lost request (a server or network that took it and never answered); the page asks
/// again (`ServerAnswer`) rather than showing "Asking the server…" for two minutes. An export,
/// which the server takes longer to make, waits as long as a push.
const READ_ANSWERED_WITHIN: Duration = Duration::from_secs(20);

/// Sends what `build` makes of `request`, giving up if no answer has begun within
/// `answered_within` or if it then stops arriving for `ARRIVING_WITHIN`; the answer comes with
/// its body read. Every request goes this way, so no page waits for ever on one.
async fn send_within(
    request: RequestBuilder,
    build: impl FnOnce(RequestBuilder) -> Result<Request, gloo_net::Error>,
    answered_within: Duration,
) -> Result<Response, gloo_net::Error> {
    let response = match web_sys::AbortController::new() {
        Err(_) => build(request)?.send().await?,
        Ok(controller) => {
            let request = build(request.abort_signal(Some(&controller.signal())))?;
            let limit = leptos::prelude::set_timeout_with_handle(
                move || controller.abort(),
                answered_within,
            );
            let response = request.send().await;
            if let Ok(limit) = limit {
                limit.clear();
            }
            response?
        }
    };
    body::whole(response.into(), ARRIVING_WITHIN).await.map(Response::from).map_err(|unread| {
        gloo_net::Error::GlooError(format!("the answer was not read: {unread:?}"))
    })
}

async fn answer<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    checked(response).await?.json::<T>().await.map_err(|_| ClientError::Offline)
}

async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    token: Option<&str>,
) -> Result<T, ClientError> {
    let mut request = Request::post(path);
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    answer(send_within(request, |request| request.json(body), ANSWER_WITHIN).await).await
}

/// Asks for a sign-in code to be sent to `email`.
pub async fn request_code(email: Email) -> Result<(), ClientError> {
    post::<_, serde_json::Value>(api::REQUEST_CODE_PATH, &RequestCodeRequest { email }, None)
        .await
        .map(|_| ())
}

/// Exchanges the code for a session.
pub async fn verify_code(email: Email, code: String) -> Result<SessionResponse, ClientError> {
    post(api::VERIFY_CODE_PATH, &VerifyCodeRequest { email, code }, None).await
}

/// Sends operations.
pub async fn push(token: &str, request: &PushRequest) -> Result<PushResponse, ClientError> {
    post(api::PUSH_PATH, request, Some(token)).await
}

/// One page of changes after `cursor`, read as `PulledPage` (a `PullResponse` whose records
/// stay as the browser parsed them, straight from the response's body).
pub async fn pull(token: &str, cursor: u64) -> Result<PulledPage, ClientError> {
    let url = format!("{}?cursor={cursor}", api::PULL_PATH);
    let request = Request::get(&url).header("authorization", &format!("Bearer {token}"));
    let response = web_sys::Response::from(
        checked(send_within(request, |request| request.build(), ANSWER_WITHIN).await).await?,
    );
    let parsed = response.json().map_err(|_| ClientError::Offline)?;
    let page =
        wasm_bindgen_futures::JsFuture::from(parsed).await.map_err(|_| ClientError::Offline)?;
    PulledPage::from_parsed(&page).map_err(|_| ClientError::Offline)
}

/// Ends the session on the server too (best effort: the device forgets it either way).
pub async fn sign_out(token: &str) {
    let request =
        Request::post(api::SIGN_OUT_PATH).header("authorization", &format!("Bearer {token}"));
    let _ = send_within(request, RequestBuilder::build, ANSWER_WITHIN).await;
}

/// The cohorts of the open call, with their windows by the server's clock.
pub async fn public_cohorts() -> Result<Vec<api::PublicCohort>, ClientError> {
    answer(
        send_within(
            Request::get(api::PUBLIC_COHORTS_PATH),
            RequestBuilder::build,
            READ_ANSWERED_WITHIN,
        )
        .await,
    )
    .await
}

async fn get<T: DeserializeOwned>(path: &str, token: &str) -> Result<T, ClientError> {
    let request = Request::get(path).header("authorization", &format!("Bearer {token}"));
    answer(send_within(request, RequestBuilder::build, READ_ANSWERED_WITHIN).await).await
}

/// The people the programme team invited (the team only).
pub async fn people(token: &str) -> Result<Vec<api::Person>, ClientError> {
    get(api::PEOPLE_PATH, token).await
}

/// Invites a reviewer or colleague (the team only).
pub async fn invite(
    token: &str,
    invite: &api::InviteRequest,
) -> Result<api::InviteResponse, ClientError> {
    post(api::PEOPLE_PATH, invite, Some(token)).await
}

/// The reviewers assigned to an application (the team only).
pub async fn assigned_reviewers(
    token: &str,
    application: spip_shared::ids::RecordId,
) -> Result<Vec<api::AssignedReviewer>, ClientError> {
    get(&format!("/api/applications/{application}/reviewers"), token).await
}

/// Assigns a reviewer to an application (the team only); the server e-mails them.
pub async fn assign_reviewer(
    token: &str,
    application: spip_shared::ids::RecordId,
    reviewer: spip_shared::ids::UserId,
) -> Result<api::AssignReviewerResponse, ClientError> {
    let path = format!("/api/applications/{application}/reviewers");
    post(&path, &api::AssignReviewerRequest { reviewer }, Some(token)).await
}

/// The people on a project's team (the programme team and the team itself).
pub async fn members(
    token: &str,
    project: spip_shared::ids::RecordId,
) -> Result<Vec<api::ProjectMember>, ClientError> {
    get(&api::members_path(project), token).await
}

/// Who changed what in a project, and when, newest first (its own people and the programme
/// team).
pub async fn changes(
    token: &str,
    project: spip_shared::ids::RecordId,
) -> Result<api::ProjectChanges, ClientError> {
    get(&api::changes_path(project), token).await
}

/// Adds someone to a project's team (the programme team only); the server e-mails them.
pub async fn add_member(
    token: &str,
    project: spip_shared::ids::RecordId,
    member: &api::AddMemberRequest,
) -> Result<api::AddMemberResponse, ClientError> {
    post(&api::members_path(project), member, Some(token)).await
}

/// The projects of a cohort as its participants see each other (participants of that cohort
/// and the team).
pub async fn peers(
    token: &str,
    cohort: spip_shared::ids::RecordId,
) -> Result<Vec<api::PeerProject>, ClientError> {
    get(&api::peers_path(cohort), token).await
}

/// The published learning reports (anyone).
pub async fn published_reports() -> Result<Vec<api::PublishedReport>, ClientError> {
    answer(
        send_within(
            Request::get(api::PUBLIC_REPORTS_PATH),
            RequestBuilder::build,
            READ_ANSWERED_WITHIN,
        )
        .await,
    )
    .await
}

/// A cohort's overview (the team only).
pub async fn overview(
    token: &str,
    cohort: spip_shared::ids::RecordId,
) -> Result<spip_shared::overview::Overview, ClientError> {
    get(&format!("/api/cohorts/{cohort}/overview"), token).await
}

/// A cohort's participants, for taking attendance (the team only).
pub async fn participants(
    token: &str,
    cohort: spip_shared::ids::RecordId,
) -> Result<Vec<api::CohortParticipant>, ClientError> {
    get(&api::participants_path(cohort), token).await
}

/// One of a cohort's CSV exports, as text (the team only).
pub async fn export(
    token: &str,
    cohort: spip_shared::ids::RecordId,
    export: spip_shared::export::Export,
) -> Result<String, ClientError> {
    let request =
        Request::get(&export.path(cohort)).header("authorization", &format!("Bearer {token}"));
    let response =
        checked(send_within(request, RequestBuilder::build, ANSWER_WITHIN).await).await?;
    response.text().await.map_err(|_| ClientError::Offline)
}
