//! Writing the index: claiming a session for an app, and counting a stored segment into its
//! session's row, idempotently, in one transaction.

use reprise_core::SessionId;
use rusqlite::params;

use super::rows::{Owner, SegmentSummary, platform_name};
use super::{SessionIndex, lock};
use crate::error::IndexError;

/// The session columns that come from the earliest segment's Session record, written once here
/// for the insert and the update.
const METADATA_COLUMNS: &str =
    "app_id, platform, os_name, os_version, device_manufacturer, device_model, app_version, app_build, sdk_version, started_ms";

impl SessionIndex {
    /// Makes `app` the owner of `session` unless another app is already; returns the owner.
    pub fn claim(&self, session: SessionId, app: &str) -> Result<Owner, IndexError> {
        let conn = lock(&self.writer)?;
        let session_id = session.to_string();
        conn.execute("INSERT OR IGNORE INTO owners (session_id, app) VALUES (?1, ?2)", params![session_id, app])?;
        let owner: String = conn.query_row("SELECT app FROM owners WHERE session_id = ?1", [&session_id], |row| row.get(0))?;
        Ok(Owner::App(owner))
    }

    /// Counts a stored segment into its session's row. Returns false when the segment was already
    /// counted (nothing changes).
    pub fn record(&self, s: &SegmentSummary) -> Result<bool, IndexError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction()?;
        let session_id = s.id.session.to_string();
        let sequence = i64::from(s.id.sequence);
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO segments (session_id, sequence, start_ms, end_ms, records, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![session_id, sequence, s.start_ms, s.end_ms, s.records, s.bytes as i64],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        let m = &s.session.metadata;
        let sdk_version = if m.sdk_version.is_empty() { s.sdk_header.clone().unwrap_or_default() } else { m.sdk_version.clone() };
        let metadata = params![
            m.app_id,
            platform_name(m.platform),
            m.os_name,
            m.os_version,
            m.device_manufacturer,
            m.device_model,
            m.app_version,
            m.app_build,
            sdk_version,
            s.session.started_ms,
        ];
        // A new session starts with no counts and this segment's metadata; metadata comes from
        // the earliest segment (it describes the session's start), whatever the arrival order.
        let mut insert = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO sessions (session_id, app, {METADATA_COLUMNS}, start_ms, end_ms, segments, records, bytes, \
             raw_bytes, meta_sequence) VALUES (?11, ?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, ?14, 0, 0, 0, 0, ?15)"
        ))?;
        let mut bound = metadata.to_vec();
        bound.extend(params![session_id, s.app, s.start_ms, s.end_ms, sequence].iter());
        insert.execute(&bound[..])?;
        drop(insert);
        let mut earlier = tx.prepare_cached(&format!(
            "UPDATE sessions SET ({METADATA_COLUMNS}, meta_sequence) = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12) \
             WHERE session_id = ?11 AND meta_sequence > ?12"
        ))?;
        let mut bound = metadata.to_vec();
        bound.extend(params![session_id, sequence].iter());
        earlier.execute(&bound[..])?;
        drop(earlier);
        tx.execute(
            "UPDATE sessions SET segments = segments + 1, records = records + ?2, bytes = bytes + ?3, \
             raw_bytes = raw_bytes + ?4, start_ms = min(start_ms, ?5), end_ms = max(end_ms, ?6) \
             WHERE session_id = ?1",
            params![session_id, s.records, s.bytes as i64, s.raw_bytes as i64, s.start_ms, s.end_ms],
        )?;
        // The user id comes from the latest segment that names one.
        if let Some(user_id) = &s.user_id {
            tx.execute(
                "UPDATE sessions SET user_id = ?2, user_sequence = ?3 \
                 WHERE session_id = ?1 AND (user_sequence IS NULL OR user_sequence <= ?3)",
                params![session_id, user_id, sequence],
            )?;
        }
        for f in &s.findings {
            let time_key = if f.kind.is_layout() { 0 } else { f.time_ms };
            tx.execute(
                "INSERT INTO findings (session_id, kind, node_id, time_key, time_ms, x, y, w, h, detail) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 ON CONFLICT (session_id, kind, node_id, time_key) DO UPDATE SET \
                 time_ms = excluded.time_ms, x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h, \
                 detail = excluded.detail WHERE excluded.time_ms < findings.time_ms",
                params![session_id, f.kind.name(), f.node_id, time_key, f.time_ms, f.rect.x, f.rect.y, f.rect.w, f.rect.h, f.detail],
            )?;
        }
        if !s.findings.is_empty() {
            tx.execute(
                "UPDATE sessions SET \
                 rage_taps = (SELECT count(*) FROM findings WHERE session_id = ?1 AND kind = 'rage_tap'), \
                 dead_taps = (SELECT count(*) FROM findings WHERE session_id = ?1 AND kind = 'dead_tap'), \
                 layout_issues = (SELECT count(*) FROM findings WHERE session_id = ?1 AND kind NOT IN ('rage_tap', 'dead_tap')) \
                 WHERE session_id = ?1",
                [&session_id],
            )?;
        }
        tx.commit()?;
        Ok(true)
    }
}
