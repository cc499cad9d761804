//! The index's part of erasing a session: its tombstone, the removal of every row it has, and
//! the queries that find what to erase (a user's sessions, sessions past retention, erasures a
//! crash left half done). The order of the steps is `crate::erasure`'s. The same SQL on every
//! engine.

use reprise_core::SessionId;

use super::SessionIndex;
use super::database::{Row, Stmt, Value};
use crate::error::IndexError;

/// Every table that holds rows of a session, by its `session_id` column; erasing a session
/// empties each of them. The tombstones (`erased`) are the one table left out. A test checks
/// that no other table has a `session_id` column, so a table added later cannot be forgotten.
pub const SESSION_TABLES: [&str; 8] =
    ["findings", "session_screens", "notes", "segments", "sessions", "owners", "watchers", "analysis_queue"];

/// Marks a session erased (first reason wins), under the app that owns it.
const TOMBSTONE: &str = "INSERT INTO erased (session_id, app, erased_ms, reason) \
     SELECT ?1, coalesce((SELECT app FROM owners WHERE session_id = ?1), ''), ?2, ?3 WHERE 1 = 1 ON CONFLICT DO NOTHING";

/// The guard of the removal: the session is tombstoned (a no-op update that counts its row).
const TOMBSTONED: &str = "UPDATE erased SET erased_ms = erased_ms WHERE session_id = ?1";

/// What a removal takes away, counted before it.
const COUNTS: &str = "SELECT (SELECT count(*) FROM segments WHERE session_id = ?1), \
     (SELECT count(*) FROM findings WHERE session_id = ?1), \
     (SELECT count(*) FROM sessions WHERE session_id = ?1)";

const IS_ERASED: &str = "SELECT count(*) FROM erased WHERE session_id = ?1";

const ERASED_SINCE: &str = "SELECT session_id FROM erased WHERE erased_ms >= ?1 ORDER BY erased_ms";

const APPS: &str = "SELECT DISTINCT app FROM sessions ORDER BY app";

const EXPIRED: &str = "SELECT session_id FROM sessions WHERE app = ?1 AND received_ms < ?2 ORDER BY received_ms, session_id LIMIT ?3";

/// Tombstoned sessions that still have a row somewhere (an erasure a crash interrupted).
static UNFINISHED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let exists: Vec<String> = SESSION_TABLES
        .iter()
        .map(|table| format!("EXISTS (SELECT 1 FROM {table} t WHERE t.session_id = erased.session_id)"))
        .collect();
    format!("SELECT session_id FROM erased WHERE {} ORDER BY erased_ms LIMIT ?1", exists.join(" OR "))
});

/// What removing a session's rows took away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RemovedRows {
    /// Whether the session had its row.
    pub session: bool,
    /// Segments counted into it.
    pub segments: u64,
    /// Its findings.
    pub findings: u64,
}

/// Why a session was erased, as its tombstone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// It was older than its app's retention period.
    Retention,
    /// Somebody asked (the right to erasure: `reprise erase`, the admin endpoint).
    Request,
}

impl ErasureReason {
    /// The name kept in the tombstone.
    pub fn name(self) -> &'static str {
        match self {
            ErasureReason::Retention => "retention",
            ErasureReason::Request => "request",
        }
    }
}

impl SessionIndex {
    /// Tombstones `session`: from now on no segment of it is counted, and ingest refuses its
    /// uploads. Idempotent (the first reason and time stay).
    pub fn tombstone(&self, session: SessionId, reason: ErasureReason, now_ms: i64) -> Result<(), IndexError> {
        self.db.execute(Stmt::new(TOMBSTONE, vec![session.to_string().into(), now_ms.into(), reason.name().into()]))?;
        Ok(())
    }

    /// Whether `session` was erased.
    pub fn is_erased(&self, session: SessionId) -> Result<bool, IndexError> {
        let rows = self.db.query(Stmt::new(IS_ERASED, vec![session.to_string().into()]))?;
        Ok(first_int(&rows)? > 0)
    }

    /// Removes every row of a tombstoned `session` (from each of [`SESSION_TABLES`]) in one
    /// transaction; nothing when it has no tombstone. Idempotent.
    pub fn remove_session(&self, session: SessionId) -> Result<RemovedRows, IndexError> {
        let id = Value::from(session.to_string());
        let counts = self.db.query(Stmt::new(COUNTS, vec![id.clone()]))?;
        let row = counts.first().ok_or(IndexError::Column { index: 0, expected: "the counts" })?;
        let removed = RemovedRows {
            segments: u64::try_from(row.int(0)?).unwrap_or(0),
            findings: u64::try_from(row.int(1)?).unwrap_or(0),
            session: row.int(2)? > 0,
        };
        let deletes = SESSION_TABLES
            .iter()
            .map(|table| Stmt::built(format!("DELETE FROM {table} WHERE session_id = ?1"), vec![id.clone()]))
            .collect();
        if self.db.guarded(Stmt::new(TOMBSTONED, vec![id]), deletes)? { Ok(removed) } else { Ok(RemovedRows::default()) }
    }

    /// The sessions whose latest user id is `user_id`, of `app` when given, by id.
    pub fn sessions_of_user(&self, user_id: &str, app: Option<&str>) -> Result<Vec<SessionId>, IndexError> {
        let stmt = match app {
            Some(app) => Stmt::new(
                "SELECT session_id FROM sessions WHERE user_id = ?1 AND app = ?2 ORDER BY session_id",
                vec![user_id.into(), app.into()],
            ),
            None => Stmt::new("SELECT session_id FROM sessions WHERE user_id = ?1 ORDER BY session_id", vec![user_id.into()]),
        };
        session_ids(&self.db.query(stmt)?)
    }

    /// The apps that have sessions.
    pub fn apps(&self) -> Result<Vec<String>, IndexError> {
        self.db.query(Stmt::new(APPS, Vec::new()))?.iter().map(|row| row.text(0)).collect()
    }

    /// At most `limit` sessions of `app` whose latest segment arrived before `before_ms`, oldest first.
    pub fn expired_sessions(&self, app: &str, before_ms: i64, limit: u32) -> Result<Vec<SessionId>, IndexError> {
        session_ids(&self.db.query(Stmt::new(EXPIRED, vec![app.into(), before_ms.into(), limit.into()]))?)
    }

    /// At most `limit` tombstoned sessions that still have rows: erasures to finish.
    pub fn unfinished_erasures(&self, limit: u32) -> Result<Vec<SessionId>, IndexError> {
        session_ids(&self.db.query(Stmt::new(UNFINISHED.as_str(), vec![limit.into()]))?)
    }

    /// The sessions erased at or after `since_ms` (for dropping them from a cache).
    pub fn erased_since(&self, since_ms: i64) -> Result<Vec<SessionId>, IndexError> {
        session_ids(&self.db.query(Stmt::new(ERASED_SINCE, vec![since_ms.into()]))?)
    }
}

fn first_int(rows: &[Row]) -> Result<i64, IndexError> {
    rows.first().ok_or(IndexError::Column { index: 0, expected: "a row" })?.int(0)
}

fn session_ids(rows: &[Row]) -> Result<Vec<SessionId>, IndexError> {
    rows.iter()
        .map(|row| row.text(0)?.parse().map_err(|_| IndexError::Column { index: 0, expected: "a session id" }))
        .collect()
}
