//! Touches and gestures drawn over the wireframe: a dot under each finger with a short trail
//! (scroll trails), a line between two fingers (pinch spans), ripples where taps landed (red for
//! rage taps, amber for dead taps).
//!
//! Overlays move faster than snapshots, so they are sampled: [`Overlays::frames`] gives the
//! overlay at a fixed rate within the moments something is shown, and an empty one where it ends.
//! The player and the renderer both use these samples; neither computes overlays itself.

use reprise_core::gesture::{GestureKind, StruggleKind};
use reprise_core::touch::RecordedTouch;
use reprise_core::{Record, TouchAction};
use serde::Serialize;

use super::scene::Op;
use super::timeline::Timeline;

/// How long a trail stays behind a finger, ms.
pub const TRAIL_MS: i64 = 500;
/// How long a ripple lasts, ms.
pub const RIPPLE_MS: i64 = 600;
const FINGER: u32 = 0x663B_82F6;
const FINGER_EDGE: u32 = 0xCC25_63EB;
const TRAIL: u32 = 0x993B_82F6;
const SPAN: u32 = 0xCCF5_9E0B;
const TAP: u32 = 0xFF25_63EB;
const RAGE: u32 = 0xFFDC_2626;
const DEAD: u32 = 0xFFD9_7706;

/// One finger from touch-down to lift-off.
#[derive(Debug, Clone)]
struct Stroke {
    down_ms: i64,
    up_ms: i64,
    points: Vec<(i64, f32, f32)>,
}

/// A ripple: where and when, and its colour.
#[derive(Debug, Clone, Copy)]
struct Ripple {
    start_ms: i64,
    x: f32,
    y: f32,
    color: u32,
    /// Rings drawn one after another (taps of a rage tap).
    rings: u32,
}

/// The overlay at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlayFrame {
    /// Unix ms.
    pub time_ms: i64,
    /// What to draw over the scene.
    pub ops: Vec<Op>,
}

/// A session's touches and gestures, ready to be drawn at any moment.
#[derive(Debug, Clone, Default)]
pub struct Overlays {
    strokes: Vec<Stroke>,
    ripples: Vec<Ripple>,
}

impl Overlays {
    /// Collects the touches, taps and struggle signals of a timeline.
    pub fn of(timeline: &Timeline) -> Overlays {
        let mut ripples = Vec::new();
        for r in &timeline.records {
            match &r.record {
                Record::Gesture(g) if matches!(g.kind, GestureKind::Tap | GestureKind::DoubleTap | GestureKind::LongPress) => {
                    let rings = if g.kind == GestureKind::DoubleTap { 2 } else { 1 };
                    ripples.push(Ripple { start_ms: g.start_ms, x: g.x as f32, y: g.y as f32, color: TAP, rings });
                }
                Record::Struggle(s) => {
                    let color = match s.kind {
                        StruggleKind::RageTap => RAGE,
                        StruggleKind::DeadTap => DEAD,
                    };
                    ripples.push(Ripple { start_ms: s.start_ms, x: s.x as f32, y: s.y as f32, color, rings: s.taps.clamp(1, 8) });
                }
                _ => {}
            }
        }
        ripples.sort_by_key(|r| r.start_ms);
        Overlays { strokes: strokes(&timeline.touches()), ripples }
    }

    /// What to draw at `time_ms` (nothing when no finger is down and no ripple is fading).
    pub fn at(&self, time_ms: i64) -> Vec<Op> {
        let mut ops = Vec::new();
        let mut fingers = Vec::new();
        for stroke in &self.strokes {
            if time_ms < stroke.down_ms || time_ms > stroke.up_ms + TRAIL_MS {
                continue;
            }
            let trail: Vec<[f32; 2]> = stroke
                .points
                .iter()
                .filter(|(t, _, _)| *t <= time_ms && *t >= time_ms - TRAIL_MS)
                .map(|&(_, x, y)| [x, y])
                .collect();
            if trail.len() >= 2 {
                ops.push(Op::Path { points: trail, color: TRAIL, line: 3.0 });
            }
            if time_ms <= stroke.up_ms
                && let Some(&(_, x, y)) = stroke.points.iter().take_while(|(t, _, _)| *t <= time_ms).last()
            {
                fingers.push((x, y));
            }
        }
        if let [a, b, ..] = fingers[..] {
            ops.push(Op::Line { x1: a.0, y1: a.1, x2: b.0, y2: b.1, color: SPAN, line: 2.0, clip: None });
        }
        for (x, y) in fingers {
            ops.push(Op::Circle { x, y, r: 14.0, fill: Some(FINGER), stroke: Some(FINGER_EDGE), line: 2.0 });
        }
        for ripple in &self.ripples {
            for ring in 0..ripple.rings {
                let start = ripple.start_ms + i64::from(ring) * 150;
                if time_ms < start || time_ms >= start + RIPPLE_MS {
                    continue;
                }
                let p = (time_ms - start) as f32 / RIPPLE_MS as f32;
                let alpha = ((1.0 - p) * 255.0) as u8;
                let color = super::scene::with_alpha(ripple.color, alpha);
                ops.push(Op::Circle { x: ripple.x, y: ripple.y, r: 10.0 + 30.0 * p, fill: None, stroke: Some(color), line: 3.0 });
            }
        }
        ops
    }

    /// The spans of time during which something is drawn, merged and in order.
    pub fn active(&self) -> Vec<(i64, i64)> {
        let mut spans: Vec<(i64, i64)> = self.strokes.iter().map(|s| (s.down_ms, s.up_ms + TRAIL_MS)).collect();
        spans.extend(self.ripples.iter().map(|r| (r.start_ms, r.start_ms + i64::from(r.rings) * 150 + RIPPLE_MS)));
        spans.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (from, to) in spans {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        merged
    }

    /// The overlay sampled every `1000 / fps` ms (on a grid from each active span's start, see
    /// [`Overlays::active`]) within `from_ms..=to_ms`, with the sample in effect at `from_ms`, each
    /// span that ends in the window closed by an empty sample at its end. However long a touch,
    /// the answer holds at most one sample per step of the window (plus one per span).
    pub fn frames(&self, fps: u32, from_ms: i64, to_ms: i64) -> Vec<OverlayFrame> {
        let step = i64::from(1000 / fps.clamp(1, 60));
        // Only what can be drawn in the window is looked at when sampling.
        let within = self.within(from_ms, to_ms);
        let mut out = Vec::new();
        for (start, end) in self.active() {
            if end < from_ms || start > to_ms {
                continue;
            }
            let mut t = start + (from_ms - start).max(0) / step * step;
            while t < end && t <= to_ms {
                out.push(OverlayFrame { time_ms: t, ops: within.at(t) });
                t += step;
            }
            if end <= to_ms {
                out.push(OverlayFrame { time_ms: end, ops: Vec::new() });
            }
        }
        out
    }

    /// The strokes (with the points of the window and one trail before it) and ripples that can
    /// be drawn within `from_ms..=to_ms`.
    fn within(&self, from_ms: i64, to_ms: i64) -> Overlays {
        let strokes = self
            .strokes
            .iter()
            .filter(|s| s.down_ms <= to_ms && s.up_ms + TRAIL_MS >= from_ms)
            .map(|s| {
                let first = s.points.partition_point(|(t, _, _)| *t < from_ms - TRAIL_MS).saturating_sub(1);
                let last = s.points.partition_point(|(t, _, _)| *t <= to_ms);
                Stroke { down_ms: s.down_ms, up_ms: s.up_ms, points: s.points[first..last.max(first)].to_vec() }
            })
            .collect();
        let ripples = self
            .ripples
            .iter()
            .filter(|r| r.start_ms <= to_ms && r.start_ms + i64::from(r.rings) * 150 + RIPPLE_MS >= from_ms)
            .copied()
            .collect();
        Overlays { strokes, ripples }
    }

    /// What the strokes and ripples hold in memory.
    pub fn memory_bytes(&self) -> usize {
        let points: usize = self.strokes.iter().map(|s| s.points.capacity()).sum();
        self.strokes.capacity() * std::mem::size_of::<Stroke>()
            + points * std::mem::size_of::<(i64, f32, f32)>()
            + self.ripples.capacity() * std::mem::size_of::<Ripple>()
    }
}

/// Splits raw samples into strokes, one per finger from down to lift-off (an `Up` or `Cancel`
/// ends every finger).
fn strokes(touches: &[RecordedTouch]) -> Vec<Stroke> {
    let mut done = Vec::new();
    let mut open: Vec<(u32, Stroke)> = Vec::new();
    for t in touches {
        let point = (t.time_ms, t.x as f32, t.y as f32);
        match t.action {
            Some(TouchAction::Down | TouchAction::PointerDown) => {
                if let Some(i) = open.iter().position(|(p, _)| *p == t.pointer_id) {
                    done.push(open.swap_remove(i).1);
                }
                open.push((t.pointer_id, Stroke { down_ms: t.time_ms, up_ms: t.time_ms, points: vec![point] }));
            }
            Some(TouchAction::Move) => {
                if let Some((_, s)) = open.iter_mut().find(|(p, _)| *p == t.pointer_id) {
                    s.points.push(point);
                    s.up_ms = t.time_ms;
                }
            }
            Some(TouchAction::PointerUp) => {
                if let Some(i) = open.iter().position(|(p, _)| *p == t.pointer_id) {
                    let (_, mut s) = open.swap_remove(i);
                    s.points.push(point);
                    s.up_ms = t.time_ms;
                    done.push(s);
                }
            }
            Some(TouchAction::Up | TouchAction::Cancel) => {
                for (pointer, mut s) in open.drain(..) {
                    if pointer == t.pointer_id {
                        s.points.push(point);
                    }
                    s.up_ms = t.time_ms;
                    done.push(s);
                }
            }
            None => {}
        }
    }
    done.extend(open.into_iter().map(|(_, s)| s));
    done.sort_by_key(|s| s.down_ms);
    done
}
