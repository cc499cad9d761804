//! Erasing sessions, for retention ([`retention`]) and on request (the right to erasure:
//! `reprise erase`, `DELETE /v1/admin/...`), on either store and either index.
//!
//! A session is erased in three steps, each idempotent, so a crash at any point is finished by
//! running the erasure again (the retention sweep finishes interrupted ones by itself):
//!
//! 1. its **tombstone** goes into the index: from then on ingest refuses its uploads (410) and the
//!    index counts none of its segments, so nothing brings it back;
//! 2. every stored **segment** of it is deleted from the store;
//! 3. every **row** of it leaves the index in one transaction (session, segments, findings,
//!    owner); the replay API then answers 404 on every collector.
//!
//! The caller drops the session from its replay cache; other collectors drop theirs when they
//! see the tombstone ([`crate::server`]'s purge task).

pub mod retention;

use reprise_core::SessionId;
use serde::Serialize;

use crate::clock::now_ms;
use crate::error::ErasureError;
use crate::index::{ErasureReason, RemovedRows, SessionIndex};
use crate::store::SegmentStore;

pub use retention::sweep;

/// What erasing one session deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasedSession {
    /// The session.
    pub session_id: String,
    /// Segments deleted from the store.
    pub stored_segments: u64,
    /// Rows taken out of the index.
    pub index: RemovedRows,
}

/// What an erasure deleted, session by session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    /// Each session erased, in the order they were.
    pub sessions: Vec<ErasedSession>,
}

impl ErasureReport {
    /// Segments deleted from the store, over all sessions.
    pub fn stored_segments(&self) -> u64 {
        self.sessions.iter().map(|s| s.stored_segments).sum()
    }
}


/// Erases one session (blocking): tombstone, stored segments, index rows.
pub fn erase_session(
    store: &dyn SegmentStore,
    index: &SessionIndex,
    session: SessionId,
    reason: ErasureReason,
) -> Result<ErasedSession, ErasureError> {
    index.tombstone(session, reason, now_ms())?;
    let mut stored_segments = 0;
    for id in store.list_session(session)? {
        if store.delete(id)? {
            stored_segments += 1;
        }
    }
    let removed = index.remove_session(session)?;
    Ok(ErasedSession { session_id: session.to_string(), stored_segments, index: removed })
}

/// Erases each of `sessions` for `reason`, in order.
pub fn erase_sessions(
    store: &dyn SegmentStore,
    index: &SessionIndex,
    sessions: &[SessionId],
    reason: ErasureReason,
) -> Result<ErasureReport, ErasureError> {
    let mut report = ErasureReport::default();
    for &session in sessions {
        report.sessions.push(erase_session(store, index, session, reason)?);
    }
    Ok(report)
}

/// Erases every session whose user id is `user_id` (of `app` only, when given): the right to
/// erasure.
pub fn erase_user(
    store: &dyn SegmentStore,
    index: &SessionIndex,
    user_id: &str,
    app: Option<&str>,
) -> Result<ErasureReport, ErasureError> {
    let sessions = index.sessions_of_user(user_id, app)?;
    erase_sessions(store, index, &sessions, ErasureReason::Request)
}

/// Finishes erasures that a crash interrupted (tombstoned sessions that still have rows), at
/// most [`retention::BATCH`] of them; the next call takes the rest.
pub fn finish_interrupted(store: &dyn SegmentStore, index: &SessionIndex) -> Result<ErasureReport, ErasureError> {
    // Each tombstone is there already and keeps its first reason.
    let sessions = index.unfinished_erasures(retention::BATCH)?;
    erase_sessions(store, index, &sessions, ErasureReason::Request)
}
