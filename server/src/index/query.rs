//! Reading the index: a session's state as a segment arrives, the filtered list, one row, the
//! facets, a session's segments and findings.

use reprise_core::{SegmentId, SessionId};
use rusqlite::{OptionalExtension, params};

use super::rows::{Facets, FindingRow, Owner, SessionFilter, SessionRow, SessionState, platform_name};
use super::{MAX_FACET_VALUES, SessionIndex, lock};
use crate::error::IndexError;
use crate::replay::Rect;

/// The columns of a [`SessionRow`], in the order [`read_row`] reads them by name.
const COLUMNS: &str = "session_id, app, app_id, platform, os_name, os_version, device_manufacturer, device_model, \
     app_version, app_build, sdk_version, user_id, started_ms, start_ms, end_ms, segments, records, bytes, raw_bytes, \
     rage_taps, dead_taps, layout_issues";

impl SessionIndex {
    /// Whose `id`'s session is, how far it goes, and whether `id` is indexed.
    pub fn session_state(&self, id: SegmentId) -> Result<SessionState, IndexError> {
        let conn = lock(&self.reader)?;
        let (owner, highest, indexed) = conn.query_row(
            "SELECT (SELECT app FROM owners WHERE session_id = ?1), \
             (SELECT max(sequence) FROM segments WHERE session_id = ?1), \
             EXISTS (SELECT 1 FROM segments WHERE session_id = ?1 AND sequence = ?2)",
            params![id.session.to_string(), i64::from(id.sequence)],
            |row| Ok((row.get::<_, Option<String>>(0)?, row.get::<_, Option<u32>>(1)?, row.get::<_, bool>(2)?)),
        )?;
        Ok(SessionState { owner: owner.map_or(Owner::Unclaimed, Owner::App), highest_sequence: highest, indexed })
    }

    /// Sessions matching `filter`, most recent first.
    pub fn sessions(&self, filter: &SessionFilter) -> Result<Vec<SessionRow>, IndexError> {
        let mut sql = format!("SELECT {COLUMNS} FROM sessions WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(app) = &filter.app {
            args.push(app.clone());
            sql.push_str(&format!(" AND app = ?{}", args.len()));
        }
        if let Some(platform) = filter.platform {
            args.push(platform_name(platform).to_owned());
            sql.push_str(&format!(" AND platform = ?{}", args.len()));
        }
        let exact = [
            ("os_version", &filter.os_version),
            ("device_model", &filter.device_model),
            ("app_version", &filter.app_version),
            ("user_id", &filter.user_id),
        ];
        for (column, value) in exact {
            if let Some(value) = value {
                args.push(value.clone());
                sql.push_str(&format!(" AND {column} = ?{}", args.len()));
            }
        }
        if let Some(part) = &filter.user_search {
            // Folded by SQLite on both sides: its lower() folds ASCII only, and Rust's would fold
            // more, so "Élodie" would never match itself.
            args.push(part.clone());
            sql.push_str(&format!(" AND instr(lower(user_id), lower(?{})) > 0", args.len()));
        }
        for (wanted, column) in
            [(filter.has_rage_taps, "rage_taps"), (filter.has_dead_taps, "dead_taps"), (filter.has_layout_issues, "layout_issues")]
        {
            if wanted {
                sql.push_str(&format!(" AND {column} > 0"));
            }
        }
        if let Some(min) = filter.min_duration_ms {
            sql.push_str(&format!(" AND end_ms - start_ms >= {min}"));
        }
        if let Some(max) = filter.max_duration_ms {
            sql.push_str(&format!(" AND end_ms - start_ms <= {max}"));
        }
        sql.push_str(" ORDER BY start_ms DESC, session_id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let conn = lock(&self.reader)?;
        let mut statement = conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(args.iter()), read_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One session's row.
    pub fn session(&self, id: SessionId) -> Result<Option<SessionRow>, IndexError> {
        let conn = lock(&self.reader)?;
        let row = conn
            .query_row(&format!("SELECT {COLUMNS} FROM sessions WHERE session_id = ?1"), [id.to_string()], read_row)
            .optional()?;
        Ok(row)
    }

    /// The values the session list can be filtered by.
    pub fn facets(&self) -> Result<Facets, IndexError> {
        let conn = lock(&self.reader)?;
        let distinct = |column: &str| -> Result<Vec<String>, IndexError> {
            let mut statement =
                conn.prepare(&format!("SELECT DISTINCT {column} FROM sessions ORDER BY {column} LIMIT {MAX_FACET_VALUES}"))?;
            let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Facets {
            platform: distinct("platform")?,
            os_version: distinct("os_version")?,
            device_model: distinct("device_model")?,
            app_version: distinct("app_version")?,
        })
    }

    /// The sequences of a session's segments that were indexed, in order.
    pub fn indexed_segments(&self, id: SessionId) -> Result<Vec<u32>, IndexError> {
        let conn = lock(&self.reader)?;
        let mut statement = conn.prepare("SELECT sequence FROM segments WHERE session_id = ?1 ORDER BY sequence")?;
        let rows = statement.query_map([id.to_string()], |row| row.get::<_, u32>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The findings of a session, in time order.
    pub fn findings(&self, id: SessionId) -> Result<Vec<FindingRow>, IndexError> {
        let conn = lock(&self.reader)?;
        let mut statement = conn.prepare(
            "SELECT kind, time_ms, node_id, x, y, w, h, detail FROM findings WHERE session_id = ?1 ORDER BY time_ms, kind, node_id",
        )?;
        let rows = statement.query_map([id.to_string()], |row| {
            Ok(FindingRow {
                kind: row.get(0)?,
                time_ms: row.get(1)?,
                node_id: row.get(2)?,
                rect: Rect::new(row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?),
                detail: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many segments the index has counted, over all sessions.
    pub fn segment_count(&self) -> Result<u64, IndexError> {
        let conn = lock(&self.reader)?;
        let n: i64 = conn.query_row("SELECT count(*) FROM segments", [], |row| row.get(0))?;
        Ok(n as u64)
    }
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        session_id: row.get("session_id")?,
        app: row.get("app")?,
        app_id: row.get("app_id")?,
        platform: row.get("platform")?,
        os_name: row.get("os_name")?,
        os_version: row.get("os_version")?,
        device_manufacturer: row.get("device_manufacturer")?,
        device_model: row.get("device_model")?,
        app_version: row.get("app_version")?,
        app_build: row.get("app_build")?,
        sdk_version: row.get("sdk_version")?,
        user_id: row.get("user_id")?,
        started_ms: row.get("started_ms")?,
        start_ms: row.get("start_ms")?,
        end_ms: row.get("end_ms")?,
        segments: row.get("segments")?,
        records: row.get("records")?,
        bytes: row.get("bytes")?,
        raw_bytes: row.get("raw_bytes")?,
        rage_taps: row.get("rage_taps")?,
        dead_taps: row.get("dead_taps")?,
        layout_issues: row.get("layout_issues")?,
    })
}
