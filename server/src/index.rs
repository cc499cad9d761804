//! The session index: one SQLite row per session (`<data>/index.sqlite`, WAL mode), updated from
//! every stored segment, queried by the web player and the tests.
//!
//! Indexing a segment is idempotent: a `segments` table records which segments were counted, so
//! indexing the same segment twice (a retry after a crash between storing and indexing) changes
//! nothing the second time and repairs the row the first time. One writer connection sits behind
//! a mutex; reads use their own connection. Every method blocks: call them off the async executor.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use reprise_core::record::SessionInfo;
use reprise_core::{Platform, SegmentId, SessionId};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;

use crate::analysis::Finding;
use crate::error::IndexError;
use crate::replay::Rect;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    session_id          TEXT PRIMARY KEY,
    app                 TEXT NOT NULL,
    app_id              TEXT NOT NULL,
    platform            TEXT NOT NULL,
    os_name             TEXT NOT NULL,
    os_version          TEXT NOT NULL,
    device_manufacturer TEXT NOT NULL,
    device_model        TEXT NOT NULL,
    app_version         TEXT NOT NULL,
    app_build           TEXT NOT NULL,
    sdk_version         TEXT NOT NULL,
    user_id             TEXT,
    started_ms          INTEGER NOT NULL,
    start_ms            INTEGER NOT NULL,
    end_ms              INTEGER NOT NULL,
    segments            INTEGER NOT NULL,
    records             INTEGER NOT NULL,
    bytes               INTEGER NOT NULL,
    raw_bytes           INTEGER NOT NULL,
    meta_sequence       INTEGER NOT NULL,
    user_sequence       INTEGER,
    rage_taps           INTEGER NOT NULL DEFAULT 0,
    dead_taps           INTEGER NOT NULL DEFAULT 0,
    layout_issues       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_app ON sessions (app, start_ms);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS segments (
    session_id  TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    PRIMARY KEY (session_id, sequence)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings (
    session_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    node_id     INTEGER NOT NULL,
    time_key    INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,
    x           INTEGER NOT NULL,
    y           INTEGER NOT NULL,
    w           INTEGER NOT NULL,
    h           INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, node_id, time_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS owners (
    session_id  TEXT PRIMARY KEY,
    app         TEXT NOT NULL
) WITHOUT ROWID;
PRAGMA user_version = 3;
";

/// Most distinct values listed per facet (the most common first would need a count; these are
/// the first in sort order).
pub const MAX_FACET_VALUES: usize = 200;

const COLUMNS: &str = "session_id, app, app_id, platform, os_name, os_version, device_manufacturer, device_model, \
     app_version, app_build, sdk_version, user_id, started_ms, start_ms, end_ms, segments, records, bytes, raw_bytes, \
     rage_taps, dead_taps, layout_issues";

/// What the index learns from one stored segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentSummary {
    /// The segment.
    pub id: SegmentId,
    /// The app whose API key uploaded it.
    pub app: String,
    /// The segment's Session record: metadata and the user at the segment's start.
    pub session: SessionInfo,
    /// The last user id the segment names (its Session record, then its User records).
    pub user_id: Option<String>,
    /// SDK version from the `X-Reprise-Sdk` header, used when the metadata has none.
    pub sdk_header: Option<String>,
    /// Time of the first record.
    pub start_ms: i64,
    /// Time of the last record.
    pub end_ms: i64,
    /// Records in the segment.
    pub records: u32,
    /// Size of the segment as stored.
    pub bytes: u64,
    /// Size of its body decompressed.
    pub raw_bytes: u64,
    /// What the analysis found in it.
    pub findings: Vec<Finding>,
    /// Metadata strings cut to the collector's length limit.
    pub truncated_fields: u32,
}

/// Which app a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// No segment of it was accepted yet.
    Unclaimed,
    /// The app whose key created it.
    App(String),
}

/// What the index knows of a session when one of its segments arrives, read in one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// Whose it is.
    pub owner: Owner,
    /// The highest sequence number indexed.
    pub highest_sequence: Option<u32>,
    /// Whether the arriving segment is indexed already.
    pub indexed: bool,
}

/// One session as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    /// Session id (UUID text).
    pub session_id: String,
    /// App name of the API key that uploaded it.
    pub app: String,
    /// App id from the metadata (package name or bundle id).
    pub app_id: String,
    /// `android`, `ios` or `other`.
    pub platform: String,
    /// OS name.
    pub os_name: String,
    /// OS version.
    pub os_version: String,
    /// Device manufacturer.
    pub device_manufacturer: String,
    /// Device model.
    pub device_model: String,
    /// App version.
    pub app_version: String,
    /// App build.
    pub app_build: String,
    /// SDK version.
    pub sdk_version: String,
    /// The latest user id seen (a later segment's wins; a logout does not erase it).
    pub user_id: Option<String>,
    /// When the session started (Session record), Unix ms.
    pub started_ms: i64,
    /// Earliest record time of the stored segments.
    pub start_ms: i64,
    /// Latest record time of the stored segments.
    pub end_ms: i64,
    /// Segments stored.
    pub segments: i64,
    /// Records in them.
    pub records: i64,
    /// Their stored (compressed) size.
    pub bytes: i64,
    /// Their decompressed size.
    pub raw_bytes: i64,
    /// Rage taps found.
    pub rage_taps: i64,
    /// Dead taps found.
    pub dead_taps: i64,
    /// Layout issues found (distinct node and kind).
    pub layout_issues: i64,
}

/// Which sessions to list; `None` (or `false`) matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// App name (of the uploading key).
    pub app: Option<String>,
    /// OS family.
    pub platform: Option<Platform>,
    /// OS version, exactly.
    pub os_version: Option<String>,
    /// Device model, exactly.
    pub device_model: Option<String>,
    /// App version, exactly.
    pub app_version: Option<String>,
    /// User id, exactly.
    pub user_id: Option<String>,
    /// Part of a user id (case-insensitive substring).
    pub user_search: Option<String>,
    /// Only sessions with a rage tap.
    pub has_rage_taps: bool,
    /// Only sessions with a dead tap.
    pub has_dead_taps: bool,
    /// Only sessions with a layout issue.
    pub has_layout_issues: bool,
    /// Shortest duration (last record minus first), ms.
    pub min_duration_ms: Option<i64>,
    /// Longest duration, ms.
    pub max_duration_ms: Option<i64>,
    /// Most rows returned.
    pub limit: Option<u32>,
}

/// A stored finding of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    /// What it is (`rage_tap`, `dead_tap`, `off_screen`, `clipped`, `overlap`, `small_target`,
    /// `truncated_text`).
    pub kind: String,
    /// When, Unix ms.
    pub time_ms: i64,
    /// The node concerned (0 when none).
    pub node_id: u32,
    /// Bounds on the screen, dp.
    pub rect: Rect,
    /// A short explanation.
    pub detail: String,
}

/// The distinct values of the columns the player filters on, over all sessions, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Platforms (`android`, `ios`, `other`).
    pub platform: Vec<String>,
    /// OS versions.
    pub os_version: Vec<String>,
    /// Device models.
    pub device_model: Vec<String>,
    /// App versions.
    pub app_version: Vec<String>,
}

/// The SQLite session index.
#[derive(Debug)]
pub struct SessionIndex {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

/// The index's text for a platform.
pub fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Android => "android",
        Platform::Ios => "ios",
        Platform::Other => "other",
    }
}

impl SessionIndex {
    /// Opens (creating if needed) `data_dir/index.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self, IndexError> {
        let path = data_dir.join("index.sqlite");
        let open_err = |source| IndexError::Open { path: path.clone(), source };
        let writer = Connection::open(&path).map_err(open_err)?;
        writer
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
            .map_err(open_err)?;
        migrate(&writer).map_err(open_err)?;
        writer.execute_batch(SCHEMA).map_err(open_err)?;
        let reader = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(open_err)?;
        reader.execute_batch("PRAGMA busy_timeout = 5000;").map_err(open_err)?;
        Ok(Self { path, writer: Mutex::new(writer), reader: Mutex::new(reader) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

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
        let existing: Option<(i64, Option<i64>)> = tx
            .query_row(
                "SELECT meta_sequence, user_sequence FROM sessions WHERE session_id = ?1",
                [&session_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let m = &s.session.metadata;
        let sdk_version = if m.sdk_version.is_empty() { s.sdk_header.clone().unwrap_or_default() } else { m.sdk_version.clone() };
        let user_sequence = s.user_id.as_ref().map(|_| sequence);
        match existing {
            None => {
                tx.execute(
                    "INSERT INTO sessions (session_id, app, app_id, platform, os_name, os_version, device_manufacturer, \
                     device_model, app_version, app_build, sdk_version, user_id, started_ms, start_ms, end_ms, segments, \
                     records, bytes, raw_bytes, meta_sequence, user_sequence) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17, ?18, ?19, ?20)",
                    params![
                        session_id,
                        s.app,
                        m.app_id,
                        platform_name(m.platform),
                        m.os_name,
                        m.os_version,
                        m.device_manufacturer,
                        m.device_model,
                        m.app_version,
                        m.app_build,
                        sdk_version,
                        s.user_id,
                        s.session.started_ms,
                        s.start_ms,
                        s.end_ms,
                        s.records,
                        s.bytes as i64,
                        s.raw_bytes as i64,
                        sequence,
                        user_sequence,
                    ],
                )?;
            }
            Some((meta_sequence, old_user_sequence)) => {
                tx.execute(
                    "UPDATE sessions SET segments = segments + 1, records = records + ?2, bytes = bytes + ?3, \
                     raw_bytes = raw_bytes + ?4, start_ms = min(start_ms, ?5), end_ms = max(end_ms, ?6) \
                     WHERE session_id = ?1",
                    params![session_id, s.records, s.bytes as i64, s.raw_bytes as i64, s.start_ms, s.end_ms],
                )?;
                // Metadata comes from the earliest segment (it describes the session's start).
                if sequence < meta_sequence {
                    tx.execute(
                        "UPDATE sessions SET app_id = ?2, platform = ?3, os_name = ?4, os_version = ?5, \
                         device_manufacturer = ?6, device_model = ?7, app_version = ?8, app_build = ?9, \
                         sdk_version = ?10, started_ms = ?11, meta_sequence = ?12 WHERE session_id = ?1",
                        params![
                            session_id,
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
                            sequence,
                        ],
                    )?;
                }
                // The user id comes from the latest segment that names one.
                if let Some(user_id) = &s.user_id
                    && old_user_sequence.is_none_or(|old| sequence >= old) {
                        tx.execute(
                            "UPDATE sessions SET user_id = ?2, user_sequence = ?3 WHERE session_id = ?1",
                            params![session_id, user_id, sequence],
                        )?;
                    }
            }
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

/// Brings an index written by an earlier version up to [`SCHEMA`]'s columns; tables it lacks are
/// created by the schema itself. Version 1 had no findings: its counts start at zero. Version 2
/// had no owners: each session belongs to the app that uploaded it.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == 1 {
        conn.execute_batch(
            "BEGIN;
             ALTER TABLE sessions ADD COLUMN rage_taps INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE sessions ADD COLUMN dead_taps INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE sessions ADD COLUMN layout_issues INTEGER NOT NULL DEFAULT 0;
             PRAGMA user_version = 2;
             COMMIT;",
        )?;
    }
    if (1..=2).contains(&version) {
        conn.execute_batch(
            "BEGIN;
             CREATE TABLE IF NOT EXISTS owners (session_id TEXT PRIMARY KEY, app TEXT NOT NULL) WITHOUT ROWID;
             INSERT OR IGNORE INTO owners (session_id, app) SELECT session_id, app FROM sessions;
             PRAGMA user_version = 3;
             COMMIT;",
        )?;
    }
    Ok(())
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        session_id: row.get(0)?,
        app: row.get(1)?,
        app_id: row.get(2)?,
        platform: row.get(3)?,
        os_name: row.get(4)?,
        os_version: row.get(5)?,
        device_manufacturer: row.get(6)?,
        device_model: row.get(7)?,
        app_version: row.get(8)?,
        app_build: row.get(9)?,
        sdk_version: row.get(10)?,
        user_id: row.get(11)?,
        started_ms: row.get(12)?,
        start_ms: row.get(13)?,
        end_ms: row.get(14)?,
        segments: row.get(15)?,
        records: row.get(16)?,
        bytes: row.get(17)?,
        raw_bytes: row.get(18)?,
        rage_taps: row.get(19)?,
        dead_taps: row.get(20)?,
        layout_issues: row.get(21)?,
    })
}

fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, IndexError> {
    conn.lock().map_err(|_| IndexError::Poisoned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reprise_core::SessionMetadata;
    use reprise_core::record::UserInfo;

    fn summary(session: SessionId, sequence: u32, user_id: Option<&str>, model: &str) -> SegmentSummary {
        let metadata = SessionMetadata { device_model: model.into(), app_id: "com.example".into(), ..Default::default() };
        SegmentSummary {
            id: SegmentId { session, sequence },
            app: "demo".into(),
            session: SessionInfo { started_ms: 1000, metadata, user: UserInfo::default() },
            user_id: user_id.map(str::to_owned),
            sdk_header: Some("0.1.0".into()),
            start_ms: 1000 + i64::from(sequence) * 100,
            end_ms: 1050 + i64::from(sequence) * 100,
            records: 10,
            bytes: 500,
            raw_bytes: 2000,
            findings: Vec::new(),
            truncated_fields: 0,
        }
    }

    #[test]
    fn segments_in_any_order_give_one_consistent_row() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SessionIndex::open(dir.path()).expect("opens");
        let session = SessionId::new_v7(1_700_000_000_000);
        assert!(index.record(&summary(session, 2, Some("late"), "later model")).expect("record"));
        assert!(index.record(&summary(session, 0, None, "first model")).expect("record"));
        assert!(index.record(&summary(session, 1, Some("early"), "middle model")).expect("record"));
        assert!(!index.record(&summary(session, 1, Some("early"), "middle model")).expect("record"));
        let row = index.session(session).expect("query").expect("row");
        assert_eq!(row.device_model, "first model");
        assert_eq!(row.user_id.as_deref(), Some("late"));
        assert_eq!((row.segments, row.records, row.bytes, row.raw_bytes), (3, 30, 1500, 6000));
        assert_eq!((row.start_ms, row.end_ms), (1000, 1250));
        assert_eq!(row.sdk_version, "0.1.0");
        assert_eq!(index.indexed_segments(session).expect("query"), vec![0, 1, 2]);
        let filter = SessionFilter { user_id: Some("late".into()), ..Default::default() };
        assert_eq!(index.sessions(&filter).expect("query").len(), 1);
        let filter = SessionFilter { app: Some("other".into()), ..Default::default() };
        assert!(index.sessions(&filter).expect("query").is_empty());
        let filter = SessionFilter { platform: Some(Platform::Ios), ..Default::default() };
        assert!(index.sessions(&filter).expect("query").is_empty());
        assert!(index.record(&summary(SessionId::new_v7(1_700_000_001_000), 0, None, "another model")).expect("record"));
        let facets = index.facets().expect("query");
        assert_eq!(facets.device_model, ["another model", "first model"]);
        assert_eq!(facets.platform, ["android"]);
    }

    /// A summary of a one-segment session with the given device fields, user, duration and findings.
    struct Spec {
        platform: Platform,
        os_version: &'static str,
        device_model: &'static str,
        app_version: &'static str,
        user_id: Option<&'static str>,
        duration_ms: i64,
        findings: &'static [FindingKind],
    }

    const BASE: Spec = Spec {
        platform: Platform::Android,
        os_version: "14",
        device_model: "Pixel 8",
        app_version: "2.3.0",
        user_id: None,
        duration_ms: 60_000,
        findings: &[],
    };

    fn record_spec(index: &SessionIndex, n: i64, spec: Spec) -> String {
        let session = SessionId::new_v7(1_700_000_000_000 + n);
        let mut s = summary(session, 0, spec.user_id, spec.device_model);
        s.session.metadata.platform = spec.platform;
        s.session.metadata.os_version = spec.os_version.into();
        s.session.metadata.app_version = spec.app_version.into();
        s.start_ms = 1_700_000_000_000 + n * 1000;
        s.end_ms = s.start_ms + spec.duration_ms;
        s.findings = spec
            .findings
            .iter()
            .enumerate()
            .map(|(i, &kind)| Finding {
                kind,
                time_ms: s.start_ms + i as i64,
                node_id: i as u32 + 1,
                rect: Rect::new(0, 0, 10, 10),
                detail: String::new(),
            })
            .collect();
        assert!(index.record(&s).expect("record"));
        session.to_string()
    }

    /// The ids `filter` lists, sorted.
    fn listed(index: &SessionIndex, filter: SessionFilter) -> Vec<String> {
        let mut ids: Vec<String> = index.sessions(&filter).expect("query").into_iter().map(|r| r.session_id).collect();
        ids.sort();
        ids
    }

    fn sorted(mut ids: Vec<String>) -> Vec<String> {
        ids.sort();
        ids
    }

    use crate::analysis::FindingKind;

    #[test]
    fn exact_filters_match_whole_values_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SessionIndex::open(dir.path()).expect("opens");
        let a = record_spec(&index, 1, BASE);
        let b = record_spec(&index, 2, Spec { os_version: "14.1", device_model: "Pixel 8 Pro", app_version: "2.3", ..BASE });
        let c = record_spec(&index, 3, Spec { platform: Platform::Ios, os_version: "17.4", device_model: "iPhone15,2", ..BASE });
        let f = |filter| listed(&index, filter);
        assert_eq!(f(SessionFilter { platform: Some(Platform::Ios), ..Default::default() }), vec![c.clone()]);
        assert_eq!(f(SessionFilter { platform: Some(Platform::Android), ..Default::default() }), sorted(vec![a.clone(), b.clone()]));
        assert_eq!(f(SessionFilter { os_version: Some("14".into()), ..Default::default() }), vec![a.clone()]);
        assert_eq!(f(SessionFilter { device_model: Some("Pixel 8".into()), ..Default::default() }), vec![a.clone()]);
        assert_eq!(f(SessionFilter { device_model: Some("pixel 8".into()), ..Default::default() }), Vec::<String>::new());
        assert_eq!(f(SessionFilter { app_version: Some("2.3".into()), ..Default::default() }), vec![b.clone()]);
        // Filters combine with AND.
        let both = SessionFilter { os_version: Some("14".into()), app_version: Some("2.3".into()), ..Default::default() };
        assert!(f(both).is_empty());
        assert_eq!(f(SessionFilter::default()).len(), 3);
        assert_eq!(index.sessions(&SessionFilter { limit: Some(2), ..Default::default() }).expect("query").len(), 2);
    }

    #[test]
    fn user_filters_exact_and_search() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SessionIndex::open(dir.path()).expect("opens");
        let alice = record_spec(&index, 1, Spec { user_id: Some("Alice.Martin"), ..BASE });
        let under = record_spec(&index, 2, Spec { user_id: Some("a_b"), ..BASE });
        let elodie = record_spec(&index, 3, Spec { user_id: Some("Élodie"), ..BASE });
        let _anonymous = record_spec(&index, 4, BASE);
        let search = |part: &str| listed(&index, SessionFilter { user_search: Some(part.into()), ..Default::default() });
        assert_eq!(search("MARTIN"), vec![alice.clone()]);
        assert_eq!(search("ice.m"), vec![alice.clone()]);
        // Searched literally: no wildcard characters.
        assert_eq!(search("_"), vec![under.clone()]);
        assert!(search("%").is_empty());
        // Non-ASCII text matches itself (SQLite folds only ASCII case).
        assert_eq!(search("Élo"), vec![elodie.clone()]);
        assert_eq!(search("LODIE"), vec![elodie]);
        let exact = |id: &str| listed(&index, SessionFilter { user_id: Some(id.into()), ..Default::default() });
        assert_eq!(exact("Alice.Martin"), vec![alice]);
        assert!(exact("alice.martin").is_empty());
        assert!(exact("Alice").is_empty());
    }

    #[test]
    fn finding_filters_need_a_finding_of_their_kind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SessionIndex::open(dir.path()).expect("opens");
        let _none = record_spec(&index, 1, BASE);
        let rage = record_spec(&index, 2, Spec { findings: &[FindingKind::RageTap], ..BASE });
        let dead = record_spec(&index, 3, Spec { findings: &[FindingKind::DeadTap, FindingKind::DeadTap], ..BASE });
        let layout = record_spec(&index, 4, Spec { findings: &[FindingKind::SmallTarget, FindingKind::Clipped], ..BASE });
        let f = |filter| listed(&index, filter);
        assert_eq!(f(SessionFilter { has_rage_taps: true, ..Default::default() }), vec![rage.clone()]);
        assert_eq!(f(SessionFilter { has_dead_taps: true, ..Default::default() }), vec![dead.clone()]);
        assert_eq!(f(SessionFilter { has_layout_issues: true, ..Default::default() }), vec![layout.clone()]);
        assert!(f(SessionFilter { has_rage_taps: true, has_dead_taps: true, ..Default::default() }).is_empty());
        let row = |id: &str| index.session(id.parse().expect("uuid")).expect("query").expect("row");
        assert_eq!((row(&dead).dead_taps, row(&layout).layout_issues, row(&layout).rage_taps), (2, 2, 0));
    }

    #[test]
    fn duration_filters_are_inclusive_bounds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SessionIndex::open(dir.path()).expect("opens");
        let short = record_spec(&index, 1, Spec { duration_ms: 5_000, ..BASE });
        let medium = record_spec(&index, 2, Spec { duration_ms: 30_000, ..BASE });
        let long = record_spec(&index, 3, Spec { duration_ms: 600_000, ..BASE });
        let f = |min: Option<i64>, max: Option<i64>| {
            listed(&index, SessionFilter { min_duration_ms: min, max_duration_ms: max, ..Default::default() })
        };
        assert_eq!(f(Some(30_000), None), sorted(vec![medium.clone(), long.clone()]));
        assert_eq!(f(None, Some(30_000)), sorted(vec![short.clone(), medium.clone()]));
        assert_eq!(f(Some(10_000), Some(100_000)), vec![medium]);
        assert!(f(Some(700_000), None).is_empty());
        assert_eq!(f(Some(i64::MIN), Some(i64::MAX)).len(), 3);
    }

    /// The schema of the first release (user_version 1), as it was written.
    const SCHEMA_V1: &str = "
        CREATE TABLE sessions (
            session_id TEXT PRIMARY KEY, app TEXT NOT NULL, app_id TEXT NOT NULL, platform TEXT NOT NULL,
            os_name TEXT NOT NULL, os_version TEXT NOT NULL, device_manufacturer TEXT NOT NULL,
            device_model TEXT NOT NULL, app_version TEXT NOT NULL, app_build TEXT NOT NULL,
            sdk_version TEXT NOT NULL, user_id TEXT, started_ms INTEGER NOT NULL, start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL, segments INTEGER NOT NULL, records INTEGER NOT NULL, bytes INTEGER NOT NULL,
            raw_bytes INTEGER NOT NULL, meta_sequence INTEGER NOT NULL, user_sequence INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_app ON sessions (app, start_ms);
        CREATE INDEX sessions_by_user ON sessions (user_id);
        CREATE TABLE segments (
            session_id TEXT NOT NULL, sequence INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
            records INTEGER NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (session_id, sequence)
        ) WITHOUT ROWID;
        PRAGMA user_version = 1;
    ";

    #[test]
    fn a_version_1_index_is_migrated_and_keeps_its_sessions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = SessionId::new_v7(1_600_000_000_000);
        {
            let conn = Connection::open(dir.path().join("index.sqlite")).expect("create v1");
            conn.execute_batch(SCHEMA_V1).expect("v1 schema");
            conn.execute(
                "INSERT INTO sessions VALUES (?1, 'demo', 'com.example', 'android', 'Android', '13', 'Google', \
                 'Pixel 7', '1.0', '1', '0.1.0', 'old-user', 1000, 1000, 9000, 1, 10, 500, 2000, 0, 0)",
                [old.to_string()],
            )
            .expect("v1 row");
            conn.execute("INSERT INTO segments VALUES (?1, 0, 1000, 9000, 10, 500)", [old.to_string()]).expect("v1 segment");
        }
        let index = SessionIndex::open(dir.path()).expect("opens and migrates");
        let row = index.session(old).expect("query").expect("the old session is still there");
        assert_eq!((row.user_id.as_deref(), row.segments, row.rage_taps, row.dead_taps, row.layout_issues), (Some("old-user"), 1, 0, 0, 0));
        let version: i64 = lock(&index.reader).expect("lock").query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, 3);
        assert_eq!(index.session_state(SegmentId { session: old, sequence: 0 }).expect("state").owner, Owner::App("demo".into()));
        // A new segment of the old session brings findings into the new table and counts.
        let mut next = summary(old, 1, None, "Pixel 7");
        next.findings = vec![Finding { kind: FindingKind::RageTap, time_ms: 9500, node_id: 4, rect: Rect::new(1, 2, 3, 4), detail: "3 taps".into() }];
        assert!(index.record(&next).expect("record"));
        assert_eq!(index.session(old).expect("query").expect("row").rage_taps, 1);
        assert_eq!(index.findings(old).expect("findings").len(), 1);
        assert!(!index.record(&summary(old, 0, None, "Pixel 7")).expect("record"), "v1's segments stay counted");
        drop(index);
        // Opening again leaves a version-3 index as it is.
        let again = SessionIndex::open(dir.path()).expect("reopens");
        assert_eq!(again.session(old).expect("query").expect("row").rage_taps, 1);
    }
}
