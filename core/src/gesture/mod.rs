//! Gesture recognition from raw pointer samples, once, in the core.
//!
//! The platform layers forward every pointer sample unchanged; the [`GestureEngine`] turns them
//! into taps, double taps, long presses, scrolls, flings, pinches and two-finger pans (the state
//! machine in `recognizer.rs`), names the node each landed on ([`hit_test`]), estimates release
//! velocity as Android does ([`velocity`]) and flags rage and dead taps (`struggle.rs`). It is a
//! deterministic synchronous state machine: the same samples give the same records on every
//! platform. Coordinates come in as pixels and go out as dp; times come in as microseconds and go
//! out as milliseconds.

pub mod hit_test;
mod recognizer;
mod struggle;
pub mod velocity;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::density::Density;
use crate::event::TouchSample;
use crate::frame::Frame;
use crate::mask::Text;
use crate::view::NodeKind;

use recognizer::Recognizer;
use struggle::StruggleDetector;

/// A timestamp this much earlier than the latest seen (in microseconds) is a clock reset, not
/// jitter: what is in progress ends and time restarts from there.
const CLOCK_RESET_US: i64 = 10_000_000;

/// Thresholds of the recognizer. The defaults are Android's `ViewConfiguration` values.
#[derive(Debug, Clone, PartialEq)]
pub struct GestureConfig {
    /// Movement in dp beyond which a touch is no longer a tap, and focal-point movement beyond
    /// which two pointers are a two-finger pan.
    pub touch_slop_dp: f32,
    /// Span change in dp beyond which two pointers are a pinch (Android's ScaleGestureDetector
    /// uses twice the touch slop).
    pub pinch_slop_dp: f32,
    /// Longest time from a tap's lift-off to the next touch for the two to be a double tap.
    pub double_tap_timeout_ms: u32,
    /// Shortest such time; anything quicker is a bounce, not a second tap.
    pub double_tap_min_time_ms: u32,
    /// Farthest the second tap of a double tap may land from the first, in dp.
    pub double_tap_slop_dp: f32,
    /// How long a touch must rest to be a long press.
    pub long_press_timeout_ms: u32,
    /// Slowest release, in dp/s, that makes a scroll end in a fling.
    pub min_fling_velocity_dp: f32,
    /// Fastest fling velocity reported, in dp/s; faster ones are clamped (per axis).
    pub max_fling_velocity_dp: f32,
    /// Taps needed for a rage tap.
    pub rage_tap_count: u32,
    /// Window in which those taps must fall.
    pub rage_tap_window_ms: u32,
    /// Radius in dp within which those taps must land.
    pub rage_tap_radius_dp: f32,
    /// How long the hierarchy must stay unchanged after a tap on something non-interactive for it
    /// to be a dead tap.
    pub dead_tap_window_ms: u32,
    /// Most pointers tracked at once; samples of further pointers are ignored and counted.
    pub max_pointers: u32,
}

impl Default for GestureConfig {
    fn default() -> Self {
        Self {
            touch_slop_dp: 8.0,
            pinch_slop_dp: 16.0,
            double_tap_timeout_ms: 300,
            double_tap_min_time_ms: 40,
            double_tap_slop_dp: 100.0,
            long_press_timeout_ms: 400,
            min_fling_velocity_dp: 50.0,
            max_fling_velocity_dp: 8000.0,
            rage_tap_count: 3,
            rage_tap_window_ms: 1000,
            rage_tap_radius_dp: 24.0,
            dead_tap_window_ms: 1000,
            max_pointers: 10,
        }
    }
}

/// A gesture setting out of range.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("gesture setting {setting} must be between {min} and {max}, got {value}")]
pub struct GestureConfigError {
    /// The setting's field name.
    pub setting: &'static str,
    /// Its value.
    pub value: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
}

impl GestureConfig {
    /// Checks every setting, naming the first that is out of range (NaN always is).
    pub fn validate(&self) -> Result<(), GestureConfigError> {
        let check = |setting: &'static str, value: f64, min: f64, max: f64| {
            if (min..=max).contains(&value) { Ok(()) } else { Err(GestureConfigError { setting, value, min, max }) }
        };
        check("touch_slop_dp", self.touch_slop_dp.into(), 0.5, 200.0)?;
        check("pinch_slop_dp", self.pinch_slop_dp.into(), 0.5, 400.0)?;
        check("double_tap_timeout_ms", self.double_tap_timeout_ms.into(), 1.0, 5000.0)?;
        check("double_tap_min_time_ms", self.double_tap_min_time_ms.into(), 0.0, self.double_tap_timeout_ms.into())?;
        check("double_tap_slop_dp", self.double_tap_slop_dp.into(), 0.0, 1000.0)?;
        check("long_press_timeout_ms", self.long_press_timeout_ms.into(), 50.0, 60_000.0)?;
        check("max_fling_velocity_dp", self.max_fling_velocity_dp.into(), 1.0, 1_000_000.0)?;
        check("min_fling_velocity_dp", self.min_fling_velocity_dp.into(), 0.0, self.max_fling_velocity_dp.into())?;
        check("rage_tap_count", self.rage_tap_count.into(), 2.0, 100.0)?;
        check("rage_tap_window_ms", self.rage_tap_window_ms.into(), 1.0, 60_000.0)?;
        check("rage_tap_radius_dp", self.rage_tap_radius_dp.into(), 0.0, 1000.0)?;
        check("dead_tap_window_ms", self.dead_tap_window_ms.into(), 1.0, 60_000.0)?;
        check("max_pointers", self.max_pointers.into(), 1.0, 32.0)
    }
}

/// The node a gesture landed on, from the latest snapshot (already masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The node's id in the frames of the session.
    pub id: u32,
    /// What the node is.
    pub kind: NodeKind,
    /// Its text, else its content description, as masked when captured.
    pub label: Option<Text>,
    /// Whether the node reacts to touches; false when no interactive node was under the point
    /// and this is the topmost visible one.
    pub interactive: bool,
}

/// Which way a finger moved, by its dominant axis (screen y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Towards the top of the screen.
    Up,
    /// Towards the bottom.
    Down,
    /// Towards the left.
    Left,
    /// Towards the right.
    Right,
}

impl Direction {
    /// The direction of a movement of (`dx`, `dy`); `None` for no movement.
    pub fn of(dx: i32, dy: i32) -> Option<Direction> {
        match (dx.unsigned_abs(), dy.unsigned_abs()) {
            (0, 0) => None,
            (ax, ay) if ax > ay => Some(if dx > 0 { Direction::Right } else { Direction::Left }),
            _ => Some(if dy > 0 { Direction::Down } else { Direction::Up }),
        }
    }
}

/// What a gesture was, with what only that kind has. Distances in dp, velocities in dp/s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum GestureKind {
    /// A touch that lifted within the slop and before the long-press timeout, with no second
    /// tap following in time.
    Tap,
    /// Two taps in quick succession; the gesture spans both.
    DoubleTap,
    /// A touch that rested within the slop for the long-press timeout.
    LongPress,
    /// One pointer dragged beyond the slop: its displacement from down to lift-off.
    Scroll {
        /// Horizontal displacement.
        dx: i32,
        /// Vertical displacement.
        dy: i32,
    },
    /// A scroll released fast enough to fling, at its lift-off point and time.
    Fling {
        /// Horizontal velocity.
        vx: i32,
        /// Vertical velocity.
        vy: i32,
    },
    /// Two or more pointers whose span changed beyond the pinch slop before their focal point moved
    /// beyond the touch slop; the point is the focal point at the start.
    Pinch {
        /// End span over start span (products over pointer changes).
        scale: f32,
        /// Span at the start.
        start_span: i32,
        /// Span at the end.
        end_span: i32,
    },
    /// Two or more pointers moving together at a near-constant span: the focal point's
    /// displacement.
    TwoFingerPan {
        /// Horizontal displacement.
        dx: i32,
        /// Vertical displacement.
        dy: i32,
    },
    /// The platform cancelled the touches (or a new touch began while pointers were still down);
    /// the gesture in progress, if it had moved, is recorded just before this.
    Cancel,
}

impl GestureKind {
    /// The direction of a scroll, fling or pan.
    pub fn direction(&self) -> Option<Direction> {
        match *self {
            GestureKind::Scroll { dx, dy } | GestureKind::TwoFingerPan { dx, dy } => Direction::of(dx, dy),
            GestureKind::Fling { vx, vy } => Direction::of(vx, vy),
            _ => None,
        }
    }
}

/// One recognized gesture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gesture {
    /// What it was.
    pub kind: GestureKind,
    /// When it started, Unix milliseconds.
    pub start_ms: i64,
    /// How long it lasted.
    pub duration_ms: u32,
    /// Where it started (the focal point for two-finger gestures), x in dp.
    pub x: i32,
    /// Where it started, y in dp.
    pub y: i32,
    /// The node under the start point, when a snapshot was there to hit-test.
    pub target: Option<Target>,
}

/// What kind of user frustration a struggle signal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StruggleKind {
    /// Several taps in quick succession in one spot.
    RageTap,
    /// A tap on something non-interactive after which nothing changed.
    DeadTap,
}

/// A struggle signal, recorded once it is certain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Struggle {
    /// What it was.
    pub kind: StruggleKind,
    /// When the first tap went down, Unix milliseconds.
    pub start_ms: i64,
    /// From the first tap's down to the last tap's lift-off.
    pub duration_ms: u32,
    /// Where the first tap landed, x in dp.
    pub x: i32,
    /// Where the first tap landed, y in dp.
    pub y: i32,
    /// How many taps it took.
    pub taps: u32,
    /// The node under the first tap.
    pub target: Option<Target>,
}

/// What the engine emits: gestures and struggle signals, in the order they became certain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GestureRecord {
    /// A recognized gesture.
    Gesture(Gesture),
    /// A rage or dead tap.
    Struggle(Struggle),
}

/// A tap as the finger made it (each tap of a double tap counts), for the struggle detector.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tap {
    pub down_us: i64,
    pub up_us: i64,
    pub x: f32,
    pub y: f32,
    pub target: Option<Target>,
    /// Whether a snapshot was there to hit-test (without one, a tap cannot be called dead).
    pub frame_known: bool,
}

/// The gesture engine of one session: raw samples in, gesture and struggle records out.
#[derive(Debug)]
pub struct GestureEngine {
    config: GestureConfig,
    density: f32,
    recognizer: Recognizer,
    struggle: StruggleDetector,
    taps: Vec<Tap>,
    now_us: Option<i64>,
}

impl GestureEngine {
    /// An engine with `config`, for a screen of `density` pixels per dp.
    pub fn new(config: GestureConfig, density: f32) -> Self {
        Self {
            config,
            density: Density::new(density).get(),
            recognizer: Recognizer::default(),
            struggle: StruggleDetector::default(),
            taps: Vec::new(),
            now_us: None,
        }
    }

    /// The thresholds in use.
    pub fn config(&self) -> &GestureConfig {
        &self.config
    }

    /// Changes the pixels per dp (a viewport change); invalid values mean 1.
    pub fn set_density(&mut self, density: f32) {
        self.density = Density::new(density).get();
    }

    /// Feeds one raw sample, hit-testing new gestures against `frame` (the latest snapshot),
    /// and appends what became certain to `out`. Timeouts up to the sample's time resolve first.
    /// Batches are pushed sample by sample, in delivery order.
    pub fn push(&mut self, sample: &TouchSample, frame: Option<&Frame>, out: &mut Vec<GestureRecord>) {
        let t = self.clock(sample.time_us, out);
        self.recognizer.push(sample, t, self.density, frame, &self.config, out, &mut self.taps);
        self.after(t, out);
    }

    /// Tells the engine the hierarchy changed at `time_ms`: taps before it are not dead.
    pub fn hierarchy_changed(&mut self, time_ms: i64) {
        self.struggle.hierarchy_changed(time_ms.saturating_mul(1000));
    }

    /// Resolves what time alone decides, up to `now_ms`: long presses, taps whose double-tap
    /// window closed, rage taps that ended and dead taps confirmed.
    pub fn advance(&mut self, now_ms: i64, out: &mut Vec<GestureRecord>) {
        let t = self.clock(now_ms.saturating_mul(1000), out);
        self.recognizer.advance(t, &self.config, out);
        self.after(t, out);
    }

    /// Forgets everything in progress, emitting nothing (a new session).
    pub fn reset(&mut self) {
        self.recognizer.reset();
        self.struggle.reset();
        self.taps.clear();
        self.now_us = None;
    }

    /// Samples ignored so far: non-finite coordinates, unknown pointers, pointers beyond the cap.
    pub fn ignored_samples(&self) -> u64 {
        self.recognizer.ignored()
    }

    /// Time never runs backwards: an earlier timestamp counts as the latest one seen, unless it
    /// is so much earlier that the clock must have been reset, which ends what is in progress.
    fn clock(&mut self, time_us: i64, out: &mut Vec<GestureRecord>) -> i64 {
        let t = match self.now_us {
            Some(now) if now.saturating_sub(time_us) > CLOCK_RESET_US => {
                self.recognizer.interrupt(now, out);
                self.struggle.reset();
                time_us
            }
            Some(now) => now.max(time_us),
            None => time_us,
        };
        self.now_us = Some(t);
        t
    }

    fn after(&mut self, t: i64, out: &mut Vec<GestureRecord>) {
        for tap in self.taps.drain(..) {
            self.struggle.tap(tap, &self.config, out);
        }
        self.struggle.advance(t, &self.config, out);
    }
}


/// Whole dp from a dp value (saturating; NaN is 0).
pub(crate) fn round_dp(value: f32) -> i32 {
    value.round() as i32
}

/// Unix milliseconds from microseconds.
pub(crate) fn ms(time_us: i64) -> i64 {
    time_us.div_euclid(1000)
}

/// Whole milliseconds from `from_us` to `to_us`, never negative.
pub(crate) fn duration_ms(from_us: i64, to_us: i64) -> u32 {
    u32::try_from(ms(to_us).saturating_sub(ms(from_us)).max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert_eq!(GestureConfig::default().validate(), Ok(()));
        let bad = |f: fn(&mut GestureConfig)| {
            let mut c = GestureConfig::default();
            f(&mut c);
            c.validate().map_err(|e| e.setting)
        };
        assert_eq!(bad(|c| c.touch_slop_dp = f32::NAN), Err("touch_slop_dp"));
        assert_eq!(bad(|c| c.min_fling_velocity_dp = 9000.0), Err("min_fling_velocity_dp"));
        assert_eq!(bad(|c| c.max_pointers = 0), Err("max_pointers"));
        assert_eq!(bad(|c| c.rage_tap_count = 1), Err("rage_tap_count"));
    }

    #[test]
    fn directions_follow_the_dominant_axis() {
        assert_eq!(Direction::of(0, 0), None);
        assert_eq!(Direction::of(5, -3), Some(Direction::Right));
        assert_eq!(Direction::of(-2, 9), Some(Direction::Down));
        assert_eq!(GestureKind::Fling { vx: 10, vy: -400 }.direction(), Some(Direction::Up));
    }

    #[test]
    fn records_round_trip_through_postcard() {
        let record = GestureRecord::Gesture(Gesture {
            kind: GestureKind::Pinch { scale: 1.5, start_span: 100, end_span: 150 },
            start_ms: 1_700_000_000_000,
            duration_ms: 320,
            x: 180,
            y: -4,
            target: Some(Target { id: 7, kind: NodeKind::Image, label: None, interactive: false }),
        });
        let bytes = postcard::to_allocvec(&record).unwrap_or_default();
        assert_eq!(postcard::from_bytes::<GestureRecord>(&bytes).ok(), Some(record));
    }
}
