//! The index's part of live view: which sessions somebody watches in the player (refreshed by
//! every long poll of `GET /v1/sessions/{id}/live`), and what that poll reads. Upload answers
//! carry the live flag while a session is watched (`SessionState::watched`, read with the rest
//! of the pre-check). The same SQL on every engine.

use reprise_core::SessionId;

use super::SessionIndex;
use super::database::Stmt;
use crate::error::IndexError;

/// Watched until `?2`, unless the session was erased.
const WATCH: &str = "INSERT INTO watchers (session_id, until_ms) SELECT ?1, ?2 \
     WHERE NOT EXISTS (SELECT 1 FROM erased WHERE session_id = ?1) \
     ON CONFLICT (session_id) DO UPDATE SET until_ms = excluded.until_ms";

const FORGET_WATCHERS: &str = "DELETE FROM watchers WHERE until_ms < ?1";

const PROGRESS: &str = "SELECT segments, end_ms, received_ms FROM sessions WHERE session_id = ?1";

/// How far a session has come, as the live poll reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Segments indexed.
    pub segments: i64,
    /// The end of its latest record, Unix ms.
    pub end_ms: i64,
    /// When its latest segment arrived, Unix ms.
    pub received_ms: i64,
}

impl SessionIndex {
    /// Somebody watches `session` until `until_ms`: its uploads are answered with the live flag.
    pub fn watch(&self, session: SessionId, until_ms: i64) -> Result<(), IndexError> {
        self.db.execute(Stmt::new(WATCH, vec![session.to_string().into(), until_ms.into()]))?;
        Ok(())
    }

    /// Drops the watchers that ended before `before_ms`; how many.
    pub fn forget_watchers(&self, before_ms: i64) -> Result<u64, IndexError> {
        self.db.execute(Stmt::new(FORGET_WATCHERS, vec![before_ms.into()]))
    }

    /// How far `session` has come, if it is indexed.
    pub fn progress(&self, session: SessionId) -> Result<Option<Progress>, IndexError> {
        let rows = self.db.query(Stmt::new(PROGRESS, vec![session.to_string().into()]))?;
        rows.first()
            .map(|row| Ok(Progress { segments: row.int(0)?, end_ms: row.int(1)?, received_ms: row.int(2)? }))
            .transpose()
    }
}
