//! Decoding what the recorder persisted, and printing it for a person.

use std::collections::BTreeMap;

use reprise_core::{DecodeLimits, Record, Replayer, SealedSegment, Stats, TimedRecord, decode};

use crate::error::AppError;

/// One decoded segment, summarised.
pub struct SegmentLine {
    /// Position in the session.
    pub sequence: u32,
    /// Sealed bytes.
    pub bytes: usize,
    /// Decompressed body bytes.
    pub raw: u32,
    /// Records held.
    pub records: usize,
    /// Whether it holds a keyframe.
    pub keyframe: bool,
    /// Time span, ms.
    pub span_ms: u32,
}

/// Everything decoded from a session's segments.
pub struct Decoded {
    /// One line per segment.
    pub segments: Vec<SegmentLine>,
    /// Every record, in order.
    pub records: Vec<TimedRecord>,
}

/// Decodes every segment.
pub fn decode_all(segments: &[SealedSegment]) -> Result<Decoded, AppError> {
    let mut lines = Vec::new();
    let mut records = Vec::new();
    for segment in segments {
        let decoded = decode(&segment.bytes, DecodeLimits::default())?;
        let h = decoded.header;
        lines.push(SegmentLine {
            sequence: h.sequence,
            bytes: segment.bytes.len(),
            raw: h.raw_len,
            records: decoded.records.records.len(),
            keyframe: h.has_keyframe(),
            span_ms: h.duration_ms,
        });
        records.extend(decoded.records.records);
    }
    Ok(Decoded { segments: lines, records })
}

/// Replays every record, returning the final replayer.
pub fn replay(records: &[TimedRecord]) -> Result<Replayer, AppError> {
    let mut replayer = Replayer::new();
    for r in records {
        replayer.apply(&r.record)?;
    }
    Ok(replayer)
}

/// The name of a record's kind.
pub fn kind_name(record: &Record) -> &'static str {
    match record {
        Record::Session(_) => "session",
        Record::Classes(_) => "classes",
        Record::Keyframe(_) => "keyframe",
        Record::Diff(_) => "diff",
        Record::Touches(_) => "touches",
        Record::ScreenView(_) => "screen view",
        Record::Lifecycle(_) => "lifecycle",
        Record::Viewport(_) => "viewport",
        Record::Keyboard { .. } => "keyboard",
        Record::Custom(_) => "custom",
        Record::Breadcrumb(_) => "breadcrumb",
        Record::Network(_) => "network",
        Record::Connectivity(_) => "connectivity",
        Record::User(_) => "user",
        Record::Gesture(_) => "gesture",
        Record::Struggle(_) => "struggle",
        Record::Details(_) => "details",
    }
}

/// Prints the gestures and struggle signals the core recognized, one a line, with their time
/// since `start_ms`.
pub fn print_gestures(records: &[TimedRecord], start_ms: i64) {
    for r in records {
        let line = match &r.record {
            Record::Gesture(g) => {
                let target = g.target.as_ref().map_or(String::from("nothing"), |t| format!("{:?} #{}", t.kind, t.id));
                format!("{:?} at ({}, {}) dp on {target}, {} ms", g.kind, g.x, g.y, g.duration_ms)
            }
            Record::Struggle(s) => format!("{:?}: {} taps at ({}, {}) dp", s.kind, s.taps, s.x, s.y),
            _ => continue,
        };
        println!("  {:>7.3} s  {line}", (r.time_ms - start_ms) as f64 / 1000.0);
    }
}

/// Prints the segment table, byte totals and records by kind.
pub fn print_segments(decoded: &Decoded, duration_ms: i64) {
    println!("segments:");
    println!("  {:>4} {:>8} {:>8} {:>8} {:>9} {:>8}", "seq", "bytes", "raw", "records", "keyframe", "span");
    for s in &decoded.segments {
        let kf = if s.keyframe { "yes" } else { "no" };
        println!("  {:>4} {:>8} {:>8} {:>8} {:>9} {:>6.1} s", s.sequence, s.bytes, s.raw, s.records, kf, f64::from(s.span_ms) / 1000.0);
    }
    let sealed: usize = decoded.segments.iter().map(|s| s.bytes).sum();
    let raw: u64 = decoded.segments.iter().map(|s| u64::from(s.raw)).sum();
    let ratio = if sealed > 0 { raw as f64 / sealed as f64 } else { 0.0 };
    let seconds = (duration_ms as f64 / 1000.0).max(0.001);
    println!(
        "totals: {raw} raw bytes -> {sealed} sealed bytes ({ratio:.1}x), {:.2} KB/s over {seconds:.0} s",
        sealed as f64 / 1000.0 / seconds
    );
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &decoded.records {
        *kinds.entry(kind_name(&r.record)).or_default() += 1;
    }
    let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("records by kind ({} in all): {}", decoded.records.len(), list.join(", "));
}

/// Prints the recorder's counters.
pub fn print_stats(s: &Stats) {
    println!(
        "stats: {} snapshots: {} keyframes, {} diffs, {} unchanged; {} events, {} records, {} segments",
        s.snapshots, s.keyframes, s.diffs, s.unchanged_snapshots, s.events, s.records, s.segments
    );
    println!(
        "drops: overload {} snapshots / {} events, invalid snapshots {}, sink {}, internal {}, touch samples {}, nodes {}; \
         sanitized values {}, clock regressions {}",
        s.dropped_overload_snapshots,
        s.dropped_overload_events,
        s.dropped_invalid_snapshots,
        s.dropped_sink_segments,
        s.dropped_internal,
        s.dropped_touch_samples,
        s.dropped_nodes,
        s.sanitized_values,
        s.clock_regressions
    );
}
