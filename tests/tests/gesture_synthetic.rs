//! Synthetic gesture tests, built with the timing and jitter of the real traces: the Galaxy S
//! reports every ~15 ms (two fingers ~0.6 ms apart within a report), the TF201 every ~10 ms, and a
//! resting finger wanders by 1-3 px. Then hostile input, and one session end to end.

use std::sync::Arc;

use proptest::prelude::*;
use reprise_core::record::UserInfo;
use reprise_core::stats::Counters;
use reprise_core::{
    DecodeLimits, Event, Frame, GestureConfig, GestureEngine, GestureKind, GestureRecord, NodeKind, PrivacyRules,
    PxRect, Record, RecorderConfig, SessionId, SessionMetadata, SessionStart, SessionWriter, Snapshot, StruggleKind,
    Text, TextShape, TouchAction, TouchSample, ViewNode, ViewTree, decode,
};
use reprise_fixtures::gestures::{names, run, sample};

use TouchAction::{Cancel, Down, Move, PointerDown, PointerUp, Up};

/// A small deterministic generator (xorshift64*), for jitter.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32) / (1u64 << 24) as f32
    }

    /// Uniform in [-amplitude, amplitude].
    fn jitter(&mut self, amplitude: f32) -> f32 {
        (self.next() * 2.0 - 1.0) * amplitude
    }
}

const T0: i64 = 1_700_000_000_000_000;
/// The Galaxy S: density 1.5, a report every 15 ms.
const PHONE_DENSITY: f32 = 1.5;
const PHONE_FRAME_US: i64 = 15_000;

/// A tap of `duration_ms` at (x, y) px starting at `start_us`, the resting finger wandering by
/// `wander_px` as on the Galaxy S.
fn tap(out: &mut Vec<TouchSample>, rng: &mut Rng, start_us: i64, duration_ms: i64, x: f32, y: f32, wander_px: f32) {
    out.push(sample(0, Down, x, y, start_us));
    let end_us = start_us + duration_ms * 1000;
    let mut t = start_us + PHONE_FRAME_US;
    while t < end_us {
        out.push(sample(0, Move, x + rng.jitter(wander_px), y + rng.jitter(wander_px), t));
        t += PHONE_FRAME_US;
    }
    out.push(sample(0, Up, x + rng.jitter(wander_px), y + rng.jitter(wander_px), end_us));
}

fn gestures(records: &[GestureRecord]) -> Vec<reprise_core::Gesture> {
    records
        .iter()
        .filter_map(|r| match r {
            GestureRecord::Gesture(g) => Some(g.clone()),
            GestureRecord::Struggle(_) => None,
        })
        .collect()
}

fn struggles(records: &[GestureRecord]) -> Vec<reprise_core::Struggle> {
    records
        .iter()
        .filter_map(|r| match r {
            GestureRecord::Struggle(s) => Some(s.clone()),
            GestureRecord::Gesture(_) => None,
        })
        .collect()
}

// -------------------------------------------------------------------------------------------------
// Pinch

/// Two fingers placed symmetrically about `focal` along `angle`, `span` px apart, landing 40 ms
/// apart, resting 60 ms, then spreading or closing to `end_span` over 400 ms with an ease-in-out
/// (reports every `frame_us`, the second finger 0.6 ms after the first), resting 45 ms, lifting.
fn pinch(rng: &mut Rng, focal: (f32, f32), angle: f32, span: f32, end_span: f32, frame_us: i64) -> Vec<TouchSample> {
    let (dx, dy) = (angle.cos() / 2.0, angle.sin() / 2.0);
    let at = |s: f32, finger: f32| (focal.0 + finger * dx * s, focal.1 + finger * dy * s);
    let jitter = 1.0;
    let mut out = Vec::new();
    let (ax, ay) = at(span, -1.0);
    let (bx, by) = at(span, 1.0);
    out.push(sample(0, Down, ax, ay, T0));
    out.push(sample(1, PointerDown, bx, by, T0 + 40_000));
    let start = T0 + 40_000;
    let mut t = start + frame_us;
    let moving_from = start + 60_000;
    let moving_to = moving_from + 400_000;
    while t < moving_to + 45_000 {
        let progress = ((t - moving_from) as f32 / (moving_to - moving_from) as f32).clamp(0.0, 1.0);
        let eased = 0.5 - 0.5 * (std::f32::consts::PI * progress).cos();
        let s = span + (end_span - span) * eased;
        let (ax, ay) = at(s, -1.0);
        let (bx, by) = at(s, 1.0);
        out.push(sample(0, Move, ax + rng.jitter(jitter), ay + rng.jitter(jitter), t));
        out.push(sample(1, Move, bx + rng.jitter(jitter), by + rng.jitter(jitter), t + 600));
        t += frame_us;
    }
    let last_a = *out.iter().rev().find(|s| s.pointer_id == 0).unwrap_or(&out[0]);
    let last_b = *out.iter().rev().find(|s| s.pointer_id == 1).unwrap_or(&out[1]);
    out.push(TouchSample { action: PointerUp, time_us: t, ..last_b });
    out.push(TouchSample { action: Up, time_us: t + 20_000, ..last_a });
    out
}

#[test]
fn a_pinch_of_known_scale_is_recognized_within_1_percent() {
    let mut rng = Rng(0x5eed);
    // (density, focal px, angle, start span px, end span px, report interval): spreading on the
    // TF201, closing on the Galaxy S, diagonally and across.
    let cases = [
        (1.0, (640.0, 400.0), 0.0, 300.0, 750.0, 10_000),
        (1.0, (600.0, 420.0), 0.6, 700.0, 350.0, 10_000),
        (PHONE_DENSITY, (240.0, 400.0), 1.03, 600.0, 300.0, PHONE_FRAME_US),
        (PHONE_DENSITY, (240.0, 400.0), 1.57, 260.0, 650.0, PHONE_FRAME_US),
    ];
    for (density, focal, angle, span, end_span, frame_us) in cases {
        for _ in 0..20 {
            let samples = pinch(&mut rng, focal, angle, span, end_span, frame_us);
            let out = run(&samples, density, GestureConfig::default());
            assert_eq!(names(&out), ["pinch"], "{span} -> {end_span}");
            let g = &gestures(&out)[0];
            let GestureKind::Pinch { scale, start_span, end_span: end } = g.kind else { unreachable!() };
            let known = end_span / span;
            assert!(((scale - known) / known).abs() < 0.01, "scale {scale}, known {known}");
            assert!((start_span as f32 - span / density).abs() <= 2.0, "start span {start_span}");
            assert!((end as f32 - end_span / density).abs() <= 2.0, "end span {end}");
            assert!((g.x as f32 - focal.0 / density).abs() <= 2.0 && (g.y as f32 - focal.1 / density).abs() <= 2.0);
        }
    }
}

#[test]
fn two_fingers_moving_together_are_a_pan_whose_span_jitter_is_not_a_pinch() {
    let mut rng = Rng(7);
    let mut samples = vec![sample(0, Down, 100.0, 300.0, T0), sample(1, PointerDown, 100.0, 450.0, T0 + 600)];
    for i in 1..40 {
        let t = T0 + i * PHONE_FRAME_US;
        let x = 100.0 + i as f32 * 8.0;
        samples.push(sample(0, Move, x + rng.jitter(2.0), 300.0 + rng.jitter(2.0), t));
        samples.push(sample(1, Move, x + rng.jitter(2.0), 450.0 + rng.jitter(2.0), t + 600));
    }
    samples.push(sample(1, PointerUp, 412.0, 450.0, T0 + 600_000));
    samples.push(sample(0, Up, 412.0, 300.0, T0 + 610_000));
    let out = run(&samples, PHONE_DENSITY, GestureConfig::default());
    assert_eq!(names(&out), ["two-finger-pan"]);
    let GestureKind::TwoFingerPan { dx, dy } = gestures(&out)[0].kind else { unreachable!() };
    assert!((dx - 208).abs() <= 3 && dy.abs() <= 3, "({dx}, {dy})");
}

// -------------------------------------------------------------------------------------------------
// Taps

#[test]
fn jitter_under_the_slop_is_still_a_tap_and_over_it_a_scroll() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let mut samples = Vec::new();
        // The slop is 8 dp = 12 px at density 1.5; wander up to 5 px on each axis (< 7.1 px).
        tap(&mut samples, &mut rng, T0, 180, 240.0, 400.0, 5.0);
        assert_eq!(names(&run(&samples, PHONE_DENSITY, GestureConfig::default())), ["tap"]);
    }
    let mut samples = Vec::new();
    tap(&mut samples, &mut rng, T0, 90, 240.0, 400.0, 1.0);
    samples.insert(3, sample(0, Move, 254.0, 400.0, T0 + 40_000)); // 14 px: past the slop
    let out = run(&samples, PHONE_DENSITY, GestureConfig::default());
    assert_eq!(names(&out)[0], "scroll", "(the jump back may fling): {out:?}");
    assert!(!names(&out).contains(&"tap"));
}

#[test]
fn two_taps_250_ms_apart_are_a_double_tap_and_350_ms_apart_two_taps() {
    // "Apart" as Android's double-tap timeout measures it: from the first lift-off to the second
    // touch. Each tap lasts 70 ms, like the Galaxy S taps, and lands a few px from the other.
    let mut rng = Rng(3);
    for (gap_ms, expected) in [(250, vec!["double-tap"]), (350, vec!["tap", "tap"])] {
        let mut samples = Vec::new();
        tap(&mut samples, &mut rng, T0, 70, 240.0, 400.0, 2.0);
        tap(&mut samples, &mut rng, T0 + (70 + gap_ms) * 1000, 70, 244.0, 397.0, 2.0);
        let out = run(&samples, PHONE_DENSITY, GestureConfig::default());
        assert_eq!(names(&out), expected, "{gap_ms} ms");
        let first = &gestures(&out)[0];
        assert_eq!((first.start_ms, first.x, first.y), (T0 / 1000, 160, 267));
        if gap_ms == 250 {
            assert_eq!(first.duration_ms, 70 + 250 + 70);
        }
    }
    // In time but 150 dp away: two taps.
    let mut samples = Vec::new();
    tap(&mut samples, &mut rng, T0, 70, 100.0, 100.0, 2.0);
    tap(&mut samples, &mut rng, T0 + 200_000, 70, 100.0, 330.0, 2.0);
    assert_eq!(names(&run(&samples, PHONE_DENSITY, GestureConfig::default())), ["tap", "tap"]);
}

#[test]
fn four_taps_in_800_ms_in_one_spot_are_one_rage_tap() {
    let mut rng = Rng(11);
    let mut samples = Vec::new();
    for i in 0..4 {
        let (x, y) = (300.0 + rng.jitter(12.0), 500.0 + rng.jitter(12.0));
        tap(&mut samples, &mut rng, T0 + i * 230_000, 60, x, y, 2.0);
    }
    assert!(samples.last().map_or(0, |s| s.time_us - T0) <= 800_000);
    let out = run(&samples, PHONE_DENSITY, GestureConfig::default());
    // The taps also pair into double taps (170 ms between lift-off and the next touch).
    assert_eq!(names(&out), ["double-tap", "double-tap", "rage-tap"]);
    let rage = &struggles(&out)[0];
    assert_eq!((rage.kind, rage.taps, rage.start_ms, rage.duration_ms), (StruggleKind::RageTap, 4, T0 / 1000, 750));
}

#[test]
fn a_long_press_fires_at_the_timeout_and_swallows_the_lift_off() {
    let mut rng = Rng(5);
    let mut samples = Vec::new();
    tap(&mut samples, &mut rng, T0, 900, 240.0, 400.0, 3.0);
    let mut engine = GestureEngine::new(GestureConfig::default(), PHONE_DENSITY);
    let mut out = Vec::new();
    for s in samples.iter().take_while(|s| s.time_us < T0 + 300_000) {
        engine.push(s, None, &mut out);
    }
    engine.advance(T0 / 1000 + 399, &mut out);
    assert!(out.is_empty());
    engine.advance(T0 / 1000 + 400, &mut out);
    assert_eq!(names(&out), ["long-press"]);
    for s in samples.iter().skip_while(|s| s.time_us < T0 + 300_000) {
        engine.push(s, None, &mut out);
    }
    engine.advance(T0 / 1000 + 5000, &mut out);
    assert_eq!(names(&out), ["long-press"]);
    assert_eq!(gestures(&out)[0].duration_ms, 400);
}

// -------------------------------------------------------------------------------------------------
// Flings

fn drag(speed_px_s: f32, frames: i64) -> Vec<TouchSample> {
    let mut samples = vec![sample(0, Down, 200.0, 1000.0, T0)];
    let mut y = 1000.0;
    for i in 1..=frames {
        y -= speed_px_s * PHONE_FRAME_US as f32 / 1e6;
        samples.push(sample(0, Move, 200.0, y, T0 + i * PHONE_FRAME_US));
    }
    samples.push(sample(0, Up, 200.0, y, T0 + frames * PHONE_FRAME_US + 5_000));
    samples
}

#[test]
fn flings_need_the_minimum_velocity_and_are_clamped_to_the_maximum() {
    let out = run(&drag(30_000.0, 6), PHONE_DENSITY, GestureConfig::default());
    assert_eq!(names(&out), ["scroll", "fling"]);
    assert_eq!(gestures(&out)[1].kind, GestureKind::Fling { vx: 0, vy: -8000 });
    let out = run(&drag(1500.0, 10), PHONE_DENSITY, GestureConfig::default());
    assert_eq!(gestures(&out)[1].kind, GestureKind::Fling { vx: 0, vy: -1000 });
    // 60 px/s is 40 dp/s: under the 50 dp/s minimum, so no fling (the drag is still a scroll).
    let out = run(&drag(60.0, 30), PHONE_DENSITY, GestureConfig::default());
    assert_eq!(names(&out), ["scroll"]);
}

// -------------------------------------------------------------------------------------------------
// Targets and dead taps

/// A 360x800 dp screen at density 3: a toolbar title, an image, a list with a row, a Send button.
fn screen() -> ViewTree {
    let d = 3.0;
    let px = |l: f32, t: f32, w: f32, h: f32| PxRect::new(l * d, t * d, w * d, h * d);
    let mut tree = ViewTree::default();
    let root = tree.push(ViewNode::new(1, None, NodeKind::Container, px(0.0, 0.0, 360.0, 800.0)));
    let mut title = ViewNode::new(2, Some(root), NodeKind::Text, px(16.0, 16.0, 200.0, 24.0));
    title.text = Some("Inbox".into());
    tree.push(title);
    let mut image = ViewNode::new(3, Some(root), NodeKind::Image, px(0.0, 56.0, 360.0, 200.0));
    image.content_description = Some("Banner".into());
    tree.push(image);
    let mut list = ViewNode::new(4, Some(root), NodeKind::Scroll, px(0.0, 256.0, 360.0, 464.0));
    list.flags.scrollable = true;
    list.flags.clips_children = true;
    let list = tree.push(list);
    let mut row = ViewNode::new(5, Some(list), NodeKind::Container, px(0.0, 256.0, 360.0, 72.0));
    row.flags.clickable = true;
    tree.push(row);
    let mut send = ViewNode::new(6, Some(root), NodeKind::Button, px(232.0, 728.0, 112.0, 56.0));
    send.flags.clickable = true;
    send.text = Some("Send".into());
    tree.push(send);
    tree
}

fn frame_of(tree: ViewTree) -> Frame {
    let snapshot = Snapshot::capture(tree, 3.0, &PrivacyRules::default(), &RecorderConfig::default().capture_limits())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut classes = reprise_core::ids::ClassTable::default();
    reprise_core::ids::IdMap::default().assign(snapshot, &mut classes).0
}

#[test]
fn taps_name_their_target_and_dead_taps_wait_for_the_hierarchy() {
    let frame = frame_of(screen());
    let tap_at = |engine: &mut GestureEngine, out: &mut Vec<GestureRecord>, t_ms: i64, x_dp: f32, y_dp: f32| {
        let t = t_ms * 1000;
        engine.push(&sample(0, Down, x_dp * 3.0, y_dp * 3.0, t), Some(&frame), out);
        engine.push(&sample(0, Up, x_dp * 3.0, y_dp * 3.0, t + 60_000), Some(&frame), out);
    };
    let base = T0 / 1000;
    let mut engine = GestureEngine::new(GestureConfig::default(), 3.0);
    let mut out = Vec::new();
    tap_at(&mut engine, &mut out, base, 280.0, 750.0); // Send
    tap_at(&mut engine, &mut out, base + 2000, 100.0, 150.0); // the image: nothing happens
    tap_at(&mut engine, &mut out, base + 4000, 100.0, 150.0); // the image again, but ...
    engine.advance(base + 4500, &mut out);
    engine.hierarchy_changed(base + 4500); // ... this time the screen changes
    tap_at(&mut engine, &mut out, base + 6000, 100.0, 300.0); // a list row
    engine.advance(base + 9000, &mut out);
    assert_eq!(names(&out), ["tap", "tap", "dead-tap", "tap", "tap"]);
    let targets: Vec<(u32, NodeKind, bool)> = gestures(&out)
        .iter()
        .map(|g| g.target.as_ref().map(|t| (t.id, t.kind, t.interactive)).unwrap_or((0, NodeKind::Other, false)))
        .collect();
    assert_eq!(
        targets,
        vec![
            (6, NodeKind::Button, true),
            (3, NodeKind::Image, false),
            (3, NodeKind::Image, false),
            (5, NodeKind::Container, true)
        ]
    );
    let send = gestures(&out)[0].target.clone().and_then(|t| t.label);
    assert_eq!(send, Some(Text::Masked(TextShape::of("Send"))), "labels come masked from the frame");
    let dead = &struggles(&out)[0];
    assert_eq!((dead.start_ms, dead.taps, dead.target.as_ref().map(|t| t.id)), (base + 2000, 1, Some(3)));
}

// -------------------------------------------------------------------------------------------------
// Hostile input: nothing panics, and a clean tap afterwards is recognized as one.

fn then_a_tap_works(engine: &mut GestureEngine, after_ms: i64) {
    let mut out = Vec::new();
    engine.advance(after_ms, &mut out);
    out.clear();
    let t = (after_ms + 10_000) * 1000;
    engine.push(&sample(3, Down, 100.0, 100.0, t), None, &mut out);
    engine.push(&sample(3, Up, 101.0, 100.0, t + 50_000), None, &mut out);
    engine.advance(after_ms + 20_000, &mut out);
    assert_eq!(names(&out).last(), Some(&"tap"), "{out:?}");
}

fn feed(samples: &[TouchSample]) -> (GestureEngine, Vec<GestureRecord>) {
    let mut engine = GestureEngine::new(GestureConfig::default(), PHONE_DENSITY);
    let mut out = Vec::new();
    for s in samples {
        engine.push(s, None, &mut out);
    }
    (engine, out)
}

#[test]
fn timestamps_going_backwards_are_clamped() {
    let mut samples = drag(1500.0, 10);
    for (i, s) in samples.iter_mut().enumerate().skip(3).take(4) {
        s.time_us = T0 - 1_000_000 * i as i64; // seconds into the past
    }
    let (mut engine, mut out) = feed(&samples);
    engine.advance(T0 / 1000 + 1000, &mut out);
    assert_eq!(names(&out)[0], "scroll");
    assert!(gestures(&out).iter().all(|g| g.duration_ms < 1000 && g.start_ms >= T0 / 1000));
    then_a_tap_works(&mut engine, T0 / 1000 + 2000);
}

#[test]
fn a_jump_far_into_the_past_is_a_clock_reset_that_ends_the_touch_in_progress() {
    let mut samples = drag(1500.0, 10);
    let up = samples.pop().unwrap_or_else(|| sample(0, Up, 0.0, 0.0, T0));
    let past = T0 - 3_600_000_000; // an hour earlier: not jitter
    samples.push(sample(0, Down, 50.0, 50.0, past));
    samples.push(sample(0, Up, 50.0, 50.0, past + 40_000));
    samples.push(TouchSample { time_us: past + 50_000, ..up }); // the old touch's lost lift-off
    let (mut engine, mut out) = feed(&samples);
    engine.advance(past / 1000 + 1000, &mut out);
    assert_eq!(names(&out), ["scroll", "cancel", "tap"]);
    assert_eq!(gestures(&out)[2].start_ms, past / 1000);
    then_a_tap_works(&mut engine, past / 1000 + 2000);
}

#[test]
fn an_up_without_a_down_is_ignored_and_counted() {
    let (mut engine, out) = feed(&[
        sample(7, Up, 10.0, 10.0, T0),
        sample(7, PointerUp, 10.0, 10.0, T0 + 1),
        sample(8, Move, 1.0, 1.0, T0 + 2),
    ]);
    assert!(out.is_empty());
    assert_eq!(engine.ignored_samples(), 3);
    then_a_tap_works(&mut engine, T0 / 1000 + 1000);
}

#[test]
fn a_cancel_mid_pinch_records_the_pinch_so_far_and_resets() {
    let mut rng = Rng(9);
    let mut samples = pinch(&mut rng, (640.0, 400.0), 0.0, 300.0, 750.0, 10_000);
    let cut = samples.iter().position(|s| s.time_us > T0 + 350_000).unwrap_or(samples.len());
    samples.truncate(cut);
    samples.push(sample(0, Cancel, 0.0, 0.0, T0 + 351_000));
    let (mut engine, out) = feed(&samples);
    assert_eq!(names(&out), ["pinch", "cancel"]);
    let GestureKind::Pinch { scale, .. } = gestures(&out)[0].kind else { unreachable!() };
    assert!(scale > 1.2 && scale < 2.5, "{scale}");
    // Moves and ups of the cancelled pointers are now unknown: ignored, nothing emitted.
    let mut more = Vec::new();
    engine.push(&sample(1, Move, 5.0, 5.0, T0 + 360_000), None, &mut more);
    engine.push(&sample(1, PointerUp, 5.0, 5.0, T0 + 370_000), None, &mut more);
    engine.push(&sample(0, Up, 5.0, 5.0, T0 + 380_000), None, &mut more);
    assert!(more.is_empty());
    then_a_tap_works(&mut engine, T0 / 1000 + 1000);
}

#[test]
fn eleven_pointers_at_once_are_capped_at_ten() {
    let mut samples = vec![sample(0, Down, 50.0, 500.0, T0)];
    for id in 1..11u32 {
        samples.push(sample(id, PointerDown, 50.0 + id as f32 * 40.0, 500.0, T0 + 1000 * i64::from(id)));
    }
    for frame in 1..20i64 {
        for id in 0..11u32 {
            let x = 50.0 + id as f32 * 40.0 + frame as f32 * 6.0;
            samples.push(sample(id, Move, x, 500.0, T0 + 20_000 + frame * PHONE_FRAME_US));
        }
    }
    for id in (1..11u32).rev() {
        samples.push(sample(id, PointerUp, 0.0, 0.0, T0 + 400_000));
    }
    samples.push(sample(0, Up, 0.0, 0.0, T0 + 401_000));
    let (mut engine, out) = feed(&samples);
    assert_eq!(engine.ignored_samples(), 1 + 19 + 1, "the 11th pointer's down, moves and up");
    assert_eq!(names(&out), ["two-finger-pan"], "ten fingers sliding right together");
    then_a_tap_works(&mut engine, T0 / 1000 + 1000);
}

#[test]
fn non_finite_coordinates_are_ignored_but_an_up_still_ends_the_touch() {
    let (mut engine, out) = feed(&[
        sample(0, Down, f32::NAN, 10.0, T0),
        sample(0, Move, 10.0, 10.0, T0 + 10_000), // its down was refused: unknown pointer
        sample(1, Down, 200.0, 200.0, T0 + 20_000),
        sample(1, Move, f32::INFINITY, 200.0, T0 + 30_000),
        sample(1, Move, 200.0, f32::NEG_INFINITY, T0 + 40_000),
        sample(1, Up, f32::NAN, f32::NAN, T0 + 80_000),
    ]);
    assert_eq!(engine.ignored_samples(), 4);
    let mut out = out;
    engine.advance(T0 / 1000 + 1000, &mut out);
    assert_eq!(names(&out), ["tap"]);
    assert_eq!((gestures(&out)[0].x, gestures(&out)[0].y), (133, 133));
    then_a_tap_works(&mut engine, T0 / 1000 + 2000);
}

#[test]
fn absurd_values_do_not_overflow() {
    let (mut engine, _) = feed(&[
        sample(u32::MAX, Down, 3.0e38, -3.0e38, i64::MIN),
        sample(u32::MAX, Move, -3.0e38, 3.0e38, i64::MAX),
        sample(u32::MAX, Up, 0.0, 0.0, i64::MIN),
    ]);
    let mut out = Vec::new();
    engine.advance(i64::MAX, &mut out);
    engine.set_density(f32::NAN);
    engine.hierarchy_changed(i64::MIN);
    engine.reset();
    then_a_tap_works(&mut engine, T0 / 1000);
}

fn any_sample() -> impl Strategy<Value = TouchSample> {
    let action = prop_oneof![Just(Down), Just(Move), Just(Up), Just(Cancel), Just(PointerDown), Just(PointerUp)];
    let coord = prop_oneof![
        4 => -100.0f32..2000.0,
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
        1 => any::<f32>(),
    ];
    (0u32..14, action, coord.clone(), coord, -50_000i64..200_000).prop_map(|(pointer_id, action, x, y, dt)| {
        TouchSample {
            pointer_id,
            action,
            x,
            y,
            time_us: dt, // offsets, made absolute (and sometimes backwards) below
            pressure: None,
            size: None,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Arbitrary streams of samples (unknown pointers, up to 14 ids, NaN and infinite coordinates,
    /// time jumping back and forth) never panic, and a clean tap afterwards is a tap.
    #[test]
    fn arbitrary_streams_never_panic_and_leave_a_working_engine(stream in prop::collection::vec(any_sample(), 0..200)) {
        let mut engine = GestureEngine::new(GestureConfig::default(), 2.0);
        let mut out = Vec::new();
        let mut t = T0;
        for mut s in stream {
            t += s.time_us;
            s.time_us = t;
            engine.push(&s, None, &mut out);
            if s.pointer_id == 13 {
                engine.advance(t / 1000, &mut out);
            }
        }
        then_a_tap_works(&mut engine, t / 1000 + 1000);
    }
}

// -------------------------------------------------------------------------------------------------
// End to end: touches through the session writer, into a sealed segment and back.

#[test]
fn a_tap_through_the_session_writer_decodes_with_its_target() {
    let start_ms = T0 / 1000;
    let session = SessionStart {
        id: SessionId::new_v7(start_ms),
        started_ms: start_ms,
        metadata: SessionMetadata { density: 3.0, ..SessionMetadata::default() },
        user: UserInfo::default(),
    };
    let mut writer = SessionWriter::new(RecorderConfig::default(), session, Arc::new(Counters::default()))
        .unwrap_or_else(|e| panic!("{e}"));
    let snapshot =
        Snapshot::capture(screen(), 3.0, &PrivacyRules::default(), &RecorderConfig::default().capture_limits())
            .unwrap_or_else(|e| panic!("{e}"));
    writer.snapshot(start_ms, snapshot);
    let send_id = writer
        .last_frame()
        .and_then(|f| f.nodes.iter().find(|n| n.props.kind == NodeKind::Button))
        .map(|n| n.id)
        .unwrap_or_default();

    let t = (start_ms + 1000) * 1000;
    writer.touches(&[
        sample(0, Down, 840.0, 2250.0, t),
        sample(0, Move, 842.0, 2251.0, t + 16_000),
        sample(0, Up, 842.0, 2251.0, t + 70_000),
    ]);
    // The tap is certain once the double-tap window closes: the next event's time tells.
    writer.event(start_ms + 1500, Event::ScreenView { name: "Sent".into() });
    writer.seal();

    let records: Vec<Record> = writer
        .take_sealed()
        .iter()
        .flat_map(|s| decode(&s.bytes, DecodeLimits::default()).map(|d| d.records.records).unwrap_or_default())
        .map(|r| r.record)
        .collect();
    let gestures: Vec<&reprise_core::Gesture> = records
        .iter()
        .filter_map(|r| match r {
            Record::Gesture(g) => Some(g),
            _ => None,
        })
        .collect();
    assert_eq!(gestures.len(), 1, "{records:?}");
    let tap = gestures[0];
    assert_eq!(
        (tap.kind, tap.start_ms, tap.duration_ms, tap.x, tap.y),
        (GestureKind::Tap, start_ms + 1000, 70, 280, 750)
    );
    let target = tap.target.clone().unwrap_or_else(|| panic!("no target"));
    assert_eq!((target.id, target.kind, target.interactive), (send_id, NodeKind::Button, true));
    assert_eq!(target.label, Some(Text::Masked(TextShape::of("Send"))));
    assert!(records.iter().any(|r| matches!(r, Record::Touches(_))), "the raw samples are recorded too");
    assert!(!records.iter().any(|r| matches!(r, Record::Struggle(_))));
}

#[test]
fn samples_the_engine_ignores_are_counted_in_the_writer_stats() {
    let stats = Arc::new(Counters::default());
    let start = SessionStart { id: SessionId::new_v7(1_700_000_000_000), started_ms: 1_700_000_000_000, metadata: SessionMetadata { density: 3.0, ..SessionMetadata::default() }, user: UserInfo::default() };
    let mut writer = SessionWriter::new(RecorderConfig::default(), start, stats.clone()).expect("writer");
    let t = 1_700_000_000_000_000i64;
    // An up for a pointer never down, a NaN move, then a clean tap.
    writer.touches(&[sample(7, Up, 10.0, 10.0, t), sample(0, Down, 30.0, 30.0, t + 1000)]);
    writer.touches(&[sample(0, Move, f32::NAN, 30.0, t + 17_000), sample(0, Up, 30.0, 30.0, t + 60_000)]);
    let stats = stats.snapshot();
    assert_eq!(stats.ignored_gesture_samples, 2, "{stats:?}");
    assert_eq!(stats.dropped_touch_samples, 1, "the NaN sample is not recorded either");
}
