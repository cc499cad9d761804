//! The JSON replay API behind the web player, all behind the access token:
//!
//! - `GET /v1/sessions` lists sessions with filters, and the values to filter by ([`sessions`]);
//! - `GET /v1/sessions/{id}` is one session's row and full metadata ([`sessions`]);
//! - `GET /v1/sessions/{id}/events` its timeline markers, findings and inactivity ([`events`]);
//! - `GET /v1/sessions/{id}/frames` the scenes and overlays of a time window ([`frames`]);
//! - `GET /v1/sessions/{id}/tree` the view hierarchy at a moment, for the inspector ([`tree`]);
//! - `GET /v1/sessions/{id}/live` the long poll of live view ([`live`]).
//! - `GET|POST /v1/sessions/{id}/notes`, `DELETE /v1/sessions/{id}/notes/{note_id}` its notes and
//!   bookmarks ([`notes`]).
//!
//! [`auth`] checks the token, [`params`] parses query strings; `replay::cache` keeps recently
//! decoded timelines. `docs/FORMAT.md` ("Replay API") is the contract.

pub mod auth;
pub mod events;
pub mod frames;
pub mod live;
pub mod notes;
pub mod params;
pub mod sessions;
pub mod tree;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{delete, get};
use reprise_core::SessionId;

pub use crate::replay::{Replay, TimelineCache};

use crate::error::ApiError;
use crate::index::SessionRow;
use crate::state::AppState;

/// The API's routes, each requiring the access token.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/sessions", get(sessions::list))
        .route("/v1/sessions/{id}", get(sessions::detail))
        .route("/v1/sessions/{id}/events", get(events::get_events))
        .route("/v1/sessions/{id}/frames", get(frames::get_frames))
        .route("/v1/sessions/{id}/tree", get(tree::get_tree))
        .route("/v1/sessions/{id}/live", get(live::get_live))
        .route("/v1/sessions/{id}/notes", get(notes::list).post(notes::add))
        .route("/v1/sessions/{id}/notes/{note_id}", delete(notes::delete))
        .route_layer(middleware::from_fn_with_state(state, auth::require_token))
        .layer(middleware::map_response(no_store))
}

/// API answers carry recorded data: never cached, never sniffed into another type.
pub async fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Runs blocking work (SQLite, decoding) off the async executor.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::Internal(e.to_string()))?
}

/// The session named in a path, its index row and its decoded timeline: from the cache when the
/// index has counted no segment since it was decoded, else decoded now, at most
/// `concurrent_replays` at once and within the replay limits.
pub async fn load(state: &AppState, id: &str) -> Result<(SessionRow, std::sync::Arc<Replay>), ApiError> {
    let id: SessionId = id.parse().map_err(|_| ApiError::UnknownSession(id.to_owned()))?;
    let lookup = state.clone();
    let row = blocking(move || lookup.index().session(id)?.ok_or_else(|| ApiError::UnknownSession(id.to_string()))).await?;
    let segments = usize::try_from(row.segments).unwrap_or(0);
    if let Some(hit) = state.timelines().get(id, segments) {
        return Ok((row, hit));
    }
    // Another request may decode it while this one waits; then this one finds it cached.
    let _permit = state.replays().acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let state = state.clone();
    let replay = blocking(move || {
        let limits = state.limits();
        Ok(state.timelines().get_or_load(state.store(), id, segments, limits.decode(), limits.max_replay_bytes)?)
    })
    .await?;
    Ok((row, replay))
}
