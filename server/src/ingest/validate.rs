//! The rules a segment must meet before it is stored, and what the index learns from it.
//!
//! A segment is decoded within the collector's limits (body, records, decoded memory); its header
//! must agree with the upload's headers; it must start with its Session record; its time ranges
//! must hold together (no segment, touch or gesture spanning more than the longest session, every
//! record inside the segment's range, the segment inside its session's); metadata strings are cut
//! to `max_field_chars`. The analysis runs later, from the queue the index keeps
//! (`crate::analysis_worker`).

use reprise_core::segment::SegmentHeader;
use reprise_core::{Record, SessionMetadata, decode};

use super::UploadHeaders;
use crate::config::Limits;
use crate::error::IngestError;
use crate::index::SegmentSummary;

/// How far a segment may lie before its session's start, or past the longest session after it,
/// in ms: clocks drift, and the segment that crosses the recorder's split point runs over.
pub const SESSION_SLACK_MS: i64 = 60 * 60 * 1000;

/// Checks a segment completely and summarises it for the index: header (magic, version,
/// lengths, checksum), agreement with the upload headers, decoding within the limits, the record
/// count, a Session record first, the time ranges; then cuts long metadata strings (the summary
/// says how many).
pub fn validate(upload: &UploadHeaders, bytes: &[u8], limits: &Limits) -> Result<SegmentSummary, IngestError> {
    let header = SegmentHeader::read(bytes)?;
    let id = header.id();
    if id.session != upload.id.session {
        return Err(IngestError::Mismatch {
            name: "X-Reprise-Session",
            header: upload.id.session.to_string(),
            segment: id.session.to_string(),
        });
    }
    if id.sequence != upload.id.sequence {
        return Err(IngestError::Mismatch {
            name: "X-Reprise-Sequence",
            header: upload.id.sequence.to_string(),
            segment: id.sequence.to_string(),
        });
    }
    if i64::from(header.duration_ms) > limits.max_session_ms {
        return Err(IngestError::TimeRange(format!(
            "the segment spans {} ms, more than the longest session ({} ms)",
            header.duration_ms, limits.max_session_ms
        )));
    }
    let decoded = decode(bytes, limits.decode())?;
    let mut records = decoded.records.records.iter();
    let mut session = match records.next().map(|r| &r.record) {
        Some(Record::Session(info)) => info.clone(),
        _ => return Err(IngestError::Invalid("the first record must be the Session record")),
    };
    check_times(&header, session.started_ms, &decoded.records.records, limits.max_session_ms)?;
    let mut user_id = session.user.user_id.clone();
    for record in records {
        if let Record::User(user) = &record.record
            && user.user_id.is_some()
        {
            user_id.clone_from(&user.user_id);
        }
    }
    let mut truncated = cap_metadata(&mut session.metadata, limits.max_field_chars);
    if let Some(user) = user_id.as_mut() {
        truncated += u32::from(cap(user, limits.max_field_chars));
    }
    let screens = crate::index::device::screens_viewed(&decoded.records.records, limits.max_field_chars);
    drop(decoded);
    Ok(SegmentSummary {
        id,
        app: upload.app.clone(),
        session,
        user_id,
        sdk_header: upload.sdk.clone(),
        start_ms: header.start_ms,
        end_ms: header.end_ms(),
        records: header.record_count,
        bytes: bytes.len() as u64,
        raw_bytes: u64::from(header.raw_len),
        // Found after the answer, from the analysis queue (`crate::analysis_worker`).
        findings: Vec::new(),
        screens,
        truncated_fields: truncated,
    })
}

/// Every record inside the segment's time range, every touch track and gesture shorter than the
/// longest session, and the segment within its session's span.
fn check_times(
    header: &SegmentHeader,
    started_ms: i64,
    records: &[reprise_core::TimedRecord],
    max_session_ms: i64,
) -> Result<(), IngestError> {
    let (start, end) = (header.start_ms, header.end_ms());
    if start < started_ms.saturating_sub(SESSION_SLACK_MS)
        || end > started_ms.saturating_add(max_session_ms).saturating_add(SESSION_SLACK_MS)
    {
        return Err(IngestError::TimeRange(format!(
            "the segment ({start}..{end} ms) lies outside its session, which started at {started_ms} ms and lasts at most {max_session_ms} ms"
        )));
    }
    for (index, r) in records.iter().enumerate() {
        if r.time_ms < start || r.time_ms > end {
            return Err(IngestError::TimeRange(format!(
                "record {index} at {} ms lies outside the segment's range {start}..{end} ms",
                r.time_ms
            )));
        }
        let span = match &r.record {
            Record::Touches(track) => track.samples.iter().map(|s| i64::from(s.dt_ms)).sum::<i64>(),
            Record::Gesture(g) => i64::from(g.duration_ms),
            Record::Struggle(s) => i64::from(s.duration_ms),
            _ => 0,
        };
        if span > max_session_ms {
            return Err(IngestError::TimeRange(format!(
                "record {index} spans {span} ms, more than the longest session ({max_session_ms} ms)"
            )));
        }
    }
    Ok(())
}

/// Cuts every metadata string to `max_chars` characters; how many were cut.
fn cap_metadata(m: &mut SessionMetadata, max_chars: usize) -> u32 {
    [
        &mut m.os_name,
        &mut m.os_version,
        &mut m.device_manufacturer,
        &mut m.device_model,
        &mut m.locale,
        &mut m.time_zone,
        &mut m.app_id,
        &mut m.app_version,
        &mut m.app_build,
        &mut m.sdk_version,
    ]
    .into_iter()
    .map(|s| u32::from(cap(s, max_chars)))
    .sum()
}

/// Cuts `s` to `max_chars` characters; whether it was cut.
fn cap(s: &mut String, max_chars: usize) -> bool {
    match s.char_indices().nth(max_chars) {
        Some((at, _)) => {
            s.truncate(at);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_cut_on_character_boundaries() {
        let mut s = "héllo wörld".to_owned();
        assert!(cap(&mut s, 4));
        assert_eq!(s, "héll");
        let mut short = "ok".to_owned();
        assert!(!cap(&mut short, 4));
        let mut m = SessionMetadata { device_model: "x".repeat(300), os_version: "14".into(), ..Default::default() };
        assert_eq!(cap_metadata(&mut m, 256), 1);
        assert_eq!(m.device_model.len(), 256);
    }
}
