//! The multi-pointer state machine: raw samples in, gestures out.
//!
//! A touch sequence runs from the first pointer down to the last pointer up. With one pointer it
//! is *pressed* until it moves beyond the slop (a scroll, maybe ending in a fling), rests for the
//! long-press timeout (a long press), or lifts (a tap, held back for the double-tap timeout in case
//! a second tap follows). A second pointer makes it *multi*: the span and focal point of the
//! pointers decide between a pinch (the span changes beyond the pinch slop first) and a two-finger
//! pan (the focal point moves beyond the touch slop first). Once a multi gesture ends, or after a
//! long press, the rest of the sequence is *consumed*.
//!
//! Hostile input never panics: non-finite or unknown-pointer samples are ignored and counted,
//! pointers beyond the cap are ignored, a first-pointer down while pointers are still down cancels
//! what is in progress, and an up or cancel always lets the state reset. Times arrive already
//! monotonic (the engine's clock sees to it).

use crate::event::{TouchAction, TouchSample};
use crate::frame::Frame;

use super::hit_test::hit_test;
use super::velocity::VelocityTracker;
use super::{Gesture, GestureConfig, GestureKind, GestureRecord, Tap, Target, duration_ms, ms, round_dp};

/// Largest coordinate kept, in dp; beyond it values are clamped so arithmetic stays finite.
const MAX_COORD_DP: f32 = 10_000_000.0;

/// A position in dp.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Point {
    x: f32,
    y: f32,
}

impl Point {
    fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

#[derive(Debug, Clone)]
struct Pointer {
    id: u32,
    down: Point,
    pos: Point,
    velocity: VelocityTracker,
}

/// Where the touch sequence started and what it landed on.
#[derive(Debug, Clone, Default)]
struct Sequence {
    start_us: i64,
    start: Point,
    target: Option<Target>,
    frame_known: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MultiMode {
    Undecided,
    Pinch,
    Pan,
}

/// Two or more pointers: their span and focal point, re-based whenever a pointer comes or goes
/// so that the scale and shift accumulate across pointer changes without jumps.
#[derive(Debug, Clone)]
struct Multi {
    mode: MultiMode,
    start_us: i64,
    start_focal: Point,
    start_span: f32,
    target: Option<Target>,
    base_span: f32,
    base_focal: Point,
    scale: f32,
    shift: Point,
    span: f32,
    focal: Point,
}

impl Multi {
    fn total_scale(&self) -> f32 {
        if self.base_span > f32::EPSILON { self.scale * self.span / self.base_span } else { self.scale }
    }

    fn total_shift(&self) -> Point {
        Point { x: self.shift.x + self.focal.x - self.base_focal.x, y: self.shift.y + self.focal.y - self.base_focal.y }
    }

    fn rebase(&mut self, span: f32, focal: Point) {
        self.scale = self.total_scale();
        self.shift = self.total_shift();
        self.base_span = span;
        self.base_focal = focal;
        self.span = span;
        self.focal = focal;
    }

    /// Takes the new span and focal point; an undecided gesture becomes a pinch or a pan once the
    /// span or the focal point moves past its slop (whichever is further past it, on a tie).
    fn update(&mut self, span: f32, focal: Point, config: &GestureConfig) {
        self.span = span;
        self.focal = focal;
        if self.mode == MultiMode::Undecided {
            let shift = self.total_shift();
            let span_excess = (self.start_span * self.total_scale() - self.start_span).abs() / config.pinch_slop_dp;
            let shift_excess = shift.x.hypot(shift.y) / config.touch_slop_dp;
            if span_excess > 1.0 || shift_excess > 1.0 {
                self.mode = if span_excess >= shift_excess { MultiMode::Pinch } else { MultiMode::Pan };
            }
        }
    }

    fn gesture(&self, end_us: i64) -> Option<Gesture> {
        let kind = match self.mode {
            MultiMode::Undecided => return None,
            MultiMode::Pinch => GestureKind::Pinch {
                scale: self.total_scale(),
                start_span: round_dp(self.start_span),
                end_span: round_dp(self.span),
            },
            MultiMode::Pan => {
                let shift = self.total_shift();
                GestureKind::TwoFingerPan { dx: round_dp(shift.x), dy: round_dp(shift.y) }
            }
        };
        Some(gesture(kind, self.start_us, end_us, self.start_focal, self.target.clone()))
    }
}

#[derive(Debug, Clone, Default)]
enum Phase {
    /// No pointer down.
    #[default]
    Idle,
    /// One pointer down, still within the slop.
    Pressed,
    /// One pointer dragged beyond the slop.
    Scrolling,
    /// Two or more pointers.
    Multi(Box<Multi>),
    /// The sequence's gesture is over; the rest is ignored until every pointer is up.
    Consumed,
}

/// The recognizer's state. Times are microseconds, positions dp.
#[derive(Debug, Default)]
pub struct Recognizer {
    pointers: Vec<Pointer>,
    phase: Phase,
    sequence: Sequence,
    pending_tap: Option<Tap>,
    ignored: u64,
}

impl Recognizer {
    /// Samples ignored so far.
    pub fn ignored(&self) -> u64 {
        self.ignored
    }

    /// Forgets everything, emitting nothing.
    pub fn reset(&mut self) {
        let ignored = self.ignored;
        *self = Self::default();
        self.ignored = ignored;
    }

    /// Takes one sample at time `t` (microseconds, never earlier than the previous call's).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        sample: &TouchSample,
        t: i64,
        density: f32,
        frame: Option<&Frame>,
        config: &GestureConfig,
        out: &mut Vec<GestureRecord>,
        taps: &mut Vec<Tap>,
    ) {
        self.timeouts(t, config, out);
        let point = (sample.x.is_finite() && sample.y.is_finite()).then(|| Point {
            x: (sample.x / density).clamp(-MAX_COORD_DP, MAX_COORD_DP),
            y: (sample.y / density).clamp(-MAX_COORD_DP, MAX_COORD_DP),
        });
        let id = sample.pointer_id;
        match sample.action {
            TouchAction::Down => self.pointer_down(id, point, true, t, frame, config, out),
            TouchAction::PointerDown if self.index(id).is_some() => self.pointer_move(id, point, t, config, out),
            TouchAction::PointerDown => self.pointer_down(id, point, false, t, frame, config, out),
            TouchAction::Move => self.pointer_move(id, point, t, config, out),
            TouchAction::Up | TouchAction::PointerUp => self.pointer_up(id, point, t, config, out, taps),
            TouchAction::Cancel => self.cancel(t, out),
        }
    }

    /// Resolves the timeouts due by `t`.
    pub(crate) fn advance(&mut self, t: i64, config: &GestureConfig, out: &mut Vec<GestureRecord>) {
        self.timeouts(t, config, out);
    }

    /// Ends everything at `t` as if the platform had cancelled: a pending tap is a tap, a moving
    /// gesture is recorded as far as it went, a sequence in progress ends with a cancel.
    pub(crate) fn interrupt(&mut self, t: i64, out: &mut Vec<GestureRecord>) {
        self.flush_pending_tap(out);
        self.cancel(t, out);
    }

    /// Fires the long press and emits a tap whose double-tap window closed.
    fn timeouts(&mut self, t: i64, config: &GestureConfig, out: &mut Vec<GestureRecord>) {
        let long_press_us = i64::from(config.long_press_timeout_ms) * 1000;
        if matches!(self.phase, Phase::Pressed) && t.saturating_sub(self.sequence.start_us) >= long_press_us {
            self.flush_pending_tap(out);
            let s = &self.sequence;
            let end = s.start_us.saturating_add(long_press_us);
            emit(out, gesture(GestureKind::LongPress, s.start_us, end, s.start, s.target.clone()));
            self.phase = Phase::Consumed;
        }
        let window_us = i64::from(config.double_tap_timeout_ms) * 1000;
        if self.pointers.is_empty()
            && self.pending_tap.as_ref().is_some_and(|tap| t.saturating_sub(tap.up_us) > window_us)
        {
            self.flush_pending_tap(out);
        }
    }

    fn index(&self, id: u32) -> Option<usize> {
        self.pointers.iter().position(|p| p.id == id)
    }

    #[allow(clippy::too_many_arguments)]
    fn pointer_down(
        &mut self,
        id: u32,
        point: Option<Point>,
        fresh: bool,
        t: i64,
        frame: Option<&Frame>,
        config: &GestureConfig,
        out: &mut Vec<GestureRecord>,
    ) {
        let Some(p) = point else {
            self.ignored += 1;
            return;
        };
        if fresh && !self.pointers.is_empty() {
            // A new first pointer while pointers are still down: their ups were lost.
            self.cancel(t, out);
        }
        if self.pointers.len() >= config.max_pointers as usize {
            self.ignored += 1;
            return;
        }
        let mut velocity = VelocityTracker::default();
        velocity.add(t, p.x, p.y);
        self.pointers.push(Pointer { id, down: p, pos: p, velocity });

        if self.pointers.len() == 1 {
            self.begin_sequence(p, t, frame, config, out);
            return;
        }
        match &mut self.phase {
            Phase::Multi(multi) => {
                let (span, focal) = span_and_focal(&self.pointers);
                multi.rebase(span, focal);
            }
            Phase::Pressed | Phase::Scrolling => {
                self.flush_pending_tap(out);
                if matches!(self.phase, Phase::Scrolling) {
                    self.emit_scroll(t, out);
                }
                let (span, focal) = span_and_focal(&self.pointers);
                self.phase = Phase::Multi(Box::new(Multi {
                    mode: MultiMode::Undecided,
                    start_us: t,
                    start_focal: focal,
                    start_span: span,
                    target: frame.and_then(|f| hit_test(f, focal.x, focal.y)),
                    base_span: span,
                    base_focal: focal,
                    scale: 1.0,
                    shift: Point::default(),
                    span,
                    focal,
                }));
            }
            Phase::Idle | Phase::Consumed => self.phase = Phase::Consumed,
        }
    }

    fn begin_sequence(
        &mut self,
        p: Point,
        t: i64,
        frame: Option<&Frame>,
        config: &GestureConfig,
        out: &mut Vec<GestureRecord>,
    ) {
        // A tap waiting for its double-tap partner: this touch can only be that partner if it
        // comes in time and close enough.
        if let Some(tap) = &self.pending_tap {
            let gap = t.saturating_sub(tap.up_us);
            let in_time = gap >= i64::from(config.double_tap_min_time_ms) * 1000
                && gap <= i64::from(config.double_tap_timeout_ms) * 1000;
            let close = Point { x: tap.x, y: tap.y }.distance(p) <= config.double_tap_slop_dp;
            if !(in_time && close) {
                self.flush_pending_tap(out);
            }
        }
        self.sequence = Sequence {
            start_us: t,
            start: p,
            target: frame.and_then(|f| hit_test(f, p.x, p.y)),
            frame_known: frame.is_some(),
        };
        self.phase = Phase::Pressed;
    }

    fn pointer_move(
        &mut self,
        id: u32,
        point: Option<Point>,
        t: i64,
        config: &GestureConfig,
        out: &mut Vec<GestureRecord>,
    ) {
        let (Some(p), Some(index)) = (point, self.index(id)) else {
            self.ignored += 1;
            return;
        };
        let Some(pointer) = self.pointers.get_mut(index) else { return };
        pointer.pos = p;
        pointer.velocity.add(t, p.x, p.y);
        let moved = pointer.down.distance(p);
        match &mut self.phase {
            Phase::Pressed if moved > config.touch_slop_dp => {
                self.flush_pending_tap(out);
                self.phase = Phase::Scrolling;
            }
            Phase::Multi(multi) => {
                let (span, focal) = span_and_focal(&self.pointers);
                multi.update(span, focal, config);
            }
            _ => {}
        }
    }

    fn pointer_up(
        &mut self,
        id: u32,
        point: Option<Point>,
        t: i64,
        config: &GestureConfig,
        out: &mut Vec<GestureRecord>,
        taps: &mut Vec<Tap>,
    ) {
        let Some(index) = self.index(id) else {
            self.ignored += 1;
            return;
        };
        if let (Some(p), Some(pointer)) = (point, self.pointers.get_mut(index)) {
            // The lift-off position ends the gesture but, as in AOSP, adds nothing to velocity.
            pointer.pos = p;
        }
        match std::mem::take(&mut self.phase) {
            Phase::Pressed => self.tap(t, out, taps),
            Phase::Scrolling => {
                self.emit_scroll(t, out);
                if let Some(pointer) = self.pointers.get(index) {
                    self.emit_fling(pointer, t, config, out);
                }
                self.phase = Phase::Consumed;
            }
            Phase::Multi(mut multi) => {
                let remaining = self.pointers.iter().filter(move |p| p.id != id);
                if remaining.clone().count() >= 2 {
                    let (span, focal) = span_and_focal_of(remaining);
                    multi.rebase(span, focal);
                    self.phase = Phase::Multi(multi);
                } else {
                    if let Some(g) = multi.gesture(t) {
                        emit(out, g);
                    }
                    self.phase = Phase::Consumed;
                }
            }
            other => self.phase = other,
        }
        self.pointers.remove(index);
        if self.pointers.is_empty() {
            self.phase = Phase::Idle;
        }
    }

    fn tap(&mut self, t: i64, out: &mut Vec<GestureRecord>, taps: &mut Vec<Tap>) {
        let s = &self.sequence;
        let tap = Tap {
            down_us: s.start_us,
            up_us: t,
            x: s.start.x,
            y: s.start.y,
            target: s.target.clone(),
            frame_known: s.frame_known,
        };
        taps.push(tap.clone());
        // A pending tap still here was checked at this touch's down: this is its second tap.
        match self.pending_tap.take() {
            Some(first) => {
                let start = Point { x: first.x, y: first.y };
                emit(out, gesture(GestureKind::DoubleTap, first.down_us, t, start, first.target));
            }
            None => self.pending_tap = Some(tap),
        }
    }

    fn flush_pending_tap(&mut self, out: &mut Vec<GestureRecord>) {
        if let Some(tap) = self.pending_tap.take() {
            let start = Point { x: tap.x, y: tap.y };
            emit(out, gesture(GestureKind::Tap, tap.down_us, tap.up_us, start, tap.target));
        }
    }

    fn emit_scroll(&self, t: i64, out: &mut Vec<GestureRecord>) {
        let Some(pointer) = self.pointers.first() else { return };
        let s = &self.sequence;
        let kind = GestureKind::Scroll {
            dx: round_dp(pointer.pos.x) - round_dp(s.start.x),
            dy: round_dp(pointer.pos.y) - round_dp(s.start.y),
        };
        emit(out, gesture(kind, s.start_us, t, s.start, s.target.clone()));
    }

    fn emit_fling(&self, pointer: &Pointer, t: i64, config: &GestureConfig, out: &mut Vec<GestureRecord>) {
        let Some((vx, vy)) = pointer.velocity.release_velocity(t) else { return };
        if !(vx.is_finite() && vy.is_finite()) {
            return;
        }
        if vx.abs() <= config.min_fling_velocity_dp && vy.abs() <= config.min_fling_velocity_dp {
            return;
        }
        let max = config.max_fling_velocity_dp;
        let kind = GestureKind::Fling { vx: round_dp(vx.clamp(-max, max)), vy: round_dp(vy.clamp(-max, max)) };
        emit(out, gesture(kind, t, t, pointer.pos, self.sequence.target.clone()));
    }

    /// Ends the sequence: a pending tap is a tap, a moving gesture is recorded as far as it went,
    /// then a cancel marks the sequence.
    fn cancel(&mut self, t: i64, out: &mut Vec<GestureRecord>) {
        if self.pointers.is_empty() {
            return;
        }
        self.flush_pending_tap(out);
        match std::mem::take(&mut self.phase) {
            Phase::Scrolling => self.emit_scroll(t, out),
            Phase::Multi(multi) => {
                if let Some(g) = multi.gesture(t) {
                    emit(out, g);
                }
            }
            _ => {}
        }
        let s = &self.sequence;
        emit(out, gesture(GestureKind::Cancel, s.start_us, t, s.start, s.target.clone()));
        self.pointers.clear();
        self.phase = Phase::Idle;
    }
}

fn gesture(kind: GestureKind, start_us: i64, end_us: i64, at: Point, target: Option<Target>) -> Gesture {
    Gesture {
        kind,
        start_ms: ms(start_us),
        duration_ms: duration_ms(start_us, end_us),
        x: round_dp(at.x),
        y: round_dp(at.y),
        target,
    }
}

fn emit(out: &mut Vec<GestureRecord>, gesture: Gesture) {
    out.push(GestureRecord::Gesture(gesture));
}

fn span_and_focal(pointers: &[Pointer]) -> (f32, Point) {
    span_and_focal_of(pointers.iter())
}

/// The focal point (centroid) and span of pointers, as Android's ScaleGestureDetector measures it:
/// twice the mean deviation from the focal point on each axis, combined (the distance, for two).
fn span_and_focal_of<'a>(pointers: impl Iterator<Item = &'a Pointer> + Clone) -> (f32, Point) {
    let mut n = 0.0f32;
    let mut sum = Point::default();
    for p in pointers.clone() {
        n += 1.0;
        sum.x += p.pos.x;
        sum.y += p.pos.y;
    }
    if n == 0.0 {
        return (0.0, sum);
    }
    let focal = Point { x: sum.x / n, y: sum.y / n };
    let mut dev = Point::default();
    for p in pointers {
        dev.x += (p.pos.x - focal.x).abs();
        dev.y += (p.pos.y - focal.y).abs();
    }
    let span = (2.0 * dev.x / n).hypot(2.0 * dev.y / n);
    (span, focal)
}
