//! What decoding untrusted segments really allocates, measured with a counting allocator: the
//! densest payloads the format allows (one-byte list elements that decode into large values, and
//! floods of tiny records) stay within `MAX_AMPLIFICATION` times their payload per record, and a
//! decode refused by `max_decoded_bytes` never held more than the documented bound.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use reprise_core::builder::SegmentBuilder;
use reprise_core::diff::{Changed, Children, Diff};
use reprise_core::frame::Field;
use reprise_core::memory::MAX_AMPLIFICATION;
use reprise_core::record::{Record, SessionInfo, TimedRecord, UserInfo};
use reprise_core::{DecodeError, DecodeLimits, Lifecycle, NodeDetail, SessionId, SessionMetadata, decode};

/// Counts this thread's live heap bytes and their peak.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters are plain
// thread-local cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LIVE.try_with(|live| {
            live.set(live.get() + layout.size());
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
        });
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(layout.size())));
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of live heap bytes above the level at the call, while `work` runs on this thread.
fn peak_during<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = work();
    (out, PEAK.with(Cell::get) - base)
}

const T0: i64 = 1_700_000_000_000;

/// A sealed segment of a Session record followed by `records`, and the size of its body.
fn segment(records: Vec<Record>) -> (Vec<u8>, usize) {
    let mut builder = SegmentBuilder::new(1).expect("builder");
    let info = SessionInfo { started_ms: T0, metadata: SessionMetadata::default(), user: UserInfo::default() };
    builder.push(&TimedRecord { time_ms: T0, record: Record::Session(info) }).expect("push");
    for record in records {
        builder.push(&TimedRecord { time_ms: T0, record }).expect("push");
    }
    let raw = builder.raw_len();
    let sealed = builder.seal(SessionId::new_v7(T0), 0).expect("seal").expect("a segment");
    (sealed.bytes, raw)
}

/// The densest list payloads: each element one or two bytes on the wire.
fn dense_records(n: usize) -> Vec<(&'static str, Record)> {
    vec![
        ("one-byte fields", Record::Diff(Diff { changed: vec![Changed { id: 1, fields: vec![Field::Alpha(0); n] }], ..Diff::default() })),
        ("empty changes", Record::Diff(Diff { changed: vec![Changed { id: 1, fields: Vec::new() }; n], ..Diff::default() })),
        ("empty child lists", Record::Diff(Diff { children: vec![Children { parent: 1, ids: Vec::new() }; n], ..Diff::default() })),
        ("removed ids", Record::Diff(Diff { removed: vec![1; n], ..Diff::default() })),
        ("empty node details", Record::Details(vec![NodeDetail::default(); n])),
    ]
}

#[test]
fn one_record_decodes_into_at_most_max_amplification_times_its_payload() {
    let limits = DecodeLimits::default();
    for (name, record) in dense_records(200_000) {
        let (bytes, raw) = segment(vec![record]);
        let (decoded, peak) = peak_during(|| decode(&bytes, limits));
        let decoded = decoded.unwrap_or_else(|e| panic!("{name}: {e}"));
        let estimate: usize = decoded.records.records.iter().map(TimedRecord::memory_bytes).sum();
        drop(decoded);
        // The peak includes the decompressed body (raw) and the compressed input is not ours.
        let held = peak - raw;
        println!("{name}: payload {raw} B, decoding held {held} B ({:.1}x), estimate {estimate} B", held as f64 / raw as f64);
        assert!(held <= MAX_AMPLIFICATION * raw, "{name}: {held} B from {raw} B is more than {MAX_AMPLIFICATION}x");
        assert!(estimate * 2 >= held, "{name}: the estimate {estimate} B must not undercount what decoding held ({held} B) by half");
    }
}

#[test]
fn a_refused_decode_holds_no_more_than_the_bound() {
    let limits = DecodeLimits { max_raw_bytes: 4 << 20, max_records: 100_000, max_record_bytes: 1 << 20, max_decoded_bytes: 8 << 20 };
    let bound = limits.max_raw_bytes + limits.max_decoded_bytes + MAX_AMPLIFICATION * limits.max_record_bytes;
    // Many records each under the record limit, together far over the decoded limit.
    let fields = (limits.max_record_bytes / 2) - 64;
    let floods = vec![
        ("dense diffs", (0..3).map(|_| Record::Diff(Diff { changed: vec![Changed { id: 1, fields: vec![Field::Alpha(0); fields] }], ..Diff::default() })).collect::<Vec<_>>()),
        ("tiny records", (0..99_000).map(|_| Record::Lifecycle(Lifecycle::Foreground)).collect()),
    ];
    for (name, records) in floods {
        let (bytes, _) = segment(records);
        let (result, peak) = peak_during(|| decode(&bytes, limits));
        println!("{name}: refused after holding {peak} B (bound {bound} B)");
        assert!(matches!(result, Err(DecodeError::DecodedTooLarge { .. })), "{name}: {result:?}");
        assert!(peak <= bound, "{name}: {peak} B held, over the bound of {bound} B");
    }
    // A lone record over the record limit is refused before it is decoded.
    let (bytes, _) = segment(vec![Record::Diff(Diff { removed: vec![1; 2 << 20], ..Diff::default() })]);
    assert!(matches!(decode(&bytes, limits), Err(DecodeError::RecordTooLarge { .. })));
    // More records than the limit are refused, whatever the header says.
    let (bytes, _) = segment((0..100_001).map(|_| Record::Lifecycle(Lifecycle::Foreground)).collect());
    assert!(matches!(decode(&bytes, limits), Err(DecodeError::TooManyRecords { .. })));
}
