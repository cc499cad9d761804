//! `GET /v1/sessions/{id}/events`: what the player's timeline bar shows: markers by kind, the
//! findings, and the spans of inactivity "skip inactivity" jumps over.

use axum::Json;
use axum::extract::State;
use reprise_core::event::{Breadcrumb, LogLevel, NetworkRequest};
use reprise_core::gesture::{Direction, Gesture, GestureKind, Struggle, StruggleKind, Target};
use reprise_core::Record;
use serde::Serialize;

use super::params::SessionPath;
use super::{blocking, load};
use crate::analysis::FindingKind;
use crate::error::ApiError;
use crate::index::FindingRow;
use crate::replay::timeline::ScreenNames;
use crate::replay::{Rect, Replay, Screen, Timeline, ViewNames};
use crate::state::AppState;

/// The shortest span without activity that counts as inactivity, ms.
pub const INACTIVITY_MS: i64 = 5_000;

/// What a marker is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// The user reached a screen.
    Screen,
    /// A recognized gesture.
    Gesture,
    /// A rage or dead tap.
    Struggle,
    /// An error breadcrumb or a failed network request.
    Error,
    /// A layout issue found in the snapshots.
    Layout,
    /// The app started, came to the foreground, went to the background or ended.
    Lifecycle,
    /// An app-defined event.
    Custom,
    /// A network request that succeeded, or a connectivity change.
    Network,
    /// The keyboard was shown or hidden.
    Keyboard,
    /// A log line below error level.
    Log,
}

/// One marker on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marker {
    /// When, Unix ms.
    pub time_ms: i64,
    /// What it is about.
    pub kind: MarkerKind,
    /// A short text for people.
    pub label: String,
    /// The node concerned, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_id: Option<u32>,
    /// What that node is called (`Button #sign_in "Sign in"`: short class, id name, plain label).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// Where on the screen, dp, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rect: Option<Rect>,
    /// The end of what it marks, Unix ms, when it lasts: the last moment a layout issue was seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<i64>,
}

/// The answer of `GET /v1/sessions/{id}/events`.
#[derive(Debug, Clone, Serialize)]
pub struct Events {
    /// Time of the first record, Unix ms.
    pub start_ms: i64,
    /// Time of the last record, Unix ms.
    pub end_ms: i64,
    /// The screen at the start, dp.
    pub screen: Screen,
    /// Markers in time order.
    pub markers: Vec<Marker>,
    /// The session's findings in time order.
    pub findings: Vec<NamedFinding>,
    /// Spans `[from_ms, to_ms]` of at least [`INACTIVITY_MS`] without activity.
    pub inactivity: Vec<[i64; 2]>,
}

/// A stored finding and the name of its view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedFinding {
    /// The finding as the index holds it.
    #[serde(flatten)]
    pub row: FindingRow,
    /// What its node is called (absent for a tap on no known node).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
}

/// `GET /v1/sessions/{id}/events`.
pub async fn get_events(State(state): State<AppState>, SessionPath(id): SessionPath) -> Result<Json<Events>, ApiError> {
    let (row, replay) = load(&state, &id).await?;
    blocking(move || {
        let id = row.session_id.parse().map_err(|_| ApiError::UnknownSession(row.session_id.clone()))?;
        let findings = state.index().findings(id)?;
        Ok(Json(events(&replay, findings)))
    })
    .await
}

/// The events of a decoded session and its stored findings, each gesture, struggle and finding
/// naming its view.
pub fn events(replay: &Replay, findings: Vec<FindingRow>) -> Events {
    let timeline = &replay.timeline;
    let names = &replay.names;
    let mut markers: Vec<Marker> = timeline.records.iter().filter_map(|r| marker(r.time_ms, &r.record, names)).collect();
    let findings: Vec<NamedFinding> = on_screens(timeline, findings)
        .into_iter()
        .map(|row| {
            let view = (row.node_id != 0).then(|| names.describe(row.node_id, reprise_core::NodeKind::Other, None));
            NamedFinding { row, view }
        })
        .collect();
    for f in &findings {
        let row = &f.row;
        // Rage and dead taps have their marker from their own records.
        let kind = match FindingKind::from_name(&row.kind) {
            Some(k) if k.is_layout() => MarkerKind::Layout,
            Some(FindingKind::RageTap | FindingKind::DeadTap) | None => continue,
            Some(_) => MarkerKind::Struggle,
        };
        let on = f.view.as_ref().map(|v| format!(" on {v}")).unwrap_or_default();
        let label = format!("{}{on}: {}", row.kind.replace('_', " "), row.detail);
        let (node_id, rect) = if row.node_id == 0 && row.rect.is_empty() { (None, None) } else { (Some(row.node_id), Some(row.rect)) };
        let end_ms = (row.last_ms > row.time_ms).then_some(row.last_ms);
        markers.push(Marker { time_ms: row.time_ms, kind, label, node_id, view: f.view.clone(), rect, end_ms });
    }
    markers.sort_by_key(|m| m.time_ms);
    let start_ms = timeline.start_ms();
    let end_ms = timeline.end_ms();
    Events { start_ms, end_ms, screen: timeline.screen_at(start_ms), markers, findings, inactivity: inactivity(timeline) }
}

/// The findings with the screen each was on: a segment that starts on a screen an earlier one
/// named does not name it, so its findings are stored on no screen; here the whole timeline says
/// which, and a layout issue found so merges with the same view's on that screen (first and last
/// moment widened, the earliest sighting's node, bounds and detail).
pub fn on_screens(timeline: &Timeline, findings: Vec<FindingRow>) -> Vec<FindingRow> {
    let screens = ScreenNames::of(timeline);
    let mut out: Vec<FindingRow> = Vec::with_capacity(findings.len());
    let mut layout: std::collections::HashMap<(String, String, String), usize> = std::collections::HashMap::new();
    for mut row in findings {
        if row.screen.is_empty() {
            row.screen = screens.at(row.time_ms).to_owned();
        }
        if !FindingKind::from_name(&row.kind).is_some_and(FindingKind::is_layout) {
            out.push(row);
            continue;
        }
        let key = (row.kind.clone(), row.screen.clone(), row.view_key.clone());
        match layout.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                let last_ms = kept.last_ms.max(row.last_ms);
                if (row.time_ms, row.node_id) < (kept.time_ms, kept.node_id) {
                    *kept = row;
                }
                kept.last_ms = last_ms;
            }
            None => {
                layout.insert(key, out.len());
                out.push(row);
            }
        }
    }
    out
}

/// Spans of at least [`INACTIVITY_MS`] in which nothing happens on the screen: no touch sample,
/// gesture, struggle, screen view or hierarchy change (keyframe or diff). The session's first and
/// last records bound the spans.
pub fn inactivity(timeline: &Timeline) -> Vec<[i64; 2]> {
    let mut busy: Vec<(i64, i64)> = vec![(timeline.start_ms(), timeline.start_ms()), (timeline.end_ms(), timeline.end_ms())];
    busy.extend(timeline.touches().iter().map(|t| (t.time_ms, t.time_ms)));
    for r in &timeline.records {
        match &r.record {
            Record::Keyframe(_) | Record::Diff(_) | Record::ScreenView(_) => busy.push((r.time_ms, r.time_ms)),
            Record::Gesture(g) => busy.push((g.start_ms, g.start_ms + i64::from(g.duration_ms))),
            Record::Struggle(s) => busy.push((s.start_ms, s.start_ms + i64::from(s.duration_ms))),
            _ => {}
        }
    }
    busy.sort_unstable();
    let mut spans = Vec::new();
    let mut until = timeline.start_ms();
    for (from, to) in busy {
        if from - until >= INACTIVITY_MS {
            spans.push([until, from]);
        }
        until = until.max(to);
    }
    spans
}

fn marker(time_ms: i64, record: &Record, names: &ViewNames) -> Option<Marker> {
    let at = |kind, label: String| Some(Marker { time_ms, kind, label, node_id: None, view: None, rect: None, end_ms: None });
    match record {
        Record::ScreenView(name) => at(MarkerKind::Screen, name.clone()),
        Record::Gesture(g) => gesture(g, names),
        Record::Struggle(s) => Some(struggle(s, names)),
        Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message }) => at(MarkerKind::Error, message.clone()),
        Record::Breadcrumb(Breadcrumb { level, message }) => at(MarkerKind::Log, format!("{}: {message}", format!("{level:?}").to_lowercase())),
        Record::Network(n) => {
            let failed = n.status.is_none_or(|s| s >= 400);
            at(if failed { MarkerKind::Error } else { MarkerKind::Network }, request(n))
        }
        Record::Connectivity(network) => at(MarkerKind::Network, format!("connectivity: {network:?}").to_lowercase()),
        Record::Lifecycle(l) => at(MarkerKind::Lifecycle, format!("{l:?}").to_lowercase()),
        Record::Custom(c) => at(MarkerKind::Custom, c.name.clone()),
        Record::Keyboard { visible: true, height } => at(MarkerKind::Keyboard, format!("keyboard shown ({height} dp)")),
        Record::Keyboard { visible: false, .. } => at(MarkerKind::Keyboard, "keyboard hidden".to_owned()),
        _ => None,
    }
}

fn request(n: &NetworkRequest) -> String {
    match n.status {
        Some(status) => format!("{} {} {status} ({} ms)", n.method, n.url, n.duration_ms),
        None => format!("{} {} failed ({} ms)", n.method, n.url, n.duration_ms),
    }
}

fn gesture(g: &Gesture, names: &ViewNames) -> Option<Marker> {
    let direction = |d: Option<Direction>| d.map(|d| format!(" {d:?}").to_lowercase()).unwrap_or_default();
    let what = match g.kind {
        GestureKind::Tap => "tap".to_owned(),
        GestureKind::DoubleTap => "double tap".to_owned(),
        GestureKind::LongPress => "long press".to_owned(),
        GestureKind::Scroll { .. } => format!("scroll{}", direction(g.kind.direction())),
        GestureKind::Fling { .. } => format!("fling{}", direction(g.kind.direction())),
        GestureKind::Pinch { scale, .. } => format!("pinch x{scale:.2}"),
        GestureKind::TwoFingerPan { .. } => format!("two-finger pan{}", direction(g.kind.direction())),
        GestureKind::Cancel => return None,
    };
    let view = g.target.as_ref().map(|t| view_of(t, names));
    Some(Marker {
        time_ms: g.start_ms,
        kind: MarkerKind::Gesture,
        label: format!("{what}{}", on(view.as_deref())),
        node_id: g.target.as_ref().map(|t| t.id),
        view,
        rect: None,
        end_ms: None,
    })
}

fn struggle(s: &Struggle, names: &ViewNames) -> Marker {
    let what = match s.kind {
        StruggleKind::RageTap => format!("rage tap ({} taps)", s.taps),
        StruggleKind::DeadTap => "dead tap".to_owned(),
    };
    let view = s.target.as_ref().map(|t| view_of(t, names));
    Marker {
        time_ms: s.start_ms,
        kind: MarkerKind::Struggle,
        label: format!("{what}{}", on(view.as_deref())),
        node_id: s.target.as_ref().map(|t| t.id),
        view,
        rect: None,
        end_ms: None,
    }
}

/// A gesture's or struggle's target by name: class, id name and its label when plain.
fn view_of(target: &Target, names: &ViewNames) -> String {
    names.describe(target.id, target.kind, target.label.as_ref())
}

/// " on VIEW", or nothing without a target.
fn on(view: Option<&str>) -> String {
    view.map(|v| format!(" on {v}")).unwrap_or_default()
}
