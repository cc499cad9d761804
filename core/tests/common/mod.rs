//! Helpers shared by the core's integration tests: sessions, capture and replay in canonical form.
//! (The gesture tests, on the real traces and synthetic ones, live in the `reprise-fixtures` crate,
//! `tests/tests/gesture_*.rs`, beside the one parser of those traces.)

#![allow(dead_code)]

pub mod feed;

use std::sync::Arc;

use reprise_core::capture::CaptureLimits;
use reprise_core::stats::Counters;
use reprise_core::{
    DecodeLimits, Frame, NodeProps, PrivacyRules, Record, RecorderConfig, Replayer, SealedSegment, SessionId,
    SessionMetadata, SessionStart, SessionWriter, Snapshot, TimedRecord, ViewTree,
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
