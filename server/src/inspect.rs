//! `reprise inspect`: the stored sessions and their decoded records as one JSON document, for
//! tests and debugging. Records are serialized with serde as the core defines them.

use reprise_core::{DecodeLimits, SessionId, decode};
use serde_json::{Value, json};

use crate::store::SegmentStore;

/// The sessions `store` holds (or only `only`), each with its segments in sequence
/// order and their records: `{"sessions":[{"session_id", "segments":[{"sequence", "start_ms",
/// "keyframe", "records":[{"time_ms", "kind", "record"}]}]}]}`. A segment that does not decode
/// appears with an `"error"` instead of records.
pub fn inspect(store: &dyn SegmentStore, only: Option<SessionId>) -> Result<Value, String> {
    let sessions: Vec<SessionId> = match only {
        Some(id) => vec![id],
        None => store.sessions().map_err(|e| e.to_string())?,
    };
    let mut out = Vec::new();
    for session in sessions {
        let mut ids = store.list_session(session).map_err(|e| e.to_string())?;
        ids.sort_by_key(|id| id.sequence);
        let mut segments = Vec::new();
        for id in ids {
            let Some(bytes) = store.get(id).map_err(|e| e.to_string())? else { continue };
            segments.push(match decode(&bytes, DecodeLimits::default()) {
                Ok(segment) => {
                    let records: Vec<Value> = segment
                        .records
                        .records
                        .iter()
                        .map(|r| {
                            let record = serde_json::to_value(&r.record).unwrap_or(Value::Null);
                            let kind = match &record {
                                Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
                                Value::String(s) => s.clone(),
                                _ => String::new(),
                            };
                            json!({ "time_ms": r.time_ms, "kind": kind, "record": record })
                        })
                        .collect();
                    json!({
                        "sequence": id.sequence,
                        "start_ms": segment.header.start_ms,
                        "records": records,
                    })
                }
                Err(e) => json!({ "sequence": id.sequence, "error": e.to_string() }),
            });
        }
        out.push(json!({ "session_id": session.to_string(), "segments": segments }));
    }
    Ok(json!({ "sessions": out }))
}

#[cfg(test)]
mod tests {
    use reprise_core::{Event, MemorySink, Recorder, RecorderConfig, SessionMetadata};

    use super::*;
    use crate::store::DirStore;

    #[test]
    fn stored_segments_come_back_as_json_records() {
        let dir = tempfile::tempdir().unwrap();
        let sink = MemorySink::new();
        let metadata = SessionMetadata { device_model: "Pixel 8".into(), ..Default::default() };
        let recorder = Recorder::start(RecorderConfig::default(), metadata, 1_700_000_000_000, Box::new(sink.clone())).unwrap();
        recorder.record(1_700_000_000_010, Event::ScreenView { name: "Feed".into() }).unwrap();
        recorder.shutdown().unwrap();
        let store = DirStore::open(dir.path()).unwrap();
        for segment in sink.segments() {
            store.put_if_absent(segment.header.id(), &segment.bytes).unwrap();
        }
        let doc = inspect(&store, None).unwrap();
        let sessions = doc["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 1);
        let records = sessions[0]["segments"][0]["records"].as_array().unwrap();
        assert_eq!(records[0]["kind"], "Session");
        assert_eq!(records[0]["record"]["Session"]["metadata"]["device_model"], "Pixel 8");
        assert!(records.iter().any(|r| r["record"]["ScreenView"] == "Feed"));
    }
}
