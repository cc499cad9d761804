//! Raw touch samples as recorded: quantized to whole dp and milliseconds, and delta-encoded per
//! pointer, so a 60 Hz drag costs about four bytes a sample before compression.

use serde::{Deserialize, Serialize};

use crate::event::{TouchAction, TouchSample};

/// One packed sample: pointer and action in `head`, then deltas from the previous sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedTouch {
    /// `pointer_id * 8 + action` (action codes as in [`action_code`]).
    pub head: u64,
    /// Milliseconds since the previous sample of the track (since the track's time for the first).
    pub dt_ms: u32,
    /// X in dp minus this pointer's previous x in the track (its absolute x for its first sample).
    pub dx: i32,
    /// Y in dp, delta-encoded like `dx`.
    pub dy: i32,
}

/// A run of raw samples, as one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TouchTrack {
    /// The samples in delivery order.
    pub samples: Vec<PackedTouch>,
}

/// A sample read back from a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedTouch {
    /// Pointer id.
    pub pointer_id: u32,
    /// What happened; `None` for an action code this reader does not know.
    pub action: Option<TouchAction>,
    /// Unix milliseconds.
    pub time_ms: i64,
    /// X in dp.
    pub x: i32,
    /// Y in dp.
    pub y: i32,
}

/// The code of an action in [`PackedTouch::head`].
pub fn action_code(action: TouchAction) -> u64 {
    match action {
        TouchAction::Down => 0,
        TouchAction::Move => 1,
        TouchAction::Up => 2,
        TouchAction::Cancel => 3,
        TouchAction::PointerDown => 4,
        TouchAction::PointerUp => 5,
    }
}

fn action_of(code: u64) -> Option<TouchAction> {
    Some(match code {
        0 => TouchAction::Down,
        1 => TouchAction::Move,
        2 => TouchAction::Up,
        3 => TouchAction::Cancel,
        4 => TouchAction::PointerDown,
        5 => TouchAction::PointerUp,
        _ => return None,
    })
}

impl TouchTrack {
    /// Reads the samples back, given the track record's time.
    pub fn unpack(&self, start_ms: i64) -> Vec<RecordedTouch> {
        let mut time = start_ms;
        let mut last: Vec<(u32, i32, i32)> = Vec::new();
        self.samples
            .iter()
            .map(|s| {
                let pointer_id = (s.head >> 3) as u32;
                time = time.saturating_add(i64::from(s.dt_ms));
                let (x, y) = match last.iter_mut().find(|(p, _, _)| *p == pointer_id) {
                    Some(entry) => {
                        entry.1 = entry.1.wrapping_add(s.dx);
                        entry.2 = entry.2.wrapping_add(s.dy);
                        (entry.1, entry.2)
                    }
                    None => {
                        last.push((pointer_id, s.dx, s.dy));
                        (s.dx, s.dy)
                    }
                };
                RecordedTouch { pointer_id, action: action_of(s.head & 7), time_ms: time, x, y }
            })
            .collect()
    }
}

/// Builds a [`TouchTrack`] sample by sample.
#[derive(Debug, Default)]
pub struct TouchPacker {
    track: TouchTrack,
    start_ms: i64,
    last_ms: i64,
    last: Vec<(u32, i32, i32)>,
    down: Vec<u32>,
}

impl TouchPacker {
    /// Adds a sample at `density` pixels per dp. Returns false (and adds nothing) for a sample
    /// with a non-finite coordinate. Times must not go backwards (the recorder clamps them).
    pub fn push(&mut self, sample: &TouchSample, density: f32) -> bool {
        if !sample.x.is_finite() || !sample.y.is_finite() {
            return false;
        }
        let time_ms = sample.time_us.div_euclid(1000);
        if self.track.samples.is_empty() {
            self.start_ms = time_ms;
            self.last_ms = time_ms;
            self.last.clear();
        }
        let x = crate::capture::round(f64::from(sample.x) / f64::from(density)) as i32;
        let y = crate::capture::round(f64::from(sample.y) / f64::from(density)) as i32;
        let (dx, dy) = match self.last.iter_mut().find(|(p, _, _)| *p == sample.pointer_id) {
            Some(entry) => {
                let d = (x.wrapping_sub(entry.1), y.wrapping_sub(entry.2));
                (entry.1, entry.2) = (x, y);
                d
            }
            None => {
                self.last.push((sample.pointer_id, x, y));
                (x, y)
            }
        };
        let dt_ms = u32::try_from(time_ms.saturating_sub(self.last_ms)).unwrap_or(u32::MAX);
        self.last_ms = time_ms;
        self.track.samples.push(PackedTouch {
            head: u64::from(sample.pointer_id) * 8 + action_code(sample.action),
            dt_ms,
            dx,
            dy,
        });
        match sample.action {
            TouchAction::Down | TouchAction::PointerDown => {
                if !self.down.contains(&sample.pointer_id) {
                    self.down.push(sample.pointer_id);
                }
            }
            TouchAction::Up | TouchAction::PointerUp => self.down.retain(|&p| p != sample.pointer_id),
            TouchAction::Cancel => self.down.clear(),
            TouchAction::Move => {}
        }
        true
    }

    /// Whether every pointer is up: a natural point to end the track.
    pub fn all_up(&self) -> bool {
        self.down.is_empty()
    }

    /// Number of samples held.
    pub fn len(&self) -> usize {
        self.track.samples.len()
    }

    /// Whether no sample is held.
    pub fn is_empty(&self) -> bool {
        self.track.samples.is_empty()
    }

    /// Takes the track built so far and its time (the first sample's), leaving the packer empty
    /// but still tracking which pointers are down.
    pub fn take(&mut self) -> Option<(i64, TouchTrack)> {
        if self.track.samples.is_empty() {
            return None;
        }
        Some((self.start_ms, std::mem::take(&mut self.track)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(pointer_id: u32, action: TouchAction, x: f32, y: f32, time_us: i64) -> TouchSample {
        TouchSample { pointer_id, action, x, y, time_us, pressure: None, size: None }
    }

    #[test]
    fn packs_and_unpacks_two_pointers() {
        let mut packer = TouchPacker::default();
        let input = [
            sample(0, TouchAction::Down, 300.0, 600.0, 1_000_000_000),
            sample(1, TouchAction::PointerDown, 900.0, 600.0, 1_000_016_600),
            sample(0, TouchAction::Move, 290.0, 590.0, 1_000_033_300),
            sample(1, TouchAction::Move, 910.0, 610.0, 1_000_033_300),
            sample(1, TouchAction::PointerUp, 910.0, 610.0, 1_000_050_000),
            sample(0, TouchAction::Up, 290.0, 590.0, 1_000_050_000),
        ];
        for s in &input {
            assert!(packer.push(s, 2.0));
        }
        assert!(packer.all_up());
        let (start, track) = packer.take().expect("samples");
        assert_eq!(start, 1_000_000);
        let out = track.unpack(start);
        let got: Vec<(u32, i64, i32, i32)> = out.iter().map(|t| (t.pointer_id, t.time_ms, t.x, t.y)).collect();
        assert_eq!(
            got,
            vec![(0, 1_000_000, 150, 300), (1, 1_000_016, 450, 300), (0, 1_000_033, 145, 295),
                 (1, 1_000_033, 455, 305), (1, 1_000_050, 455, 305), (0, 1_000_050, 145, 295)]
        );
        assert_eq!(out[1].action, Some(TouchAction::PointerDown));
    }

    #[test]
    fn non_finite_samples_are_refused() {
        let mut packer = TouchPacker::default();
        assert!(!packer.push(&sample(0, TouchAction::Down, f32::NAN, 1.0, 0), 1.0));
        assert!(packer.is_empty());
    }
}
