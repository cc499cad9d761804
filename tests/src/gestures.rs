//! Running raw touch samples through the core's [`GestureEngine`] outside a recorder, and naming
//! what comes out: the driver of the gesture tests (`tests/tests/gesture_*.rs`), of the demo
//! scenario's checks on the traces it picks, and of the demo's summary.

use reprise_core::{
    Gesture, GestureConfig, GestureEngine, GestureKind, GestureRecord, Record, Struggle, StruggleKind, TouchAction, TouchSample,
};

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
        GestureRecord::Gesture(g) => kind_name(&g.kind),
        GestureRecord::Struggle(s) => struggle_name(s.kind),
    }
}

/// A gesture kind's short name: `tap`, `double-tap`, `long-press`, `scroll`, `fling`, `pinch`,
/// `two-finger-pan`, `cancel`.
pub fn kind_name(kind: &GestureKind) -> &'static str {
    match kind {
        GestureKind::Tap => "tap",
        GestureKind::DoubleTap => "double-tap",
        GestureKind::LongPress => "long-press",
        GestureKind::Scroll { .. } => "scroll",
        GestureKind::Fling { .. } => "fling",
        GestureKind::Pinch { .. } => "pinch",
        GestureKind::TwoFingerPan { .. } => "two-finger-pan",
        GestureKind::Cancel => "cancel",
    }
}

/// A struggle's short name: `rage-tap` or `dead-tap`.
pub fn struggle_name(kind: StruggleKind) -> &'static str {
    match kind {
        StruggleKind::RageTap => "rage-tap",
        StruggleKind::DeadTap => "dead-tap",
    }
}

/// The gestures and the struggles among decoded records, each in recording order.
pub fn of_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> (Vec<Gesture>, Vec<Struggle>) {
    let mut gestures = Vec::new();
    let mut struggles = Vec::new();
    for record in records {
        match record {
            Record::Gesture(g) => gestures.push(g.clone()),
            Record::Struggle(s) => struggles.push(s.clone()),
            _ => {}
        }
    }
    (gestures, struggles)
}

/// The records' short names, in order.
pub fn names(records: &[GestureRecord]) -> Vec<&'static str> {
    records.iter().map(name).collect()
}
