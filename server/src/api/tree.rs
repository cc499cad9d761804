//! `GET /v1/sessions/{id}/tree?at_ms=`: the view hierarchy in effect at a moment, node by node,
//! for the player's inspector: what each view is (class, id name, kind), where (dp and px, the
//! region its clipping ancestors leave it), how it shows (visibility, opacity, scroll offsets) and
//! what privacy did to it. Masked text is never sent: only its length.
//!
//! The frames answer stays drawing operations only (a window of scenes would otherwise carry every
//! node many times over); the page asks for the tree at the time of the scene it shows when the
//! inspector needs it, and keeps it per scene.

use axum::Json;
use axum::extract::{RawQuery, State};
use reprise_core::frame::flag;
use reprise_core::{FrameNode, NodeKind, Text};
use serde::Serialize;

use super::params::{Params, SessionPath};
use super::{Replay, blocking, load};
use crate::error::ApiError;
use crate::replay::layout::clips_children;
use crate::replay::{Rect, Screen, place};
use crate::state::AppState;

/// The answer of `GET /v1/sessions/{id}/tree`.
#[derive(Debug, Clone, Serialize)]
pub struct TreeBody {
    /// When the snapshot in effect was taken, Unix ms.
    pub time_ms: i64,
    /// Its index among the session's snapshots.
    pub snapshot: usize,
    /// The screen it was taken on.
    pub screen: Screen,
    /// The nodes in drawing order (pre-order: parents first, later siblings on top).
    pub nodes: Vec<TreeNode>,
}

/// A recorded text as the inspector may show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextInfo {
    /// Recorded in plain text (the privacy rules allowed it); drawn as is.
    Plain(String),
    /// Masked on the device: only its length in characters is known.
    Masked(usize),
}

/// What privacy did to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskState {
    /// Recorded as it was.
    Shown,
    /// Its text or description was masked.
    Masked,
    /// A secure text entry: always masked.
    Password,
    /// An image recorded as a placeholder.
    Image,
    /// The app hid it: an empty box, nothing below it recorded.
    Hidden,
}

/// One node of [`TreeBody`].
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    /// The node's id (what gestures, findings and markers name).
    pub id: u32,
    /// The parent's id, 0 for the root.
    pub parent: u32,
    /// Ancestors above it.
    pub depth: u32,
    /// The platform class (`android.widget.Button`, `UILabel`).
    pub class: String,
    /// The developer's name for it: resource entry name (Android), accessibility identifier (iOS).
    pub id_name: Option<String>,
    /// `Button #sign_in "Sign in"`: what the API calls it elsewhere.
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
    /// Bounds on the screen, dp.
    pub rect: Rect,
    /// Bounds on the device, px (dp times the density).
    pub px: [f32; 4],
    /// The region its clipping ancestors leave it, dp.
    pub clip: Rect,
    /// Whether it and its ancestors are visible with a non-zero opacity.
    pub visible: bool,
    /// Its own opacity, 0 to 1.
    pub alpha: f32,
    /// Its opacity with its ancestors', 0 to 1.
    pub effective_alpha: f32,
    /// Whether it clips its children (as the replay draws it).
    pub clips_children: bool,
    /// Reacts to taps.
    pub clickable: bool,
    /// Accepts input.
    pub enabled: bool,
    /// Scroll offsets, dp.
    pub scroll: [i32; 2],
    /// What privacy did to it.
    pub mask: MaskState,
    /// Its text.
    pub text: Option<TextInfo>,
    /// Its accessibility label.
    pub description: Option<TextInfo>,
    /// A toggle's state, unless privacy withheld it.
    pub checked: Option<bool>,
    /// A progress from 0 to 1, unless privacy withheld it.
    pub progress: Option<f32>,
    /// A toggle state or progress was withheld by privacy.
    pub withheld: bool,
    /// Elevation above its parent, dp.
    pub elevation: u16,
}

/// `GET /v1/sessions/{id}/tree?at_ms=`.
pub async fn get_tree(
    State(state): State<AppState>,
    SessionPath(id): SessionPath,
    RawQuery(query): RawQuery,
) -> Result<Json<TreeBody>, ApiError> {
    let p = Params::parse(query.as_deref(), &["at_ms"])?;
    let at = p.int("at_ms", 0, i64::MAX / 2)?;
    let (_, replay) = load(&state, &id).await?;
    let at = at.unwrap_or_else(|| replay.timeline.start_ms());
    blocking(move || tree(&replay, at).map(Json).ok_or_else(|| ApiError::bad("at_ms", "no screen was recorded by then"))).await
}

/// The tree in effect at `at_ms`, if a snapshot was taken by then.
pub fn tree(replay: &Replay, at_ms: i64) -> Option<TreeBody> {
    let timeline = &replay.timeline;
    let index = timeline.snapshot_index_at(at_ms)?;
    let mut frames = timeline.frames_from(index);
    let (at, frame) = frames.next()?;
    let replayer = frames.replayer();
    let screen = timeline.screen_at(at.time_ms);
    let full = Rect::new(0, 0, i64::from(screen.width), i64::from(screen.height));
    let density = screen.density;
    let nodes = place(&frame, full)
        .iter()
        .map(|placed| {
            let n: &FrameNode = placed.node;
            let p = &n.props;
            let detail = replayer.detail(n.id);
            let r = placed.rect;
            let label = p.text.as_ref().or(p.description.as_ref());
            TreeNode {
                id: n.id,
                parent: n.parent,
                depth: placed.depth,
                class: replay.names.class(n.id).unwrap_or_default().to_owned(),
                id_name: detail.and_then(|d| d.id_name.clone()),
                name: replay.names.describe(n.id, p.kind, label),
                kind: p.kind,
                rect: r,
                px: [r.x as f32 * density, r.y as f32 * density, r.w as f32 * density, r.h as f32 * density],
                clip: placed.clip,
                visible: placed.visible,
                alpha: f32::from(p.alpha) / 255.0,
                effective_alpha: f32::from(placed.alpha) / 255.0,
                clips_children: clips_children(p),
                clickable: p.has(flag::CLICKABLE),
                enabled: p.has(flag::ENABLED),
                scroll: [p.scroll_x, p.scroll_y],
                mask: mask_state(n),
                text: p.text.as_ref().map(info),
                description: p.description.as_ref().map(info),
                checked: detail.and_then(|d| d.checked),
                progress: detail.and_then(|d| d.progress).map(|p| f32::from(p) / 1000.0),
                withheld: detail.is_some_and(|d| d.withheld),
                elevation: detail.map_or(0, |d| d.elevation),
            }
        })
        .collect();
    Some(TreeBody { time_ms: at.time_ms, snapshot: index, screen, nodes })
}

fn info(text: &Text) -> TextInfo {
    match text {
        Text::Plain(s) => TextInfo::Plain(s.clone()),
        Text::Masked(shape) => TextInfo::Masked(shape.char_count()),
    }
}

fn mask_state(n: &FrameNode) -> MaskState {
    let p = &n.props;
    let masked = |t: &Option<Text>| matches!(t, Some(Text::Masked(_)));
    if p.has(flag::HIDDEN) {
        MaskState::Hidden
    } else if p.has(flag::PASSWORD) {
        MaskState::Password
    } else if p.has(flag::IMAGE_PLACEHOLDER) {
        MaskState::Image
    } else if masked(&p.text) || masked(&p.description) {
        MaskState::Masked
    } else {
        MaskState::Shown
    }
}
