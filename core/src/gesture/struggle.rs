//! Struggle signals: rage taps and dead taps, from the taps the finger made.
//!
//! Every physical tap counts (both taps of a double tap). A rage tap is `rage_tap_count` or more
//! taps within `rage_tap_window_ms` and within `rage_tap_radius_dp` of the newest; the episode
//! grows while taps keep coming in that spot within the window of the previous one, and is
//! recorded once, when it ends. A dead tap is a tap on something non-interactive (or nothing)
//! after which the hierarchy does not change for `dead_tap_window_ms`; repeated taps on the same
//! target while it is pending make one signal. Without a snapshot, no tap is called dead.

use std::collections::VecDeque;

use super::{GestureConfig, GestureRecord, Struggle, StruggleKind, Tap, duration_ms, ms, round_dp};

/// Most recent taps remembered for rage detection.
const MAX_RECENT: usize = 32;
/// Most dead-tap candidates pending at once; the oldest is dropped beyond it.
const MAX_DEAD: usize = 16;

#[derive(Debug, Clone)]
struct Episode {
    first: Tap,
    last_down_us: i64,
    last_up_us: i64,
    taps: u32,
}

impl Episode {
    fn new(first: Tap) -> Self {
        Self { last_down_us: first.down_us, last_up_us: first.up_us, taps: 1, first }
    }

    fn extend(&mut self, tap: &Tap) {
        self.last_down_us = tap.down_us;
        self.last_up_us = tap.up_us;
        self.taps = self.taps.saturating_add(1);
    }

    fn record(self, kind: StruggleKind) -> GestureRecord {
        GestureRecord::Struggle(Struggle {
            kind,
            start_ms: ms(self.first.down_us),
            duration_ms: duration_ms(self.first.down_us, self.last_up_us),
            x: round_dp(self.first.x),
            y: round_dp(self.first.y),
            taps: self.taps,
            target: self.first.target,
        })
    }
}

/// Rage and dead tap detection.
#[derive(Debug, Default)]
pub struct StruggleDetector {
    recent: VecDeque<Tap>,
    rage: Option<Episode>,
    dead: VecDeque<Episode>,
}

impl StruggleDetector {
    /// Forgets everything, emitting nothing.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub(crate) fn tap(&mut self, tap: Tap, config: &GestureConfig, out: &mut Vec<GestureRecord>) {
        self.dead_candidate(&tap);
        self.rage_tap(tap, config, out);
    }

    /// The hierarchy changed at `time_us`: taps lifted by then were not dead.
    pub fn hierarchy_changed(&mut self, time_us: i64) {
        self.dead.retain(|c| c.first.up_us > time_us);
    }

    /// Records the rage tap that ended and the dead taps confirmed by `now_us`.
    pub(crate) fn advance(&mut self, now_us: i64, config: &GestureConfig, out: &mut Vec<GestureRecord>) {
        let rage_window = i64::from(config.rage_tap_window_ms) * 1000;
        if self.rage.as_ref().is_some_and(|r| now_us.saturating_sub(r.last_down_us) > rage_window)
            && let Some(rage) = self.rage.take() {
                out.push(rage.record(StruggleKind::RageTap));
            }
        let dead_window = i64::from(config.dead_tap_window_ms) * 1000;
        while self.dead.front().is_some_and(|c| now_us.saturating_sub(c.last_up_us) > dead_window) {
            if let Some(dead) = self.dead.pop_front() {
                out.push(dead.record(StruggleKind::DeadTap));
            }
        }
    }

    fn rage_tap(&mut self, tap: Tap, config: &GestureConfig, out: &mut Vec<GestureRecord>) {
        let window = i64::from(config.rage_tap_window_ms) * 1000;
        let near = |a: &Tap, b: &Tap| (a.x - b.x).hypot(a.y - b.y) <= config.rage_tap_radius_dp;
        if let Some(rage) = &mut self.rage {
            if near(&rage.first, &tap) && tap.down_us.saturating_sub(rage.last_down_us) <= window {
                rage.extend(&tap);
                return;
            }
            if let Some(rage) = self.rage.take() {
                out.push(rage.record(StruggleKind::RageTap));
            }
        }
        while self.recent.front().is_some_and(|r| tap.down_us.saturating_sub(r.down_us) > window) {
            self.recent.pop_front();
        }
        if self.recent.len() >= MAX_RECENT {
            self.recent.pop_front();
        }
        let count = self.recent.iter().filter(|r| near(r, &tap)).count() + 1;
        if count >= config.rage_tap_count as usize {
            let first = self.recent.iter().find(|r| near(r, &tap)).cloned().unwrap_or_else(|| tap.clone());
            let mut episode = Episode::new(first);
            episode.extend(&tap);
            episode.taps = u32::try_from(count).unwrap_or(u32::MAX);
            self.rage = Some(episode);
            self.recent.clear();
        } else {
            self.recent.push_back(tap);
        }
    }

    fn dead_candidate(&mut self, tap: &Tap) {
        let interactive = tap.target.as_ref().is_some_and(|t| t.interactive);
        if !tap.frame_known || interactive {
            return;
        }
        let same_target = |c: &&mut Episode| c.first.target.as_ref().map(|t| t.id) == tap.target.as_ref().map(|t| t.id);
        if let Some(candidate) = self.dead.iter_mut().find(same_target) {
            candidate.extend(tap);
            return;
        }
        if self.dead.len() >= MAX_DEAD {
            self.dead.pop_front();
        }
        self.dead.push_back(Episode::new(tap.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gesture::Target;
    use crate::view::NodeKind;

    fn tap(ms: i64, x: f32, interactive: Option<bool>) -> Tap {
        Tap {
            down_us: ms * 1000,
            up_us: ms * 1000 + 60_000,
            x,
            y: 100.0,
            target: interactive.map(|interactive| Target { id: 4, kind: NodeKind::Image, label: None, interactive }),
            frame_known: true,
        }
    }

    fn run(taps: &[Tap], until_ms: i64) -> Vec<Struggle> {
        let config = GestureConfig::default();
        let mut detector = StruggleDetector::default();
        let mut out = Vec::new();
        for t in taps {
            detector.advance(t.down_us, &config, &mut out);
            detector.tap(t.clone(), &config, &mut out);
        }
        detector.advance(until_ms * 1000, &config, &mut out);
        out.into_iter()
            .filter_map(|r| match r {
                GestureRecord::Struggle(s) => Some(s),
                GestureRecord::Gesture(_) => None,
            })
            .collect()
    }

    #[test]
    fn three_close_quick_taps_are_one_rage_tap_however_many_follow() {
        let taps: Vec<Tap> = (0..5).map(|i| tap(i * 200, 50.0 + i as f32, Some(true))).collect();
        let out = run(&taps, 5000);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].kind, out[0].taps, out[0].start_ms, out[0].duration_ms), (StruggleKind::RageTap, 5, 0, 860));
    }

    #[test]
    fn slow_or_spread_taps_are_not_rage() {
        assert!(
            run(&[tap(0, 50.0, Some(true)), tap(600, 50.0, Some(true)), tap(1200, 50.0, Some(true))], 5000).is_empty()
        );
        assert!(
            run(&[tap(0, 0.0, Some(true)), tap(200, 30.0, Some(true)), tap(400, 60.0, Some(true))], 5000).is_empty()
        );
    }

    #[test]
    fn dead_taps_need_a_non_interactive_target_and_no_change() {
        let out = run(&[tap(0, 50.0, Some(false))], 2000);
        assert_eq!(out.iter().map(|s| (s.kind, s.taps)).collect::<Vec<_>>(), vec![(StruggleKind::DeadTap, 1)]);
        assert!(run(&[tap(0, 50.0, Some(true))], 2000).is_empty());
        let mut no_frame = tap(0, 50.0, None);
        no_frame.frame_known = false;
        assert!(run(&[no_frame], 2000).is_empty());
        assert_eq!(run(&[tap(0, 50.0, None)], 2000).len(), 1, "a tap on nothing is dead");

        let config = GestureConfig::default();
        let mut detector = StruggleDetector::default();
        let mut out = Vec::new();
        detector.tap(tap(0, 50.0, Some(false)), &config, &mut out);
        detector.advance(900_000, &config, &mut out);
        detector.hierarchy_changed(900_000);
        detector.advance(5_000_000, &config, &mut out);
        assert!(out.is_empty());
    }
}
