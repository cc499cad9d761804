//! Writing the index: claiming a session for an app, and counting a stored segment into its
//! session's row, idempotently, in one transaction. The statements are the same on every engine.

use std::sync::LazyLock;

use reprise_core::SessionId;

use super::SessionIndex;
use super::database::{Stmt, Value};
use super::device::device_statements;
use super::rows::{Owner, SegmentSummary, platform_name};
use crate::analysis::{Finding, FindingKind};
use crate::error::IndexError;

/// The session columns that come from the earliest segment's Session record, written once here
/// for the insert and the update.
const METADATA_COLUMNS: &str =
    "app_id, platform, os_name, os_version, device_manufacturer, device_model, app_version, app_build, sdk_version, started_ms";

/// The guard of the transaction: a segment is counted once, by whoever inserts its row first,
/// and never into a session that was erased (its tombstone stops a late upload from bringing it
/// back). SQLite needs the WHERE to read `ON CONFLICT` as the upsert clause.
const INSERT_SEGMENT: &str = "INSERT INTO segments (session_id, sequence, start_ms, end_ms, records, bytes, analysed) \
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, 0 WHERE NOT EXISTS (SELECT 1 FROM erased WHERE session_id = ?1) ON CONFLICT DO NOTHING";

/// The segment waits for its analysis (`super::analysis_queue`).
const ENQUEUE: &str = "INSERT INTO analysis_queue (session_id, sequence, enqueued_ms) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

/// The session's row: made with this segment's metadata and counts, or counted into; it keeps
/// when its latest segment arrived (`received_ms`, what retention counts from). Metadata
/// comes from the earliest segment (it describes the session's start), whatever the arrival
/// order; the time range widens (CASE, as the two engines spell a scalar min and max
/// differently). On a conflict, `sessions.x` is the row as it was and `excluded.x` this segment's.
static UPSERT_SESSION: LazyLock<String> = LazyLock::new(|| {
    let earliest = |column: &str| {
        format!("{column} = CASE WHEN excluded.meta_sequence < sessions.meta_sequence THEN excluded.{column} ELSE sessions.{column} END")
    };
    let metadata: Vec<String> = METADATA_COLUMNS.split(", ").chain(["meta_sequence"]).map(earliest).collect();
    format!(
        "INSERT INTO sessions (session_id, app, {METADATA_COLUMNS}, start_ms, end_ms, segments, records, bytes, \
         raw_bytes, meta_sequence, received_ms) VALUES (?11, ?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, ?14, 1, ?16, ?17, ?18, ?15, ?19) \
         ON CONFLICT (session_id) DO UPDATE SET segments = sessions.segments + 1, \
         received_ms = CASE WHEN excluded.received_ms > sessions.received_ms THEN excluded.received_ms ELSE sessions.received_ms END, \
         records = sessions.records + excluded.records, bytes = sessions.bytes + excluded.bytes, \
         raw_bytes = sessions.raw_bytes + excluded.raw_bytes, \
         start_ms = CASE WHEN excluded.start_ms < sessions.start_ms THEN excluded.start_ms ELSE sessions.start_ms END, \
         end_ms = CASE WHEN excluded.end_ms > sessions.end_ms THEN excluded.end_ms ELSE sessions.end_ms END, {}",
        metadata.join(", ")
    )
});

/// The user id comes from the latest segment that names one.
const LATEST_USER: &str = "UPDATE sessions SET user_id = ?2, user_sequence = ?3 \
     WHERE session_id = ?1 AND (user_sequence IS NULL OR user_sequence <= ?3)";

/// A finding merges with the same one (kind, screen, view, and moment for struggles) found in
/// another segment, in any order and any number of times: the range widens to the earliest first
/// and the latest last moment, and the node, bounds and detail are those of the earliest sighting
/// (the lowest node id on a tie), so every order of arrival leaves the same row.
static UPSERT_FINDING: LazyLock<String> = LazyLock::new(|| {
    let earlier = "(excluded.time_ms < findings.time_ms OR (excluded.time_ms = findings.time_ms AND excluded.node_id < findings.node_id))";
    let from_earliest: Vec<String> = ["time_ms", "node_id", "x", "y", "w", "h", "detail"]
        .iter()
        .map(|c| format!("{c} = CASE WHEN {earlier} THEN excluded.{c} ELSE findings.{c} END"))
        .collect();
    format!(
        "INSERT INTO findings (session_id, kind, screen, view_key, time_key, time_ms, last_ms, node_id, x, y, w, h, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
         ON CONFLICT (session_id, kind, screen, view_key, time_key) DO UPDATE SET \
         last_ms = CASE WHEN excluded.last_ms > findings.last_ms THEN excluded.last_ms ELSE findings.last_ms END, {}",
        from_earliest.join(", ")
    )
});

/// The session's finding counts, recounted from the findings table: rage taps, dead taps, and
/// layout issues (the kinds `FindingKind::is_layout` names; struggle signals are not layout).
static RECOUNT_FINDINGS: LazyLock<String> = LazyLock::new(|| {
    let layout: Vec<String> =
        FindingKind::ALL.into_iter().filter(|k| k.is_layout()).map(|k| format!("'{}'", k.name())).collect();
    format!(
        "UPDATE sessions SET \
         rage_taps = (SELECT count(*) FROM findings WHERE session_id = ?1 AND kind = 'rage_tap'), \
         dead_taps = (SELECT count(*) FROM findings WHERE session_id = ?1 AND kind = 'dead_tap'), \
         layout_issues = (SELECT count(*) FROM findings WHERE session_id = ?1 AND kind IN ({})) \
         WHERE session_id = ?1",
        layout.join(", ")
    )
});

/// An erased session is nobody's: its tombstone keeps it unclaimed.
const CLAIM: &str = "INSERT INTO owners (session_id, app) SELECT ?1, ?2 \
     WHERE NOT EXISTS (SELECT 1 FROM erased WHERE session_id = ?1) ON CONFLICT DO NOTHING";
const OWNER: &str = "SELECT app FROM owners WHERE session_id = ?1";

impl SessionIndex {
    /// Makes `app` the owner of `session` unless another app is already; returns the owner
    /// ([`Owner::Unclaimed`] only when the session was erased).
    pub fn claim(&self, session: SessionId, app: &str) -> Result<Owner, IndexError> {
        let session_id = session.to_string();
        self.db.execute(Stmt::new(CLAIM, vec![session_id.as_str().into(), app.into()]))?;
        let rows = self.db.query(Stmt::new(OWNER, vec![session_id.into()]))?;
        rows.first().map_or(Ok(Owner::Unclaimed), |row| Ok(Owner::App(row.text(0)?)))
    }

    /// Counts a stored segment into its session's row and queues it for analysis (findings a
    /// summary carries already are merged at once). Returns false when the segment was already
    /// counted (nothing changes). Whichever collector inserts the segment's row first counts it:
    /// the transaction starts there.
    pub fn record(&self, s: &SegmentSummary) -> Result<bool, IndexError> {
        let session_id = Value::from(s.id.session.to_string());
        let sequence = Value::from(s.id.sequence);
        let guard = Stmt::new(
            INSERT_SEGMENT,
            vec![session_id.clone(), sequence.clone(), s.start_ms.into(), s.end_ms.into(), s.records.into(), s.bytes.into()],
        );
        let m = &s.session.metadata;
        let sdk_version = if m.sdk_version.is_empty() { s.sdk_header.clone().unwrap_or_default() } else { m.sdk_version.clone() };
        let metadata: Vec<Value> = vec![
            m.app_id.as_str().into(),
            platform_name(m.platform).into(),
            m.os_name.as_str().into(),
            m.os_version.as_str().into(),
            m.device_manufacturer.as_str().into(),
            m.device_model.as_str().into(),
            m.app_version.as_str().into(),
            m.app_build.as_str().into(),
            sdk_version.into(),
            s.session.started_ms.into(),
        ];
        let counts = [
            session_id.clone(),
            s.app.as_str().into(),
            s.start_ms.into(),
            s.end_ms.into(),
            sequence.clone(),
            s.records.into(),
            s.bytes.into(),
            s.raw_bytes.into(),
            crate::clock::now_ms().into(),
        ];
        let mut then = vec![Stmt::new(UPSERT_SESSION.as_str(), metadata.into_iter().chain(counts).collect())];
        if let Some(user_id) = &s.user_id {
            then.push(Stmt::new(LATEST_USER, vec![session_id.clone(), user_id.into(), sequence.clone()]));
        }
        then.extend(device_statements(&session_id, s));
        then.push(Stmt::new(ENQUEUE, vec![session_id.clone(), sequence, crate::clock::now_ms().into()]));
        then.extend(finding_statements(&session_id, &s.findings));
        self.db.guarded(guard, then)
    }
}

/// The statements that merge `findings` into the session's and recount its totals (none for
/// no findings): run in the transaction that records a segment's analysis.
pub(super) fn finding_statements(session_id: &Value, findings: &[Finding]) -> Vec<Stmt> {
    let mut out: Vec<Stmt> = findings.iter().map(|f| Stmt::new(UPSERT_FINDING.as_str(), finding_params(session_id, f))).collect();
    if !findings.is_empty() {
        out.push(Stmt::new(RECOUNT_FINDINGS.as_str(), vec![session_id.clone()]));
    }
    out
}

/// The parameters of [`UPSERT_FINDING`] for `f`. A layout issue is one row per kind, screen and
/// view (time key 0); a struggle one per moment, its view its node.
fn finding_params(session_id: &Value, f: &Finding) -> Vec<Value> {
    let (view, time_key) = if f.kind.is_layout() { (f.view.clone(), 0) } else { (format!("node {}", f.node_id), f.time_ms) };
    vec![
        session_id.clone(),
        f.kind.name().into(),
        f.screen.as_str().into(),
        view.into(),
        time_key.into(),
        f.time_ms.into(),
        f.last_ms.max(f.time_ms).into(),
        f.node_id.into(),
        f.rect.x.into(),
        f.rect.y.into(),
        f.rect.w.into(),
        f.rect.h.into(),
        f.detail.as_str().into(),
    ]
}
