//! The findings of one stored segment: its snapshots replayed one by one through
//! [`layout_issues`], its rage and dead taps, and the other struggle signals of its records.
//!
//! Each segment starts with a keyframe, so it replays alone: ingest analyses a segment as it
//! arrives, whatever the order, and the index merges what the segments of a session found.

use std::collections::HashMap;

use reprise_core::gesture::{Struggle, StruggleKind};
use reprise_core::{DecodedSegment, Frame, Platform, Record, SessionId};

use super::layout_issues::layout_issues;
use super::view_key::view_keys;
use super::signals::struggle_signals;
use super::{Finding, FindingKind};
use crate::replay::timeline::ScreenNames;
use crate::replay::{Rect, Timeline, ViewNames, place};

/// Side of the box reported for a struggle whose target is unknown, centred on the tap, dp.
pub const TAP_BOX_DP: i64 = 16;

/// Everything found in one decoded segment of `session`: each layout issue once per kind, screen
/// and view ([`view_keys`]), from the first snapshot that shows it to the last moment one does
/// (the next snapshot's time, or the segment's end); every rage and dead tap, with its target's
/// bounds in the hierarchy in effect when it happened.
pub fn analyze_segment(session: SessionId, sequence: u32, segment: DecodedSegment) -> Vec<Finding> {
    let timeline = Timeline::from_records(session, [(sequence, Ok(segment))]);
    let names = ViewNames::of(&timeline);
    let screens = ScreenNames::of(&timeline);
    let platform = timeline.info.as_ref().map_or(Platform::Other, |i| i.metadata.platform);
    let mut struggles: Vec<&Struggle> = timeline
        .records
        .iter()
        .filter_map(|r| match &r.record {
            Record::Struggle(s) => Some(s),
            _ => None,
        })
        .collect();
    struggles.sort_by_key(|s| s.start_ms);
    let mut next_struggle = 0;
    let mut out = Vec::new();
    // Where each (kind, screen, view) is in `out`, and which of them the frame on show shows.
    let mut seen: HashMap<(FindingKind, String, String), usize> = HashMap::new();
    let mut shown: Vec<usize> = Vec::new();
    let mut previous: Option<Frame> = None;
    let segment_end = timeline.end_ms();
    let mut frames = timeline.frames_from(0).peekable();
    // Struggles before the first snapshot have no hierarchy to look their target up in.
    let first_ms = timeline.snapshots.first().map_or(i64::MAX, |s| s.time_ms);
    while let Some(s) = struggles.get(next_struggle).filter(|s| s.start_ms < first_ms) {
        out.push(struggle_finding(s, None));
        next_struggle += 1;
    }
    while let Some((at, frame)) = frames.next() {
        let screen = timeline.screen_at(at.time_ms);
        let until = frames.peek().map_or(i64::MAX, |(next, _)| next.time_ms);
        let shown_until = until.min(segment_end).max(at.time_ms);
        // A diff that changed nothing drawn (or a repeated keyframe) shows what the frame before did.
        if previous.as_ref() != Some(&frame) {
            shown.clear();
            let keys = view_keys(&frame, &names);
            let screen_name = screens.at(at.time_ms);
            for mut f in layout_issues(at.time_ms, &frame, screen, platform) {
                f.screen = screen_name.to_owned();
                f.view = keys.get(&f.node_id).cloned().unwrap_or_default();
                let key = (f.kind, f.screen.clone(), f.view.clone());
                let i = *seen.entry(key).or_insert_with(|| {
                    out.push(f);
                    out.len() - 1
                });
                if !shown.contains(&i) {
                    shown.push(i);
                }
            }
        }
        for &i in &shown {
            out[i].last_ms = out[i].last_ms.max(shown_until);
        }
        let mut placed = None;
        while let Some(s) = struggles.get(next_struggle).filter(|s| s.start_ms < until) {
            let full = Rect::new(0, 0, i64::from(screen.width), i64::from(screen.height));
            let placed = placed.get_or_insert_with(|| place(&frame, full));
            let target = s.target.as_ref().and_then(|t| placed.iter().find(|p| p.node.id == t.id)).map(|p| p.rect);
            out.push(struggle_finding(s, target));
            next_struggle += 1;
        }
        previous = Some(frame);
    }
    for s in &struggles[next_struggle..] {
        out.push(struggle_finding(s, None));
    }
    out.extend(struggle_signals(&timeline.records));
    for f in out.iter_mut().filter(|f| !f.kind.is_layout()) {
        f.screen = screens.at(f.time_ms).to_owned();
    }
    out
}

/// A rage or dead tap as a finding: its target's bounds when the hierarchy had it, else a small
/// box around the tap.
fn struggle_finding(s: &Struggle, target_rect: Option<Rect>) -> Finding {
    let kind = match s.kind {
        StruggleKind::RageTap => FindingKind::RageTap,
        StruggleKind::DeadTap => FindingKind::DeadTap,
    };
    let node_id = s.target.as_ref().map_or(0, |t| t.id);
    let half = TAP_BOX_DP / 2;
    let rect = target_rect.unwrap_or_else(|| Rect::new(i64::from(s.x) - half, i64::from(s.y) - half, TAP_BOX_DP, TAP_BOX_DP));
    let what = match kind {
        FindingKind::RageTap => format!("{} taps in {} ms", s.taps, s.duration_ms),
        _ => match &s.target {
            Some(t) => format!("tap on a {:?} that does not react", t.kind).to_lowercase(),
            None => "tap where nothing reacts".to_owned(),
        },
    };
    let mut finding = Finding::at(kind, s.start_ms, node_id, rect, what);
    finding.last_ms = s.start_ms.saturating_add(i64::from(s.duration_ms));
    finding
}
