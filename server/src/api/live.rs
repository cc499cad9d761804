//! `GET /v1/sessions/{id}/live?after=N&wait_ms=MS`: the player's long poll while it shows a
//! session that is still being recorded. Each poll marks the session watched for
//! [`WATCH_HOLD_MS`] (so its uploads are answered with the live flag and the SDK seals short
//! segments), then answers as soon as the index has more than `after` segments of it, or after
//! `wait_ms` (at most [`MAX_WAIT_MS`]) with what it has.

use std::time::Duration;

use axum::Json;
use axum::extract::{RawQuery, State};
use reprise_core::{Lifecycle, Record, SessionId};
use serde::Serialize;

use super::blocking;
use super::params::{Params, SessionPath};
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::index::Progress;
use crate::state::AppState;

/// How long one poll keeps a session watched; the player polls again well within it.
pub const WATCH_HOLD_MS: i64 = 30_000;

/// The longest a poll waits for a new segment.
pub const MAX_WAIT_MS: u64 = 20_000;

/// How often a waiting poll reads the index.
const POLL_EVERY: Duration = Duration::from_millis(250);

/// A session counts as still recording while its latest segment arrived within this (two
/// segments of the SDK's default 60 s age, and some slack) and the app did not go away (see
/// `went_away`).
pub const RECORDING_WITHIN_MS: i64 = 150_000;

/// How long after a move to the background (and its upload) a session stops counting as live.
pub const AWAY_AFTER_MS: i64 = 30_000;

/// The answer of a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LiveState {
    /// Segments indexed now.
    pub segments: i64,
    /// The end of the session's latest record, Unix ms.
    pub end_ms: i64,
    /// When its latest segment arrived, Unix ms.
    pub received_ms: i64,
    /// Whether it is still being recorded (a segment arrived within [`RECORDING_WITHIN_MS`] and
    /// the app did not go away since).
    pub recording: bool,
}

/// The handler.
pub async fn get_live(
    State(state): State<AppState>,
    SessionPath(id): SessionPath,
    RawQuery(query): RawQuery,
) -> Result<Json<LiveState>, ApiError> {
    let params = Params::parse(query.as_deref(), &["after", "wait_ms"])?;
    let after = params.int("after", 0, i64::from(u32::MAX))?.unwrap_or(0);
    let wait_ms = params.int("wait_ms", 0, MAX_WAIT_MS as i64)?.map_or(MAX_WAIT_MS, |ms| ms.unsigned_abs());
    let session: SessionId = id.parse().map_err(|_| ApiError::UnknownSession(id.clone()))?;
    let watcher = state.clone();
    blocking(move || Ok(watcher.index().watch(session, now_ms() + WATCH_HOLD_MS)?)).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_millis(wait_ms);
    loop {
        let reader = state.clone();
        let progress = blocking(move || Ok(reader.index().progress(session)?)).await?;
        let Progress { segments, end_ms, received_ms } = progress.ok_or_else(|| ApiError::UnknownSession(id.clone()))?;
        if segments > after || tokio::time::Instant::now() >= deadline || state.is_draining() {
            let since = now_ms().saturating_sub(received_ms);
            let recording = since <= RECORDING_WITHIN_MS && !went_away(&state, &id, since).await?;
            return Ok(Json(LiveState { segments, end_ms, received_ms, recording }));
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

/// Whether the app went away: its last lifecycle record is a termination, or a move to the
/// background with no segment since for [`AWAY_AFTER_MS`] (an app that comes back within it goes
/// on being live). Read from the replay cache: the poll's session is the one the page just loaded.
async fn went_away(state: &AppState, id: &str, since_received_ms: i64) -> Result<bool, ApiError> {
    let (_, replay) = super::load(state, id).await?;
    let last = replay.timeline.records.iter().rev().find_map(|r| match &r.record {
        Record::Lifecycle(l) => Some(*l),
        _ => None,
    });
    Ok(match last {
        Some(Lifecycle::Terminate) => true,
        Some(Lifecycle::Background) => since_received_ms > AWAY_AFTER_MS,
        _ => false,
    })
}
