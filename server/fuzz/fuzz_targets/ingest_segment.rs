//! Fuzzes the collector's own path beyond the decoder: ingest validation (time ranges, metadata
//! caps), the analysis, the timeline, the scenes and the overlays, and the frames API's answer.
//! Random bytes rarely form a segment, so the input is read as a decompressed body: its records
//! (whatever decodes) are sealed into a real segment, which then goes the whole way. Nothing may
//! panic. Run with `cargo fuzz run ingest_segment` from `server/fuzz` (see the README).

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprise_core::builder::SegmentBuilder;
use reprise_core::record::{Record, SessionInfo, TimedRecord, UserInfo, read_records};
use reprise_core::{SegmentHeader, SessionId, SessionMetadata};
use reprise_server::api::Replay;
use reprise_server::api::frames::frames;
use reprise_server::ingest::{UploadHeaders, validate};
use reprise_server::replay::Timeline;
use reprise_server::Limits;

const T0: i64 = 1_700_000_000_000;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(records) = read_records(data, T0, 0, limits.decode()) else { return };
    let mut builder = match SegmentBuilder::new(1) {
        Ok(b) => b,
        Err(_) => return,
    };
    // A Session record first and times within an hour of it, so that most inputs pass the
    // framing rules and reach the analysis.
    let info = SessionInfo { started_ms: T0, metadata: SessionMetadata::default(), user: UserInfo::default() };
    if builder.push(&TimedRecord { time_ms: T0, record: Record::Session(info) }).is_err() {
        return;
    }
    for record in records.records {
        let time_ms = T0 + record.time_ms.wrapping_sub(T0).rem_euclid(3_600_000);
        if builder.push(&TimedRecord { time_ms, ..record }).is_err() {
            return;
        }
    }
    let session = SessionId::new_v7(T0);
    let Ok(Some(sealed)) = builder.seal(session, 0) else { return };
    let Ok(header) = SegmentHeader::read(&sealed.bytes) else { return };
    let upload = UploadHeaders { app: "fuzz".into(), id: header.id(), sdk: None };
    // Ingest: validation and analysis, whatever the verdict.
    let _ = validate(&upload, &sealed.bytes, &limits);
    // Replay: the timeline, its overlays, every scene, and a frames window.
    let decoded = reprise_core::decode(&sealed.bytes, limits.decode());
    let timeline = Timeline::from_records(session, [(0, decoded.map_err(|e| e.to_string()))]);
    for (at, frame) in timeline.frames_from(0).take(64) {
        let _ = timeline.scene(at, &frame);
    }
    let start = timeline.start_ms();
    let replay = Replay::of(timeline);
    let _ = frames(&replay, start, start.saturating_add(60_000));
});
