//! Release velocity, estimated the way Android's `VelocityTracker` does with its LSQ2 strategy,
//! the default for the x and y axes.
//!
//! A quadratic is fitted by least squares to each axis over the last 100 ms of movement (at most
//! 20 samples) and its slope at the newest sample is the velocity. Like AOSP, samples with the
//! same timestamp replace one another, a gap of more than 40 ms between samples forgets what came
//! before, two samples give their straight-line slope, one gives nothing, and a lift-off more than
//! 40 ms after the last movement means the finger had stopped: no velocity.

/// Samples kept per pointer.
const HISTORY: usize = 20;
/// Only samples this recent (relative to the newest) count, in microseconds.
const HORIZON_US: i64 = 100_000;
/// A pause longer than this, in microseconds, means the pointer stopped.
const ASSUME_STOPPED_US: i64 = 40_000;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Movement {
    time_us: i64,
    x: f32,
    y: f32,
}

/// The recent movement of one pointer, and its velocity.
#[derive(Debug, Clone, PartialEq)]
pub struct VelocityTracker {
    ring: [Movement; HISTORY],
    start: usize,
    len: usize,
    last_us: Option<i64>,
}

impl Default for VelocityTracker {
    fn default() -> Self {
        Self { ring: [Movement::default(); HISTORY], start: 0, len: 0, last_us: None }
    }
}

impl VelocityTracker {
    /// Forgets every sample.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Adds a position (in any unit; velocities come out in that unit per second) at `time_us`.
    /// Times must not go backwards; the engine guarantees it.
    pub fn add(&mut self, time_us: i64, x: f32, y: f32) {
        if self.last_us.is_some_and(|last| time_us.saturating_sub(last) > ASSUME_STOPPED_US) {
            self.len = 0;
        }
        self.last_us = Some(time_us);
        let movement = Movement { time_us, x, y };
        match self.newest_slot() {
            Some(slot) if self.ring[slot].time_us == time_us => self.ring[slot] = movement,
            _ if self.len == HISTORY => {
                self.ring[self.start] = movement;
                self.start = (self.start + 1) % HISTORY;
            }
            _ => {
                self.ring[(self.start + self.len) % HISTORY] = movement;
                self.len += 1;
            }
        }
        while self.len > 0 && time_us.saturating_sub(self.ring[self.start].time_us) > HORIZON_US {
            self.start = (self.start + 1) % HISTORY;
            self.len -= 1;
        }
    }

    /// The velocity (x, y) per second at lift-off at `up_us`; `None` without samples or when the
    /// pointer rested more than 40 ms before lifting.
    pub fn release_velocity(&self, up_us: i64) -> Option<(f32, f32)> {
        let last = self.last_us?;
        if up_us.saturating_sub(last) > ASSUME_STOPPED_US {
            return None;
        }
        self.velocity()
    }

    /// The velocity (x, y) per second from the samples held; `None` with fewer than two samples or
    /// when the fit is degenerate.
    pub fn velocity(&self) -> Option<(f32, f32)> {
        let newest = self.newest_slot().map(|slot| self.ring[slot].time_us)?;
        // Time as age before the newest sample, in seconds (zero or negative).
        let age = |m: &Movement| -((newest - m.time_us) as f64) * 1e-6;
        let vx = least_squares_slope(self.samples().map(|m| (age(m), f64::from(m.x))), self.len)?;
        let vy = least_squares_slope(self.samples().map(|m| (age(m), f64::from(m.y))), self.len)?;
        Some((vx as f32, vy as f32))
    }

    fn newest_slot(&self) -> Option<usize> {
        (self.len > 0).then(|| (self.start + self.len - 1) % HISTORY)
    }

    fn samples(&self) -> impl Iterator<Item = &Movement> {
        (0..self.len).map(move |i| &self.ring[(self.start + i) % HISTORY])
    }
}

/// The slope at time 0 of the least-squares quadratic through `count` points (t, p), or of the
/// line through them when there are two.
fn least_squares_slope(points: impl Iterator<Item = (f64, f64)>, count: usize) -> Option<f64> {
    match count {
        0 | 1 => None,
        2 => {
            let mut it = points;
            let ((t0, p0), (t1, p1)) = (it.next()?, it.next()?);
            (t1 != t0).then(|| (p1 - p0) / (t1 - t0))
        }
        _ => {
            let n = count as f64;
            let (mut st, mut st2, mut st3, mut st4, mut sp, mut stp, mut st2p) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            for (t, p) in points {
                let t2 = t * t;
                st += t;
                st2 += t2;
                st3 += t2 * t;
                st4 += t2 * t2;
                sp += p;
                stp += t * p;
                st2p += t2 * p;
            }
            let s_tt = st2 - st * st / n;
            let s_tp = stp - st * sp / n;
            let s_tt2 = st3 - st * st2 / n;
            let s_t2p = st2p - st2 * sp / n;
            let s_t2t2 = st4 - st2 * st2 / n;
            let denominator = s_tt * s_t2t2 - s_tt2 * s_tt2;
            let slope = (s_tp * s_t2t2 - s_t2p * s_tt2) / denominator;
            (denominator != 0.0 && slope.is_finite()).then_some(slope)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(samples: &[(i64, f32)]) -> VelocityTracker {
        let mut t = VelocityTracker::default();
        for &(ms, x) in samples {
            t.add(ms * 1000, x, 0.0);
        }
        t
    }

    #[test]
    fn constant_motion_gives_its_speed() {
        // AOSP ThreePointsLinearVelocityTest: 5 px per 10 ms.
        let t = track(&[(0, 0.0), (10, 5.0), (20, 10.0)]);
        let (vx, vy) = t.release_velocity(20_000).unwrap_or_default();
        assert!((vx - 500.0).abs() < 0.01, "{vx}");
        assert_eq!(vy, 0.0);
    }

    #[test]
    fn a_short_pause_before_lift_off_keeps_the_velocity() {
        // AOSP ShortDelayBeforeActionUp: up 10 ms after the last move.
        let t = track(&[(0, 10.0), (10, 20.0), (20, 30.0)]);
        let (vx, _) = t.release_velocity(30_000).unwrap_or_default();
        assert!((vx - 1000.0).abs() < 0.01, "{vx}");
    }

    #[test]
    fn a_long_pause_before_lift_off_means_stopped() {
        // AOSP LongDelayBeforeActionUp.
        let t = track(&[(0, 10.0), (10, 20.0), (20, 30.0)]);
        assert_eq!(t.release_velocity(3_000_000), None);
    }

    #[test]
    fn a_gap_in_movement_forgets_older_samples_and_equal_times_replace() {
        let t = track(&[(0, 0.0), (10, 1000.0), (100, 1000.0), (110, 1010.0), (110, 1020.0)]);
        let (vx, _) = t.velocity().unwrap_or_default();
        assert!((vx - 2000.0).abs() < 0.01, "{vx}");
    }

    #[test]
    fn only_the_last_100_ms_and_20_samples_count() {
        let mut t = VelocityTracker::default();
        for i in 0..200 {
            t.add(i * 4_000, if i < 150 { 0.0 } else { (i - 150) as f32 * 4.0 }, 0.0);
        }
        assert!(t.len <= HISTORY);
        let (vx, _) = t.velocity().unwrap_or_default();
        assert!((vx - 1000.0).abs() < 0.01, "{vx}");
    }

    #[test]
    fn a_parabola_gives_its_slope_at_the_newest_sample() {
        // x = 3000 t^2 + 200 t over t in [-0.08, 0]: the slope at 0 is 200.
        let mut t = VelocityTracker::default();
        for i in 0..=8 {
            let s = (i as f64 - 8.0) * 0.01;
            t.add(i * 10_000, (3000.0 * s * s + 200.0 * s) as f32, 0.0);
        }
        let (vx, _) = t.velocity().unwrap_or_default();
        assert!((vx - 200.0).abs() < 0.5, "{vx}");
    }

    #[test]
    fn fewer_than_two_samples_give_no_velocity() {
        assert_eq!(VelocityTracker::default().velocity(), None);
        assert_eq!(track(&[(0, 5.0)]).velocity(), None);
    }
}
