//! Reading back what a writer sealed: decoding segments, replaying their records, and putting
//! the replayed hierarchies in canonical form (see [`crate::canonical`]) to compare with what
//! was captured.

use reprise_core::{DecodeLimits, Record, Replayer, SealedSegment, SegmentHeader, TimedRecord, decode};

use crate::canonical::{self, CanonicalNode};

/// Decodes segments, checking each one's header against its bytes and that no record was
/// skipped.
pub fn decode_all(segments: &[SealedSegment]) -> Vec<(SegmentHeader, Vec<TimedRecord>)> {
    segments
        .iter()
        .map(|s| {
            let decoded = decode(&s.bytes, DecodeLimits::default()).expect("a sealed segment decodes");
            assert_eq!(decoded.header, s.header, "decoded header equals the sealed one");
            assert_eq!(decoded.records.skipped, 0);
            (decoded.header, decoded.records.records)
        })
        .collect()
}

/// Every record of `segments`, in order (decoded as [`decode_all`] does).
pub fn records(segments: &[SealedSegment]) -> Vec<TimedRecord> {
    decode_all(segments).into_iter().flat_map(|(_, records)| records).collect()
}

/// Replays records from scratch and returns the final hierarchy in canonical form.
pub fn replay(records: &[TimedRecord]) -> Vec<CanonicalNode> {
    let mut replayer = Replayer::new();
    for r in records {
        replayer.apply(&r.record).expect("a recorded record applies");
    }
    let frame = replayer.frame().expect("a keyframe was replayed");
    canonical::of_frame(&frame, &replayer).expect("the replayed frame is well formed")
}

/// Replays segments, returning the time and canonical hierarchy after every keyframe or diff.
pub fn replay_steps(segments: &[SealedSegment]) -> Vec<(i64, Vec<CanonicalNode>)> {
    let mut replayer = Replayer::new();
    let mut out = Vec::new();
    for record in records(segments) {
        if replayer.apply(&record.record).expect("a recorded record applies") {
            let frame = replayer.frame().expect("a keyframe was replayed");
            out.push((record.time_ms, canonical::of_frame(&frame, &replayer).expect("the replayed frame is well formed")));
        }
    }
    out
}

/// Counts the hierarchy records of segments: (keyframes, diffs).
pub fn count_snapshots(segments: &[SealedSegment]) -> (usize, usize) {
    records(segments).iter().fold((0, 0), |(k, d), r| match r.record {
        Record::Keyframe(_) => (k + 1, d),
        Record::Diff(_) => (k, d + 1),
        _ => (k, d),
    })
}

/// Panics with the first difference when the replayed hierarchy is not the captured one.
pub fn assert_same(what: &str, expected: &[CanonicalNode], actual: &[CanonicalNode]) {
    if let Some(diff) = canonical::first_difference(expected, actual) {
        panic!("{what}: replay differs from capture: {diff}");
    }
}
