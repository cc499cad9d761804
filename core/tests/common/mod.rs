//! Helpers shared by the gesture tests: parsers for the real traces in `tests/data/traces/` and a
//! driver that runs samples through a [`GestureEngine`].

#![allow(dead_code)]

use std::path::PathBuf;

use reprise_core::{GestureConfig, GestureEngine, GestureRecord, TouchAction, TouchSample};

pub mod traces;

/// The path of a file under `tests/data/traces/`.
pub fn trace_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/traces").join(relative)
}

/// The text of a file under `tests/data/traces/`.
pub fn read_trace(relative: &str) -> String {
    std::fs::read_to_string(trace_path(relative)).unwrap_or_else(|e| panic!("reading {relative}: {e}"))
}

/// A raw sample.
pub fn sample(pointer_id: u32, action: TouchAction, x: f32, y: f32, time_us: i64) -> TouchSample {
    TouchSample { pointer_id, action, x, y, time_us, pressure: None, size: None }
}

/// Runs `samples` through a fresh engine and lets time run 5 s past the last one, so everything
/// pending resolves.
pub fn run(samples: &[TouchSample], density: f32, config: GestureConfig) -> Vec<GestureRecord> {
    let mut engine = GestureEngine::new(config, density);
    let mut out = Vec::new();
    for s in samples {
        engine.push(s, None, &mut out);
    }
    let end_ms = samples.last().map_or(0, |s| s.time_us.div_euclid(1000)) + 5000;
    engine.advance(end_ms, &mut out);
    out
}

/// The records' gestures, as short names (`tap`, `scroll`, ...), in order.
pub fn names(records: &[GestureRecord]) -> Vec<&'static str> {
    use reprise_core::{GestureKind as K, StruggleKind as S};
    records
        .iter()
        .map(|r| match r {
            GestureRecord::Gesture(g) => match g.kind {
                K::Tap => "tap",
                K::DoubleTap => "double-tap",
                K::LongPress => "long-press",
                K::Scroll { .. } => "scroll",
                K::Fling { .. } => "fling",
                K::Pinch { .. } => "pinch",
                K::TwoFingerPan { .. } => "two-finger-pan",
                K::Cancel => "cancel",
            },
            GestureRecord::Struggle(s) => match s.kind {
                S::RageTap => "rage-tap",
                S::DeadTap => "dead-tap",
            },
        })
        .collect()
}
