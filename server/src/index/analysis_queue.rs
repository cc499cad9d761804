//! The index's part of analysis behind the 200: the queue of stored segments waiting for their
//! analysis (filled by `record` in the segment's own transaction), claims with a lease, and the
//! transaction that writes an analysis once. The worker is `crate::analysis_worker`. The same
//! SQL on every engine.

use reprise_core::{SegmentId, SessionId};

use super::SessionIndex;
use super::database::{Stmt, Value};
use super::write::finding_statements;
use crate::analysis::Finding;
use crate::error::IndexError;

/// Attempts after which a segment is left unanalysed (its analysis keeps failing or crashing its
/// worker); it stays in the queue, counted by [`SessionIndex::analysis_backlog`].
pub const MAX_ATTEMPTS: i64 = 5;

/// Claims at most `?4` unclaimed (or lapsed) segments for worker `?2` until `?3`. The outer
/// condition is checked again on each row it updates, so of two workers racing for a segment one
/// gets it (PostgreSQL re-reads a row another transaction changed; SQLite has one writer).
const CLAIM: &str = "UPDATE analysis_queue SET worker = ?2, lease_until = ?3, attempts = attempts + 1 \
     WHERE lease_until < ?1 AND attempts < ?5 AND (session_id, sequence) IN \
     (SELECT session_id, sequence FROM analysis_queue WHERE lease_until < ?1 AND attempts < ?5 \
      ORDER BY enqueued_ms, session_id, sequence LIMIT ?4)";

const CLAIMED: &str = "SELECT session_id, sequence FROM analysis_queue WHERE worker = ?1 AND lease_until = ?2 \
     ORDER BY enqueued_ms, session_id, sequence";

/// The guard of an analysis: the worker still holds its claim (it did not lapse to another).
const RELEASE: &str = "DELETE FROM analysis_queue WHERE session_id = ?1 AND sequence = ?2 AND worker = ?3";

const COUNT_ANALYSED: &str = "UPDATE segments SET analysed = analysed + 1 WHERE session_id = ?1 AND sequence = ?2";

const BACKLOG: &str = "SELECT count(*), coalesce(sum(CASE WHEN attempts >= ?1 THEN 1 ELSE 0 END), 0) FROM analysis_queue";

const PENDING_OF: &str = "SELECT count(*) FROM analysis_queue WHERE session_id = ?1 AND attempts < ?2";

/// What the queue holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Backlog {
    /// Segments waiting (or being analysed).
    pub pending: u64,
    /// Segments given up on after [`MAX_ATTEMPTS`].
    pub failed: u64,
}

impl SessionIndex {
    /// Claims at most `limit` queued segments for `worker` until `lease_until_ms` (at `now_ms`).
    pub fn claim_analyses(&self, worker: &str, now_ms: i64, lease_until_ms: i64, limit: u32) -> Result<Vec<SegmentId>, IndexError> {
        let params = vec![now_ms.into(), worker.into(), lease_until_ms.into(), limit.into(), MAX_ATTEMPTS.into()];
        if self.db.execute(Stmt::new(CLAIM, params))? == 0 {
            return Ok(Vec::new());
        }
        let rows = self.db.query(Stmt::new(CLAIMED, vec![worker.into(), lease_until_ms.into()]))?;
        rows.iter()
            .map(|row| {
                let session: SessionId = row.text(0)?.parse().map_err(|_| IndexError::Column { index: 0, expected: "a session id" })?;
                let sequence = u32::try_from(row.int(1)?).map_err(|_| IndexError::Column { index: 1, expected: "a sequence" })?;
                Ok(SegmentId { session, sequence })
            })
            .collect()
    }

    /// Writes the analysis of `id` by `worker` in one transaction: releases the claim, merges the
    /// findings, counts the analysis. Returns false (and writes nothing) when the claim lapsed to
    /// another worker, so each segment's findings are written once.
    pub fn record_analysis(&self, id: SegmentId, worker: &str, findings: &[Finding]) -> Result<bool, IndexError> {
        let session_id = Value::from(id.session.to_string());
        let sequence = Value::from(id.sequence);
        let guard = Stmt::new(RELEASE, vec![session_id.clone(), sequence.clone(), worker.into()]);
        let mut then = finding_statements(&session_id, findings);
        then.push(Stmt::new(COUNT_ANALYSED, vec![session_id, sequence]));
        self.db.guarded(guard, then)
    }

    /// What the queue holds, over all sessions.
    pub fn analysis_backlog(&self) -> Result<Backlog, IndexError> {
        let rows = self.db.query(Stmt::new(BACKLOG, vec![MAX_ATTEMPTS.into()]))?;
        let row = rows.first().ok_or(IndexError::Column { index: 0, expected: "a row" })?;
        let failed = u64::try_from(row.int(1)?).unwrap_or(0);
        Ok(Backlog { pending: u64::try_from(row.int(0)?).unwrap_or(0).saturating_sub(failed), failed })
    }

    /// Segments of `session` still waiting for their analysis.
    pub fn pending_analyses(&self, session: SessionId) -> Result<u64, IndexError> {
        let rows = self.db.query(Stmt::new(PENDING_OF, vec![session.to_string().into(), MAX_ATTEMPTS.into()]))?;
        Ok(u64::try_from(rows.first().ok_or(IndexError::Column { index: 0, expected: "a row" })?.int(0)?).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use reprise_core::SessionId;

    use super::{Backlog, MAX_ATTEMPTS};
    use crate::analysis::{Finding, FindingKind};
    use crate::index::tests::{summary, test_index};
    use crate::replay::Rect;

    fn finding() -> Finding {
        Finding {
            kind: FindingKind::SmallTarget,
            time_ms: 1000,
            last_ms: 2000,
            node_id: 7,
            rect: Rect { x: 0, y: 0, w: 20, h: 20 },
            detail: "20x20 dp".into(),
            screen: "Search".into(),
            view: "a view".into(),
        }
    }

    #[test]
    fn a_recorded_segment_is_queued_claimed_once_and_its_analysis_written_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let session = SessionId::new_v7(1_700_000_000_000);
        assert!(index.record(&summary(session, 0, None, "model")).expect("record"));
        assert!(!index.record(&summary(session, 0, None, "model")).expect("record"), "a second copy is not queued again");
        assert_eq!(index.analysis_backlog().expect("backlog"), Backlog { pending: 1, failed: 0 });
        let claimed = index.claim_analyses("a", 100, 200, 16).expect("claim");
        assert_eq!(claimed.iter().map(|id| (id.session, id.sequence)).collect::<Vec<_>>(), vec![(session, 0)]);
        assert!(index.claim_analyses("b", 150, 250, 16).expect("claim").is_empty(), "held until the lease ends");
        assert!(index.record_analysis(claimed[0], "a", &[finding()]).expect("write"));
        assert!(!index.record_analysis(claimed[0], "a", &[finding()]).expect("write"), "written once");
        assert_eq!(index.analysis_backlog().expect("backlog"), Backlog::default());
        assert_eq!(index.pending_analyses(session).expect("pending"), 0);
        let findings = index.findings(session).expect("findings");
        assert_eq!(findings.len(), 1);
        assert_eq!(index.session(session).expect("query").expect("row").layout_issues, 1, "the session's counts follow");
    }

    #[test]
    fn a_lapsed_claim_goes_to_the_next_worker_and_the_first_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let session = SessionId::new_v7(1_700_000_000_000);
        assert!(index.record(&summary(session, 0, None, "model")).expect("record"));
        let first = index.claim_analyses("dead", 100, 200, 16).expect("claim");
        let second = index.claim_analyses("alive", 201, 300, 16).expect("claim");
        assert_eq!(first, second);
        assert!(!index.record_analysis(first[0], "dead", &[finding()]).expect("write"), "its claim went to another");
        assert!(index.findings(session).expect("findings").is_empty());
        assert!(index.record_analysis(second[0], "alive", &[]).expect("write"));
        assert_eq!(index.analysis_backlog().expect("backlog"), Backlog::default());
    }

    #[test]
    fn a_segment_whose_analysis_keeps_failing_is_given_up_after_the_last_attempt() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let session = SessionId::new_v7(1_700_000_000_000);
        assert!(index.record(&summary(session, 0, None, "model")).expect("record"));
        for attempt in 0..MAX_ATTEMPTS {
            let now = 1 + attempt * 1000;
            assert_eq!(index.claim_analyses("crashing", now, now + 500, 16).expect("claim").len(), 1, "attempt {attempt}");
        }
        assert!(index.claim_analyses("crashing", 1_000_000, 1_000_500, 16).expect("claim").is_empty());
        assert_eq!(index.analysis_backlog().expect("backlog"), Backlog { pending: 0, failed: 1 });
        assert_eq!(index.pending_analyses(session).expect("pending"), 0);
    }

    #[test]
    fn claims_take_at_most_the_batch_oldest_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let session = SessionId::new_v7(1_700_000_000_000);
        for sequence in 0..5 {
            assert!(index.record(&summary(session, sequence, None, "model")).expect("record"));
        }
        assert_eq!(index.claim_analyses("a", 100, 200, 3).expect("claim").len(), 3);
        assert_eq!(index.claim_analyses("b", 100, 200, 3).expect("claim").len(), 2, "the rest");
        assert_eq!(index.analysis_backlog().expect("backlog").pending, 5, "claimed is still pending");
    }
}
