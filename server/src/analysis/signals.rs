//! Struggle signals beyond the device's rage and dead taps, read from one segment's timeline:
//! what the users of the best replay tools filter sessions by.
//!
//! - **error_tap**: a tap followed within [`ERROR_TAP_MS`] by an error breadcrumb or a failed
//!   request (no status, or 400 and above) recorded, or started, in that time.
//! - **freeze**: the main thread did not answer for 2 s or more; the platform layers report it as
//!   the custom event [`FREEZE_EVENT`] (Android's watchdog, with `blocked_ms`).
//! - **crash**: the app died of an uncaught error; the platform layers record the custom event
//!   [`CRASH_EVENT`] before the error breadcrumb, whose first line is the detail.
//! - **scroll_thrash**: at least [`THRASH_REVERSALS`] reversals of scroll direction (up and down,
//!   or left and right) within [`THRASH_WINDOW_MS`]: looking for something and not finding it.
//! - **pinch_to_read**: a pinch that zooms in by [`PINCH_MIN_SCALE`] or more after which the
//!   hierarchy changed no view's size within [`PINCH_SETTLE_MS`]: a screen that does not zoom,
//!   with text too small to read.
//! - **back_and_forth**: coming back to a screen left less than [`RETURN_MS`] before, at least
//!   [`RETURNS`] times within [`BACK_AND_FORTH_WINDOW_MS`] (A to B to A to B).
//! - **form_abandonment**: input fields edited, then the screen left (another screen, or the
//!   app sent to the background) without a tap on a button after the last edit.
//!
//! Each is reported once per episode, at its first moment, naming the view concerned when there is
//! one. A segment spans at most a minute, so an episode that straddles two segments may be seen by
//! neither (the rules need a few seconds of context).

use std::collections::{HashMap, HashSet};

use reprise_core::event::{Breadcrumb, LogLevel};
use reprise_core::frame::Field;
use reprise_core::gesture::{Direction, Gesture, GestureKind};
use reprise_core::{AttributeValue, Lifecycle, NodeKind, Record, TimedRecord};

use super::{Finding, FindingKind};
use crate::replay::Rect;

/// How soon after a tap an error makes it an error tap, ms.
pub const ERROR_TAP_MS: i64 = 1_000;
/// The custom event the platform layers record for a main-thread freeze.
pub const FREEZE_EVENT: &str = "freeze";
/// The custom event the platform layers record for an uncaught error, before the breadcrumb.
pub const CRASH_EVENT: &str = "crash";
/// Scroll direction reversals that make a thrash.
pub const THRASH_REVERSALS: usize = 3;
/// The window they must fall in, ms.
pub const THRASH_WINDOW_MS: i64 = 3_000;
/// The smallest zoom-in a pinch-to-read needs.
pub const PINCH_MIN_SCALE: f32 = 1.25;
/// How long after a pinch a zooming screen would have changed sizes, ms.
pub const PINCH_SETTLE_MS: i64 = 1_000;
/// A return to a screen left at most this long before counts, ms.
pub const RETURN_MS: i64 = 5_000;
/// Returns that make a back-and-forth.
pub const RETURNS: usize = 2;
/// The window the returns must fall in, ms.
pub const BACK_AND_FORTH_WINDOW_MS: i64 = 20_000;
/// Side of the box reported around a point without a view, dp.
const POINT_BOX_DP: i64 = 16;

/// The signals in one segment's records (in time order).
pub fn struggle_signals(records: &[TimedRecord]) -> Vec<Finding> {
    let mut out = Vec::new();
    let gestures: Vec<&Gesture> = records
        .iter()
        .filter_map(|r| match &r.record {
            Record::Gesture(g) => Some(g),
            _ => None,
        })
        .collect();
    error_taps(records, &gestures, &mut out);
    platform_events(records, &mut out);
    scroll_thrash(&gestures, &mut out);
    pinch_to_read(records, &gestures, &mut out);
    back_and_forth(records, &mut out);
    form_abandonment(records, &mut out);
    out.sort_by_key(|f| f.time_ms);
    out
}

fn point_box(x: i32, y: i32) -> Rect {
    let half = POINT_BOX_DP / 2;
    Rect::new(i64::from(x) - half, i64::from(y) - half, POINT_BOX_DP, POINT_BOX_DP)
}

fn at_gesture(kind: FindingKind, g: &Gesture, detail: String) -> Finding {
    Finding::at(kind, g.start_ms, g.target.as_ref().map_or(0, |t| t.id), point_box(g.x, g.y), detail)
}

fn is_tap(g: &Gesture) -> bool {
    matches!(g.kind, GestureKind::Tap | GestureKind::DoubleTap)
}

/// What went wrong at `r`, if it is an error breadcrumb or a failed request, and when it began.
fn error_at(r: &TimedRecord) -> Option<(i64, String)> {
    match &r.record {
        Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message }) => {
            Some((r.time_ms, message.lines().next().unwrap_or_default().chars().take(120).collect()))
        }
        Record::Network(n) if n.status.is_none_or(|s| s >= 400) => {
            let status = n.status.map_or("failed".to_owned(), |s| s.to_string());
            Some((r.time_ms - i64::from(n.duration_ms), format!("{} {} {status}", n.method, n.url)))
        }
        _ => None,
    }
}

fn error_taps(records: &[TimedRecord], gestures: &[&Gesture], out: &mut Vec<Finding>) {
    // Sorted by when each error began and, separately, ended, so that each tap looks its window
    // up in logarithmic time (an untrusted segment may hold tens of thousands of both).
    let mut errors: Vec<(i64, i64, String)> =
        records.iter().filter_map(|r| error_at(r).map(|(began, what)| (began, r.time_ms, what))).collect();
    errors.sort_by_key(|e| e.0);
    let mut by_end: Vec<(i64, usize)> = errors.iter().enumerate().map(|(i, e)| (e.1, i)).collect();
    by_end.sort_unstable();
    let first_in = |sorted: &[(i64, usize)], from: i64, to: i64| {
        sorted.get(sorted.partition_point(|e| e.0 < from)).filter(|e| e.0 <= to).map(|e| e.1)
    };
    let by_start: Vec<(i64, usize)> = errors.iter().enumerate().map(|(i, e)| (e.0, i)).collect();
    let mut last_reported = i64::MIN;
    for g in gestures.iter().filter(|g| is_tap(g)) {
        let (from, to) = (g.start_ms, g.start_ms + i64::from(g.duration_ms) + ERROR_TAP_MS);
        let found = first_in(&by_start, from, to).or_else(|| first_in(&by_end, from, to));
        if let Some(i) = found
            && g.start_ms > last_reported + ERROR_TAP_MS
        {
            last_reported = g.start_ms;
            out.push(at_gesture(FindingKind::ErrorTap, g, format!("followed by {}", errors[i].2)));
        }
    }
}

fn platform_events(records: &[TimedRecord], out: &mut Vec<Finding>) {
    let screen = Rect::new(0, 0, 0, 0);
    for (i, r) in records.iter().enumerate() {
        let Record::Custom(event) = &r.record else { continue };
        if event.name == FREEZE_EVENT {
            let blocked = event.attributes.iter().find_map(|(k, v)| match v {
                AttributeValue::Int(ms) if k == "blocked_ms" => Some(format!(" for {ms} ms")),
                _ => None,
            });
            let blocked = blocked.unwrap_or_default();
            out.push(Finding::at(FindingKind::Freeze, r.time_ms, 0, screen, format!("the app did not respond{blocked}")));
        } else if event.name == CRASH_EVENT {
            let error = records[i..].iter().take(4).find_map(|r| match &r.record {
                Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message }) => message.lines().next().map(str::to_owned),
                _ => None,
            });
            let detail = error.map_or("the app crashed".to_owned(), |e| format!("the app crashed: {}", e.chars().take(160).collect::<String>()));
            out.push(Finding::at(FindingKind::Crash, r.time_ms, 0, screen, detail));
        }
    }
}

/// The axis a scroll direction is on and its sign.
fn axis(d: Direction) -> (bool, bool) {
    match d {
        Direction::Up => (true, false),
        Direction::Down => (true, true),
        Direction::Left => (false, false),
        Direction::Right => (false, true),
    }
}

fn scroll_thrash(gestures: &[&Gesture], out: &mut Vec<Finding>) {
    let scrolls: Vec<(&Gesture, (bool, bool))> = gestures
        .iter()
        .filter(|g| matches!(g.kind, GestureKind::Scroll { .. } | GestureKind::Fling { .. }))
        .filter_map(|g| g.kind.direction().map(|d| (*g, axis(d))))
        .collect();
    // Times of reversals: a scroll on the same axis as the one before it, the other way.
    let reversals: Vec<(usize, i64)> = scrolls
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].1.0 == w[1].1.0 && w[0].1.1 != w[1].1.1)
        .map(|(i, w)| (i, w[1].0.start_ms))
        .collect();
    let mut until = i64::MIN;
    for k in 0..reversals.len() {
        let Some(&(_, last)) = reversals.get(k + THRASH_REVERSALS - 1) else { break };
        let (first_index, first) = reversals[k];
        if last - first <= THRASH_WINDOW_MS && first > until {
            until = last;
            let g = scrolls[first_index].0;
            let detail = format!("{THRASH_REVERSALS} or more reversals of scrolling in {:.1} s", (last - first) as f64 / 1000.0);
            out.push(at_gesture(FindingKind::ScrollThrash, g, detail));
        }
    }
}

fn pinch_to_read(records: &[TimedRecord], gestures: &[&Gesture], out: &mut Vec<Finding>) {
    let mut resized: Vec<i64> = records
        .iter()
        .filter(|r| match &r.record {
            Record::Diff(d) => d.changed.iter().any(|c| c.fields.iter().any(|f| matches!(f, Field::Size(..)))),
            Record::Keyframe(_) => true,
            _ => false,
        })
        .map(|r| r.time_ms)
        .collect();
    resized.sort_unstable();
    for g in gestures {
        let GestureKind::Pinch { scale, .. } = g.kind else { continue };
        if scale < PINCH_MIN_SCALE {
            continue;
        }
        let end = g.start_ms + i64::from(g.duration_ms);
        let next = resized.get(resized.partition_point(|&t| t < g.start_ms));
        if next.is_none_or(|&t| t > end + PINCH_SETTLE_MS) {
            out.push(at_gesture(FindingKind::PinchToRead, g, format!("pinched to zoom x{scale:.1} on a screen that did not zoom")));
        }
    }
}

fn back_and_forth(records: &[TimedRecord], out: &mut Vec<Finding>) {
    let views: Vec<(i64, &str)> = records
        .iter()
        .filter_map(|r| match &r.record {
            Record::ScreenView(name) => Some((r.time_ms, name.as_str())),
            _ => None,
        })
        .collect();
    // A return: a view of the screen shown two views before, which was left less than RETURN_MS ago.
    let returns: Vec<(i64, &str, &str)> = views
        .windows(3)
        .filter(|w| w[2].1 == w[0].1 && w[1].1 != w[0].1 && w[2].0 - w[1].0 <= RETURN_MS)
        .map(|w| (w[2].0, w[0].1, w[1].1))
        .collect();
    let mut until = i64::MIN;
    for k in 0..returns.len() {
        let Some(&(last, _, _)) = returns.get(k + RETURNS - 1) else { break };
        let (first, a, b) = returns[k];
        if last - first <= BACK_AND_FORTH_WINDOW_MS && first > until {
            until = last;
            let detail = format!("back and forth between {a} and {b}, {RETURNS} returns in {:.0} s", (last - first) as f64 / 1000.0);
            out.push(Finding::at(FindingKind::BackAndForth, first, 0, Rect::new(0, 0, 0, 0), detail));
        }
    }
}

fn form_abandonment(records: &[TimedRecord], out: &mut Vec<Finding>) {
    let mut kinds: HashMap<u32, NodeKind> = HashMap::new();
    let mut screen: Option<&str> = None;
    // Input nodes edited since the last button tap (a set: a hostile diff may edit thousands),
    // the first of them, and the first edit's time.
    let mut edited: HashSet<u32> = HashSet::new();
    let mut first: Option<(u32, i64)> = None;
    let leave = |edited: &mut HashSet<u32>, first: &mut Option<(u32, i64)>, screen: Option<&str>, out: &mut Vec<Finding>| {
        if let Some((node, time_ms)) = first.take() {
            let on = screen.map(|s| format!(" {s}")).unwrap_or_default();
            let detail = format!("left{on} after editing {} field(s), without a tap on a button", edited.len());
            out.push(Finding::at(FindingKind::FormAbandonment, time_ms, node, Rect::new(0, 0, 0, 0), detail));
        }
        edited.clear();
    };
    for r in records {
        match &r.record {
            Record::Keyframe(frame) => kinds.extend(frame.nodes.iter().map(|n| (n.id, n.props.kind))),
            Record::Diff(diff) => {
                kinds.extend(diff.added.iter().map(|n| (n.id, n.props.kind)));
                for c in &diff.changed {
                    let input = kinds.get(&c.id) == Some(&NodeKind::Input);
                    if input && c.fields.iter().any(|f| matches!(f, Field::Text(_))) && edited.insert(c.id) && first.is_none() {
                        first = Some((c.id, r.time_ms));
                    }
                }
            }
            Record::Gesture(g) if is_tap(g) && g.target.as_ref().is_some_and(|t| t.kind == NodeKind::Button || t.interactive && t.kind != NodeKind::Input) => {
                edited.clear();
                first = None;
            }
            Record::ScreenView(name) => {
                if screen.is_some_and(|s| s != name) {
                    leave(&mut edited, &mut first, screen, out);
                }
                edited.clear();
                first = None;
                screen = Some(name);
            }
            Record::Lifecycle(Lifecycle::Background | Lifecycle::Terminate) => leave(&mut edited, &mut first, screen, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use reprise_core::diff::{Changed, Diff};
    use reprise_core::event::NetworkRequest;
    use reprise_core::gesture::Target;
    use reprise_core::{CustomEvent, Frame, Text, TextShape};

    use super::*;

    fn at(time_ms: i64, record: Record) -> TimedRecord {
        TimedRecord { time_ms, record }
    }

    fn gesture(start_ms: i64, kind: GestureKind, target: Option<(u32, NodeKind)>) -> TimedRecord {
        let target = target.map(|(id, kind)| Target { id, kind, label: None, interactive: true });
        at(start_ms, Record::Gesture(Gesture { kind, start_ms, duration_ms: 80, x: 100, y: 200, target }))
    }

    fn kinds(records: &[TimedRecord]) -> Vec<(FindingKind, i64)> {
        struggle_signals(records).into_iter().map(|f| (f.kind, f.time_ms)).collect()
    }

    #[test]
    fn a_tap_followed_by_a_failed_request_or_an_error_is_an_error_tap() {
        let failed = NetworkRequest { method: "POST".into(), url: "https://x.example/pay".into(), status: Some(503), duration_ms: 300, request_bytes: None, response_bytes: None };
        let records = vec![
            gesture(1_000, GestureKind::Tap, Some((7, NodeKind::Button))),
            at(1_600, Record::Network(failed.clone())),
            gesture(5_000, GestureKind::Tap, None),
            at(7_500, Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message: "too late".into() })),
            gesture(9_000, GestureKind::Tap, None),
            at(9_500, Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message: "card declined\nstack".into() })),
        ];
        let found = struggle_signals(&records);
        assert_eq!(found.iter().map(|f| (f.kind, f.time_ms, f.node_id)).collect::<Vec<_>>(), vec![(FindingKind::ErrorTap, 1_000, 7), (FindingKind::ErrorTap, 9_000, 0)]);
        assert!(found[0].detail.contains("POST https://x.example/pay 503"), "{}", found[0].detail);
        assert_eq!(found[1].detail, "followed by card declined");
        // A successful request is no error.
        let ok = NetworkRequest { status: Some(200), ..failed };
        assert!(kinds(&[gesture(1_000, GestureKind::Tap, None), at(1_200, Record::Network(ok))]).is_empty());
    }

    #[test]
    fn a_flood_of_taps_and_errors_is_judged_in_logarithmic_time() {
        // 20,000 taps and 20,000 errors, none within a second of a tap (a quadratic scan would
        // make 400 million comparisons here): nothing is found.
        let mut records = Vec::new();
        for k in 0..20_000i64 {
            records.push(gesture(k * 10_000, GestureKind::Tap, None));
            records.push(at(k * 10_000 + 5_000, Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message: "x".into() })));
        }
        records.sort_by_key(|r| r.time_ms);
        assert!(kinds(&records).is_empty());
    }

    #[test]
    fn freezes_and_crashes_come_from_the_platform_layers_events() {
        let freeze = CustomEvent { name: FREEZE_EVENT.into(), attributes: vec![("blocked_ms".into(), reprise_core::AttributeValue::Int(2400))] };
        let crash = CustomEvent { name: CRASH_EVENT.into(), attributes: Vec::new() };
        let records = vec![
            at(1_000, Record::Custom(freeze)),
            at(2_000, Record::Custom(crash)),
            at(2_000, Record::Breadcrumb(Breadcrumb { level: LogLevel::Error, message: "crash in thread \"main\": java.lang.IllegalStateException\n  at x".into() })),
        ];
        let found = struggle_signals(&records);
        assert_eq!(found.iter().map(|f| f.kind).collect::<Vec<_>>(), vec![FindingKind::Freeze, FindingKind::Crash]);
        assert_eq!(found[0].detail, "the app did not respond for 2400 ms");
        assert_eq!(found[1].detail, "the app crashed: crash in thread \"main\": java.lang.IllegalStateException");
    }

    #[test]
    fn three_reversals_of_scrolling_within_three_seconds_are_a_thrash() {
        let scroll = |t, dy| gesture(t, GestureKind::Scroll { dx: 0, dy }, Some((3, NodeKind::Scroll)));
        let thrash = vec![scroll(0, -200), scroll(600, 200), scroll(1_200, -200), scroll(1_800, 200), scroll(2_400, -200)];
        assert_eq!(kinds(&thrash), vec![(FindingKind::ScrollThrash, 0)]);
        // The same reversals spread over ten seconds are reading, not thrashing.
        let slow: Vec<_> = [0, 3_000, 6_000, 9_000].iter().enumerate().map(|(i, &t)| scroll(t, if i % 2 == 0 { -200 } else { 200 })).collect();
        assert!(kinds(&slow).is_empty());
        // Scrolling on one way only is not either.
        assert!(kinds(&[scroll(0, -200), scroll(300, -200), scroll(600, -200), scroll(900, -200)]).is_empty());
    }

    #[test]
    fn a_zoom_in_pinch_the_screen_does_not_follow_is_pinch_to_read() {
        let pinch = |t, scale| gesture(t, GestureKind::Pinch { scale, start_span: 100, end_span: 180 }, None);
        assert_eq!(kinds(&[pinch(1_000, 1.8)]), vec![(FindingKind::PinchToRead, 1_000)]);
        // A map that zooms: its views change size right after.
        let zoomed = at(1_500, Record::Diff(Diff { changed: vec![Changed { id: 4, fields: vec![Field::Size(800, 800)] }], ..Diff::default() }));
        assert!(kinds(&[pinch(1_000, 1.8), zoomed]).is_empty());
        // Pinching out, or barely, is no attempt to read.
        assert!(kinds(&[pinch(1_000, 0.6), pinch(3_000, 1.1)]).is_empty());
    }

    #[test]
    fn returning_twice_within_seconds_is_back_and_forth() {
        let view = |t, name: &str| at(t, Record::ScreenView(name.into()));
        let records = vec![view(0, "Cart"), view(2_000, "Shipping"), view(4_000, "Cart"), view(6_000, "Shipping"), view(8_000, "Cart")];
        let found = struggle_signals(&records);
        assert_eq!(found.iter().map(|f| (f.kind, f.time_ms)).collect::<Vec<_>>(), vec![(FindingKind::BackAndForth, 4_000)]);
        assert!(found[0].detail.contains("Cart and Shipping"), "{}", found[0].detail);
        // Going through screens once is browsing.
        assert!(kinds(&[view(0, "Cart"), view(2_000, "Shipping"), view(4_000, "Payment")]).is_empty());
        // Coming back once, or after a long read, is not back and forth.
        assert!(kinds(&[view(0, "A"), view(1_000, "B"), view(20_000, "A"), view(21_000, "B"), view(40_000, "A")]).is_empty());
    }

    #[test]
    fn editing_a_form_then_leaving_without_a_button_tap_is_abandonment() {
        let mut field = crate::replay::layout::tests::node(5, 1, 0, 0, 300, 48, 0);
        field.props.kind = NodeKind::Input;
        let keyframe = at(0, Record::Keyframe(Frame { nodes: vec![crate::replay::layout::tests::node(1, 0, 0, 0, 400, 800, 0), field] }));
        let typed = |t| at(t, Record::Diff(Diff { changed: vec![Changed { id: 5, fields: vec![Field::Text(Some(Text::Masked(TextShape::word(4))))] }], ..Diff::default() }));
        let abandoned = vec![at(0, Record::ScreenView("Sign up".into())), keyframe.clone(), typed(1_000), typed(1_500), at(3_000, Record::ScreenView("Home".into()))];
        let found = struggle_signals(&abandoned);
        assert_eq!(found.iter().map(|f| (f.kind, f.time_ms, f.node_id)).collect::<Vec<_>>(), vec![(FindingKind::FormAbandonment, 1_000, 5)]);
        assert!(found[0].detail.starts_with("left Sign up after editing 1 field"), "{}", found[0].detail);
        // A tap on the submit button before leaving: a form sent, not abandoned.
        let sent = vec![abandoned[0].clone(), keyframe.clone(), typed(1_000), gesture(2_000, GestureKind::Tap, Some((9, NodeKind::Button))), abandoned[4].clone()];
        assert!(kinds(&sent).is_empty());
        // Sent to the background with the form half filled: abandoned too.
        let backgrounded = vec![abandoned[0].clone(), keyframe, typed(1_000), at(2_000, Record::Lifecycle(Lifecycle::Background))];
        assert_eq!(kinds(&backgrounded), vec![(FindingKind::FormAbandonment, 1_000)]);
    }
}
