//! Running raw touch samples through the core's [`GestureEngine`] outside a recorder, and naming
//! what comes out: the driver of the gesture tests (`tests/tests/gesture_*.rs`) and of the demo
//! scenario's checks on the traces it picks.

use reprise_core::{GestureConfig, GestureEngine, GestureKind, GestureRecord, StruggleKind, TouchAction, TouchSample};

/// A raw sample without pressure or size.
pub fn sample(pointer_id: u32, action: TouchAction, x: f32, y: f32, time_us: i64) -> TouchSample {
    TouchSample { pointer_id, action, x, y, time_us, pressure: None, size: None }
}

/// Runs `samples` through a fresh engine (no hierarchy: nothing is hit-tested) and lets time run
/// 5 s past the last one, so everything pending resolves.
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

/// A record's short name: `tap`, `scroll`, ..., `rage-tap`, `dead-tap`.
pub fn name(record: &GestureRecord) -> &'static str {
    match record {
        GestureRecord::Gesture(g) => match g.kind {
            GestureKind::Tap => "tap",
            GestureKind::DoubleTap => "double-tap",
            GestureKind::LongPress => "long-press",
            GestureKind::Scroll { .. } => "scroll",
            GestureKind::Fling { .. } => "fling",
            GestureKind::Pinch { .. } => "pinch",
            GestureKind::TwoFingerPan { .. } => "two-finger-pan",
            GestureKind::Cancel => "cancel",
        },
        GestureRecord::Struggle(s) => match s.kind {
            StruggleKind::RageTap => "rage-tap",
            StruggleKind::DeadTap => "dead-tap",
        },
    }
}

/// The records' short names, in order.
pub fn names(records: &[GestureRecord]) -> Vec<&'static str> {
    records.iter().map(name).collect()
}
