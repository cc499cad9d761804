//! The session index: one row per session, updated from every stored segment, queried by the
//! web player and the tests. It lives in an embedded SQLite file in the data directory by
//! default ([`sqlite`]), or in a PostgreSQL database that several collectors share
//! ([`postgres`]), chosen by `config::IndexLocation`.
//!
//! Indexing a segment is idempotent: a `segments` table records which segments were counted, so
//! indexing the same segment twice (a retry after a crash between storing and indexing, or two
//! collectors racing) changes nothing the second time and repairs the row the first time.
//! Every method blocks: call them off the async executor where you can.
//!
//! [`database`] is what an engine provides; [`write`] and [`query`] are the index's statements,
//! the same text on both engines; [`rows`] what goes in and comes out.

pub mod analysis_queue;
pub mod database;
pub mod erasure;
pub mod live;
pub mod device;
pub mod notes;
pub mod postgres;
mod query;
pub mod rows;
pub mod sqlite;
mod write;

use std::path::Path;

use crate::error::IndexError;
use database::Database;

pub use analysis_queue::Backlog;
pub use erasure::{ErasureReason, RemovedRows, SESSION_TABLES};
pub use live::Progress;
pub use rows::{Facets, FindingRow, Owner, SegmentSummary, SessionFilter, SessionRow, SessionSort, SessionState, platform_name};

/// Most distinct values listed per facet (the first in sort order).
pub const MAX_FACET_VALUES: usize = 200;

/// The session index over one engine.
pub struct SessionIndex {
    db: Box<dyn Database>,
}

impl std::fmt::Debug for SessionIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SessionIndex").field(&self.db.describe()).finish()
    }
}

impl SessionIndex {
    /// Opens (creating if needed) the embedded index in `data_dir`, running the migrations it lacks.
    pub fn open(data_dir: &Path) -> Result<Self, IndexError> {
        Ok(Self::over(sqlite::SqliteDb::open(&data_dir.join(sqlite::FILE_NAME))?))
    }

    /// The index over an opened engine.
    pub fn over(db: impl Database) -> Self {
        Self { db: Box::new(db) }
    }

    /// Where it is, for messages (never a password).
    pub fn describe(&self) -> String {
        self.db.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Finding;
    use crate::replay::Rect;
    use reprise_core::record::SessionInfo;
    use reprise_core::{Platform, SegmentId, SessionId};
    use reprise_core::SessionMetadata;
    use reprise_core::record::UserInfo;
    use rusqlite::Connection;

    /// The index the tests run against: a fresh PostgreSQL database when `REPRISE_TEST_POSTGRES`
    /// names a server (as `scripts/scale-backends.sh` sets it), else SQLite in `dir`.
    pub(super) fn test_index(dir: &std::path::Path) -> SessionIndex {
        match std::env::var(postgres::TEST_SERVER_ENV) {
            Ok(server) => {
                let url = postgres::create_test_database(&server).expect("a fresh test database");
                SessionIndex::over(postgres::PostgresDb::connect(&url).expect("opens"))
            }
            Err(_) => SessionIndex::open(dir).expect("opens"),
        }
    }

    /// A segment of `session` 100 ms after the one before, on device `model`.
    pub(super) fn summary(session: SessionId, sequence: u32, user_id: Option<&str>, model: &str) -> SegmentSummary {
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
            screens: Vec::new(),
            truncated_fields: 0,
        }
    }

    #[test]
    fn segments_in_any_order_give_one_consistent_row() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
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

    #[test]
    fn device_columns_follow_the_earliest_segment_and_screens_add_up_in_any_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let session = SessionId::new_v7(1_700_000_000_000);
        let segment = |sequence: u32, locale: &str, screens: &[&str]| {
            let mut s = summary(session, sequence, None, "Pixel 8");
            let m = &mut s.session.metadata;
            (m.locale, m.screen_width_px, m.screen_height_px, m.density) = (locale.into(), 1080, 2400, 2.625);
            s.screens = screens.iter().map(|n| (*n).to_owned()).collect();
            s
        };
        assert!(index.record(&segment(2, "fr-FR", &["Cart", "Pay"])).expect("record"));
        assert!(index.record(&segment(0, "en-GB", &["Home"])).expect("record"));
        assert!(index.record(&segment(1, "de-DE", &["Cart"])).expect("record"));
        let row = index.session(session).expect("query").expect("row");
        assert_eq!((row.locale.as_str(), row.width_dp, row.height_dp, row.density_milli), ("en-GB", 411, 914, 2625));
        let f = |filter| listed(&index, filter);
        let id = vec![session.to_string()];
        assert_eq!(f(SessionFilter { screen: Some("Pay".into()), ..Default::default() }), id);
        assert_eq!(f(SessionFilter { locale: Some("en-GB".into()), density_milli: Some(2625), ..Default::default() }), id);
        assert!(f(SessionFilter { locale: Some("fr-FR".into()), ..Default::default() }).is_empty());
        assert_eq!(f(SessionFilter { size_class: Some(device::SizeClass::Compact), ..Default::default() }), id);
        assert!(f(SessionFilter { size_class: Some(device::SizeClass::Medium), ..Default::default() }).is_empty());
        assert_eq!(index.facets().expect("facets").screen, ["Cart", "Home", "Pay"]);
    }

    #[test]
    fn facets_list_at_most_their_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        for i in 0..(MAX_FACET_VALUES + 5) {
            let session = SessionId::new_v7(1_700_000_000_000 + i as i64);
            assert!(index.record(&summary(session, 0, None, &format!("model {i:04}"))).expect("record"));
        }
        let facets = index.facets().expect("facets");
        assert_eq!(facets.device_model.len(), MAX_FACET_VALUES);
        assert_eq!(facets.device_model[0], "model 0000");
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
            .map(|(i, &kind)| {
                let mut f = Finding::at(kind, s.start_ms + i as i64, i as u32 + 1, Rect::new(0, 0, 10, 10), String::new());
                f.view = format!("view {i}");
                f
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
        let index = test_index(dir.path());
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
        let index = test_index(dir.path());
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
        let index = test_index(dir.path());
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
        let index = test_index(dir.path());
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

    /// A layout finding of `kind` on `screen` and `view`, seen from `first` to `last` on `node`.
    fn sighting(kind: FindingKind, screen: &str, view: &str, first: i64, last: i64, node: u32) -> Finding {
        let mut f = Finding::at(kind, first, node, Rect::new(i64::from(node), 0, 20, 20), format!("on node {node}"));
        (f.last_ms, f.screen, f.view) = (last, screen.into(), view.into());
        f
    }

    /// The segments of one session, each seeing the same checkbox (as the list scrolls, on other
    /// nodes), another view, another screen, and a rage tap.
    fn sightings(session: SessionId) -> Vec<SegmentSummary> {
        let small = FindingKind::SmallTarget;
        let mut segments: Vec<SegmentSummary> = (0..3).map(|i| summary(session, i, None, "Pixel 8")).collect();
        segments[0].findings = vec![sighting(small, "Tasks", "checkbox", 1_000, 1_400, 20), sighting(small, "Tasks", "fab", 1_000, 1_100, 9)];
        segments[1].findings = vec![
            sighting(small, "Tasks", "checkbox", 1_500, 2_900, 31),
            sighting(small, "Tasks", "checkbox", 1_500, 2_900, 31),
            sighting(small, "Settings", "checkbox", 2_000, 2_100, 50),
        ];
        segments[2].findings = vec![sighting(small, "Tasks", "checkbox", 3_000, 3_200, 44), {
            let mut rage = Finding::at(FindingKind::RageTap, 3_100, 44, Rect::new(0, 0, 5, 5), "3 taps".into());
            rage.last_ms = 3_400;
            rage
        }];
        segments
    }

    #[test]
    fn a_views_finding_is_one_row_per_screen_with_its_range_whatever_the_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [1, 0, 2], [2, 0, 1], [0, 2, 1]];
        let mut results = Vec::new();
        for (n, order) in orders.iter().enumerate() {
            let session = SessionId::new_v7(1_700_000_000_000 + n as i64);
            let segments = sightings(session);
            for &i in order {
                assert!(index.record(&segments[i]).expect("record"));
            }
            // Indexing again (a retry, another collector) changes nothing.
            assert!(!index.record(&segments[order[0]]).expect("record"));
            let rows = index.findings(session).expect("findings");
            assert_eq!(index.session(session).expect("query").expect("row").layout_issues, 3);
            results.push(rows);
        }
        assert!(results.iter().all(|r| *r == results[0]), "every order of arrival gives the same rows");
        let rows = &results[0];
        let row = |screen: &str, view: &str| rows.iter().find(|r| r.screen == screen && r.view_key == view).expect("a row");
        let checkbox = row("Tasks", "checkbox");
        assert_eq!((checkbox.time_ms, checkbox.last_ms, checkbox.node_id, checkbox.detail.as_str()), (1_000, 3_200, 20, "on node 20"));
        assert_eq!(checkbox.rect, Rect::new(20, 0, 20, 20), "the bounds of the first sighting");
        let other_screen = row("Settings", "checkbox");
        assert_eq!((other_screen.time_ms, other_screen.last_ms), (2_000, 2_100));
        assert_eq!((row("Tasks", "fab").time_ms, row("Tasks", "fab").last_ms), (1_000, 1_100));
        let rage = rows.iter().find(|r| r.kind == "rage_tap").expect("the rage tap");
        assert_eq!((rage.time_ms, rage.last_ms, rage.view_key.as_str()), (3_100, 3_400, "node 44"));
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn a_tie_on_the_first_moment_keeps_the_lowest_node_in_any_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = test_index(dir.path());
        let mut firsts = Vec::new();
        for (n, nodes) in [[7, 3], [3, 7]].iter().enumerate() {
            let session = SessionId::new_v7(1_700_000_000_000 + n as i64);
            for (sequence, &node) in nodes.iter().enumerate() {
                let mut s = summary(session, sequence as u32, None, "Pixel 8");
                s.findings = vec![sighting(FindingKind::Clipped, "", "row", 5_000, 5_000 + i64::from(node), node)];
                assert!(index.record(&s).expect("record"));
            }
            let rows = index.findings(session).expect("findings");
            assert_eq!(rows.len(), 1);
            firsts.push((rows[0].node_id, rows[0].last_ms, rows[0].detail.clone()));
        }
        assert_eq!(firsts, vec![(3, 5_007, "on node 3".to_owned()); 2]);
    }

    #[test]
    fn findings_of_a_version_3_index_keep_their_node_as_their_view() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = SessionId::new_v7(1_600_000_000_000);
        {
            let mut conn = Connection::open(dir.path().join(sqlite::FILE_NAME)).expect("create");
            for (i, sql) in sqlite::schema::MIGRATIONS[..3].iter().enumerate() {
                let tx = conn.transaction().expect("tx");
                tx.execute_batch(sql).expect("migration");
                tx.pragma_update(None, "user_version", i as i64 + 1).expect("version");
                tx.commit().expect("commit");
            }
            conn.execute("INSERT INTO findings VALUES (?1, 'small_target', 4, 0, 1200, 1, 2, 30, 30, '30x30 dp')", [old.to_string()])
                .expect("v3 finding");
        }
        let index = SessionIndex::open(dir.path()).expect("opens and migrates");
        let rows = index.findings(old).expect("findings");
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.kind.as_str(), row.node_id, row.time_ms, row.last_ms), ("small_target", 4, 1200, 1200));
        assert_eq!((row.screen.as_str(), row.view_key.as_str(), row.detail.as_str()), ("", "node 4", "30x30 dp"));
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
            let conn = Connection::open(dir.path().join(sqlite::FILE_NAME)).expect("create v1");
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
        let version: i64 = Connection::open(dir.path().join(sqlite::FILE_NAME))
            .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
            .expect("version");
        assert_eq!(version, sqlite::schema::MIGRATIONS.len() as i64);
        assert_eq!(index.session_state(SegmentId { session: old, sequence: 0 }).expect("state").owner, Owner::App("demo".into()));
        // A new segment of the old session brings findings into the new table and counts.
        let mut next = summary(old, 1, None, "Pixel 7");
        next.findings = vec![Finding::at(FindingKind::RageTap, 9500, 4, Rect::new(1, 2, 3, 4), "3 taps".into())];
        assert!(index.record(&next).expect("record"));
        assert_eq!(index.session(old).expect("query").expect("row").rage_taps, 1);
        assert_eq!(index.findings(old).expect("findings").len(), 1);
        assert!(!index.record(&summary(old, 0, None, "Pixel 7")).expect("record"), "v1's segments stay counted");
        drop(index);
        // Opening again leaves an up-to-date index as it is.
        let again = SessionIndex::open(dir.path()).expect("reopens");
        assert_eq!(again.session(old).expect("query").expect("row").rage_taps, 1);
    }
}
