//! `GET /v1/sessions/{id}/frames?from_ms=&to_ms=`: the scenes of the snapshots in a time window
//! (and the one in effect at its start), drawn by the shared scene rules, with the overlay
//! samples of the window (and the one in effect at its start).

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::Serialize;

use super::params::{Params, SessionPath};
use super::{Replay, blocking, load};
use crate::error::ApiError;
use crate::replay::{OverlayFrame, Scene};
use crate::state::AppState;

/// The longest window one request may ask for, ms.
pub const MAX_WINDOW_MS: i64 = 60_000;
/// The most scenes one answer holds; a window with more ends early (see [`FramesBody::to_ms`]).
pub const MAX_SCENES: usize = 600;
/// The most drawing operations one answer holds over all its scenes; a window with more ends
/// early, as with [`MAX_SCENES`] (the first scene is always sent).
pub const MAX_OPS: usize = 200_000;
/// Overlay samples per second.
pub const OVERLAY_FPS: u32 = 30;

/// The answer of `GET /v1/sessions/{id}/frames`.
#[derive(Debug, Clone, Serialize)]
pub struct FramesBody {
    /// Start of the window answered, Unix ms.
    pub from_ms: i64,
    /// End of the window answered: the one asked for, or earlier when [`MAX_SCENES`] was reached
    /// (ask again from here for the rest).
    pub to_ms: i64,
    /// The scene in effect at `from_ms` (if any), then one per snapshot up to `to_ms`.
    pub frames: Vec<Scene>,
    /// Overlay samples within the window, and the one in effect at its start.
    pub overlays: Vec<OverlayFrame>,
}

/// `GET /v1/sessions/{id}/frames`.
pub async fn get_frames(
    State(state): State<AppState>,
    SessionPath(id): SessionPath,
    RawQuery(query): RawQuery,
) -> Result<Json<FramesBody>, ApiError> {
    let p = Params::parse(query.as_deref(), &["from_ms", "to_ms"])?;
    let from = p.int("from_ms", 0, i64::MAX / 2)?;
    let to = p.int("to_ms", 0, i64::MAX / 2)?;
    let (_, replay) = load(&state, &id).await?;
    let from = from.unwrap_or_else(|| replay.timeline.start_ms());
    let to = to.unwrap_or(from + MAX_WINDOW_MS);
    if to < from {
        return Err(ApiError::bad("to_ms", "is before from_ms"));
    }
    if to - from > MAX_WINDOW_MS {
        return Err(ApiError::bad("to_ms", format!("the window may span at most {MAX_WINDOW_MS} ms")));
    }
    blocking(move || Ok(Json(frames(&replay, from, to)))).await
}

/// The scenes and overlays of `from_ms..=to_ms`, within [`AnswerLimits::default`].
pub fn frames(replay: &Replay, from_ms: i64, to_ms: i64) -> FramesBody {
    frames_within(replay, from_ms, to_ms, AnswerLimits::default())
}

/// How much one frames answer may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    /// Most scenes.
    pub scenes: usize,
    /// Most drawing operations over all scenes (the first scene is always sent).
    pub ops: usize,
}

impl Default for AnswerLimits {
    fn default() -> Self {
        Self { scenes: MAX_SCENES, ops: MAX_OPS }
    }
}

/// [`frames`] within `limits`: the window ends early (its `to_ms` says where) when it holds more.
pub fn frames_within(replay: &Replay, from_ms: i64, to_ms: i64, limits: AnswerLimits) -> FramesBody {
    let timeline = &replay.timeline;
    let first = timeline.snapshot_index_at(from_ms).unwrap_or(0);
    let mut scenes: Vec<Scene> = Vec::new();
    let mut ops = 0usize;
    let mut end = to_ms;
    for (at, frame) in timeline.frames_from(first) {
        if at.time_ms > to_ms {
            break;
        }
        if scenes.len() == limits.scenes || (!scenes.is_empty() && ops >= limits.ops) {
            end = (at.time_ms - 1).max(from_ms);
            break;
        }
        let scene = timeline.scene(at, &frame);
        ops += scene.ops.len();
        scenes.push(scene);
    }
    FramesBody { from_ms, to_ms: end, frames: scenes, overlays: overlays_within(replay, from_ms, end) }
}

/// The overlay samples of `from_ms..=to_ms`, and the one in effect at `from_ms` (a touch held for
/// hours is sampled within the window only).
pub fn overlays_within(replay: &Replay, from_ms: i64, to_ms: i64) -> Vec<OverlayFrame> {
    let mut all = replay.overlays.frames(OVERLAY_FPS, from_ms, to_ms);
    all.sort_by_key(|f| f.time_ms);
    let first = all.iter().rposition(|f| f.time_ms < from_ms).unwrap_or(0);
    all.into_iter().skip(first).filter(|f| f.time_ms <= to_ms).collect()
}
