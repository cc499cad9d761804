//! Helpers shared by the core's integration tests: sessions, capture and replay in canonical form,
//! and (for the gesture tests) parsers for the real traces in `tests/data/traces/` and a driver
//! that runs samples through a [`GestureEngine`].

#![allow(dead_code)]

pub mod feed;
pub mod traces;

use std::path::PathBuf;
use std::sync::Arc;

use reprise_core::frame::CaptureLimits;
use reprise_core::stats::Counters;
use reprise_core::{
    DecodeLimits, Frame, GestureConfig, GestureEngine, GestureRecord, NodeProps, PrivacyRules, Record, RecorderConfig,
    Replayer, SealedSegment, SessionId, SessionMetadata, SessionStart, SessionWriter, Snapshot, TimedRecord, TouchAction,
    TouchSample, ViewTree,
};

/// A node in an id-independent form: parent index, class name, position and properties.
pub type Canonical = Vec<(Option<usize>, String, i32, i32, NodeProps)>;

/// Metadata of the synthetic device.
pub fn metadata() -> SessionMetadata {
    SessionMetadata { density: feed::DENSITY, os_name: "Android".into(), device_model: "Synthetic".into(), ..Default::default() }
}

/// A writer with the given configuration and fresh counters.
pub fn writer(config: RecorderConfig) -> (SessionWriter, Arc<Counters>) {
    let stats = Arc::new(Counters::default());
    let start = SessionStart { id: SessionId::new_v7(1_700_000_000_000), started_ms: 1_700_000_000_000, metadata: metadata(), user: Default::default() };
    let writer = SessionWriter::new(config, start, stats.clone()).expect("writer");
    (writer, stats)
}

/// Captures a tree with default limits.
pub fn capture(tree: ViewTree, rules: &PrivacyRules) -> Snapshot {
    Snapshot::capture(tree, feed::DENSITY, rules, &limits()).expect("valid tree")
}

/// The default capture limits.
pub fn limits() -> CaptureLimits {
    RecorderConfig::default().capture_limits()
}

/// A captured snapshot in canonical form.
pub fn canonical_snapshot(snapshot: &Snapshot) -> Canonical {
    snapshot
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let parent = (i > 0).then_some(n.parent as usize);
            (parent, snapshot.classes[n.class as usize].clone(), n.x, n.y, n.props.clone())
        })
        .collect()
}

/// A replayed frame in canonical form.
pub fn canonical_frame(frame: &Frame, replayer: &Replayer) -> Canonical {
    let mut index = std::collections::HashMap::new();
    frame
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            index.insert(n.id, i);
            let parent = if n.parent == 0 { None } else { index.get(&n.parent).copied() };
            let class = replayer.class_name(n.class).unwrap_or("?").to_owned();
            (parent, class, n.x, n.y, n.props.clone())
        })
        .collect()
}

/// Decodes segments and returns every record, in order.
pub fn records(segments: &[SealedSegment]) -> Vec<TimedRecord> {
    segments
        .iter()
        .flat_map(|s| reprise_core::decode(&s.bytes, DecodeLimits::default()).expect("decodes").records.records)
        .collect()
}

/// Replays segments, returning the canonical hierarchy after every keyframe or diff.
pub fn replay_steps(segments: &[SealedSegment]) -> Vec<(i64, Canonical)> {
    let mut replayer = Replayer::new();
    let mut out = Vec::new();
    for record in records(segments) {
        if replayer.apply(&record.record).expect("applies") {
            let frame = replayer.frame().expect("frame");
            out.push((record.time_ms, canonical_frame(&frame, &replayer)));
        }
    }
    out
}

/// Counts records of each hierarchy kind: (keyframes, diffs).
pub fn hierarchy_records(segments: &[SealedSegment]) -> (usize, usize) {
    let all = records(segments);
    let keyframes = all.iter().filter(|r| matches!(r.record, Record::Keyframe(_))).count();
    let diffs = all.iter().filter(|r| matches!(r.record, Record::Diff(_))).count();
    (keyframes, diffs)
}

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
