//! Reading the index: a session's state as a segment arrives, the filtered list, one row, the
//! facets, a session's segments and findings. The same SQL on every engine.

use reprise_core::{SegmentId, SessionId};

use super::database::{Row, Stmt, Value};
use super::rows::{Facets, FindingRow, Owner, SessionFilter, SessionRow, SessionState, platform_name};
use super::{MAX_FACET_VALUES, SessionIndex};
use crate::error::IndexError;
use crate::replay::Rect;

/// The columns of a [`SessionRow`], in the order [`read_row`] reads them.
const COLUMNS: &str = "session_id, app, app_id, platform, os_name, os_version, device_manufacturer, device_model, \
     app_version, app_build, sdk_version, user_id, started_ms, start_ms, end_ms, segments, records, bytes, raw_bytes, \
     rage_taps, dead_taps, layout_issues, width_dp, height_dp, density_milli, orientation, locale, \
     (SELECT count(*) FROM notes n WHERE n.session_id = sessions.session_id)";

const SESSION_STATE: &str = "SELECT (SELECT app FROM owners WHERE session_id = ?1), \
     (SELECT max(sequence) FROM segments WHERE session_id = ?1), \
     CASE WHEN EXISTS (SELECT 1 FROM segments WHERE session_id = ?1 AND sequence = ?2) THEN 1 ELSE 0 END, \
     CASE WHEN EXISTS (SELECT 1 FROM erased WHERE session_id = ?1) THEN 1 ELSE 0 END, \
     CASE WHEN EXISTS (SELECT 1 FROM watchers WHERE session_id = ?1 AND until_ms > ?3) THEN 1 ELSE 0 END";

const INDEXED_SEGMENTS: &str = "SELECT sequence FROM segments WHERE session_id = ?1 ORDER BY sequence";

const FINDINGS: &str = "SELECT kind, time_ms, node_id, x, y, w, h, detail, last_ms, screen, view_key FROM findings \
     WHERE session_id = ?1 ORDER BY time_ms, kind, node_id, screen, view_key";

const SEGMENT_COUNT: &str = "SELECT count(*) FROM segments";

impl SessionIndex {
    /// Whose `id`'s session is, how far it goes, whether `id` is indexed, whether the session
    /// was erased and whether somebody watches it live.
    pub fn session_state(&self, id: SegmentId) -> Result<SessionState, IndexError> {
        let now = crate::clock::now_ms();
        let rows = self.db.query(Stmt::new(SESSION_STATE, vec![id.session.to_string().into(), id.sequence.into(), now.into()]))?;
        let row = first(&rows)?;
        Ok(SessionState {
            owner: row.opt_text(0)?.map_or(Owner::Unclaimed, Owner::App),
            highest_sequence: row.opt_int(1)?.map(sequence).transpose()?,
            indexed: row.int(2)? != 0,
            erased: row.int(3)? != 0,
            watched: row.int(4)? != 0,
        })
    }

    /// Sessions matching `filter`, in its order, from its offset, at most its limit.
    pub fn sessions(&self, filter: &SessionFilter) -> Result<Vec<SessionRow>, IndexError> {
        let (conditions, args) = self.conditions(filter);
        let mut sql = format!("SELECT {COLUMNS} FROM sessions WHERE {conditions} ORDER BY {}", filter.sort.order_by());
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        if filter.offset > 0 {
            sql.push_str(&format!(" OFFSET {}", filter.offset));
        }
        self.db.query(Stmt::built(sql, args))?.iter().map(read_row).collect()
    }

    /// How many sessions match `filter`, whatever its offset and limit.
    pub fn count(&self, filter: &SessionFilter) -> Result<i64, IndexError> {
        let (conditions, args) = self.conditions(filter);
        let rows = self.db.query(Stmt::built(format!("SELECT count(*) FROM sessions WHERE {conditions}"), args))?;
        first(&rows)?.int(0)
    }

    /// The WHERE clause of `filter` and its arguments.
    fn conditions(&self, filter: &SessionFilter) -> (String, Vec<Value>) {
        let mut sql = "1 = 1".to_owned();
        let mut args: Vec<Value> = Vec::new();
        let mut equal = |column: &str, value: String, sql: &mut String| {
            args.push(value.into());
            sql.push_str(&format!(" AND {column} = ?{}", args.len()));
        };
        if let Some(app) = &filter.app {
            equal("app", app.clone(), &mut sql);
        }
        if let Some(platform) = filter.platform {
            equal("platform", platform_name(platform).to_owned(), &mut sql);
        }
        let exact = [
            ("os_version", &filter.os_version),
            ("device_model", &filter.device_model),
            ("app_version", &filter.app_version),
            ("user_id", &filter.user_id),
        ];
        for (column, value) in exact {
            if let Some(value) = value {
                equal(column, value.clone(), &mut sql);
            }
        }
        if let Some(part) = &filter.user_search {
            // Folded by the engine on both sides: SQLite's lower() folds ASCII only, and Rust's
            // would fold more, so "Élodie" would never match itself.
            args.push(part.clone().into());
            let needle = format!("lower(?{})", args.len());
            sql.push_str(&format!(" AND {}", self.db.dialect().contains("lower(user_id)", &needle)));
        }
        if let Some(kind) = &filter.finding {
            args.push(kind.clone().into());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM findings f WHERE f.session_id = sessions.session_id AND f.kind = ?{})",
                args.len()
            ));
        }
        self.device_conditions(filter, &mut sql, &mut args);
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
        (sql, args)
    }

    /// The conditions of the device, screen and note filters.
    fn device_conditions(&self, filter: &SessionFilter, sql: &mut String, args: &mut Vec<Value>) {
        if let Some(class) = filter.size_class {
            let (min, max) = class.widths();
            sql.push_str(&format!(" AND width_dp >= {min} AND width_dp < {max}"));
        }
        if let Some(density) = filter.density_milli {
            sql.push_str(&format!(" AND density_milli = {density}"));
        }
        for (column, value) in [("orientation", &filter.orientation), ("locale", &filter.locale)] {
            if let Some(value) = value {
                args.push(value.clone().into());
                sql.push_str(&format!(" AND {column} = ?{}", args.len()));
            }
        }
        if let Some(screen) = &filter.screen {
            args.push(screen.clone().into());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM session_screens s WHERE s.session_id = sessions.session_id AND s.screen = ?{})",
                args.len()
            ));
        }
        if filter.has_notes {
            sql.push_str(" AND EXISTS (SELECT 1 FROM notes n WHERE n.session_id = sessions.session_id)");
        }
        if filter.bookmarked {
            sql.push_str(" AND EXISTS (SELECT 1 FROM notes n WHERE n.session_id = sessions.session_id AND n.at_ms IS NOT NULL)");
        }
    }

    /// One session's row.
    pub fn session(&self, id: SessionId) -> Result<Option<SessionRow>, IndexError> {
        static ONE: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| format!("SELECT {COLUMNS} FROM sessions WHERE session_id = ?1"));
        let rows = self.db.query(Stmt::new(ONE.as_str(), vec![id.to_string().into()]))?;
        rows.first().map(read_row).transpose()
    }

    /// The values the session list can be filtered by.
    pub fn facets(&self) -> Result<Facets, IndexError> {
        let distinct = |column: &str| -> Result<Vec<String>, IndexError> {
            let sql = format!("SELECT DISTINCT {column} FROM sessions ORDER BY {column} LIMIT {MAX_FACET_VALUES}");
            self.db.query(Stmt::built(sql, Vec::new()))?.iter().map(|row| row.text(0)).collect()
        };
        Ok(Facets {
            platform: distinct("platform")?,
            os_version: distinct("os_version")?,
            device_model: distinct("device_model")?,
            app_version: distinct("app_version")?,
            density: self
                .db
                .query(Stmt::built(
                    format!("SELECT DISTINCT density_milli FROM sessions WHERE density_milli > 0 ORDER BY density_milli LIMIT {MAX_FACET_VALUES}"),
                    Vec::new(),
                ))?
                .iter()
                .map(|row| Ok(super::device::density_text(row.int(0)?)))
                .collect::<Result<_, IndexError>>()?,
            locale: distinct("locale")?.into_iter().filter(|l| !l.is_empty()).collect(),
            screen: self
                .db
                .query(Stmt::built(format!("SELECT DISTINCT screen FROM session_screens ORDER BY screen LIMIT {MAX_FACET_VALUES}"), Vec::new()))?
                .iter()
                .map(|row| row.text(0))
                .collect::<Result<_, IndexError>>()?,
        })
    }

    /// The sequences of a session's segments that were indexed, in order.
    pub fn indexed_segments(&self, id: SessionId) -> Result<Vec<u32>, IndexError> {
        let rows = self.db.query(Stmt::new(INDEXED_SEGMENTS, vec![id.to_string().into()]))?;
        rows.iter().map(|row| sequence(row.int(0)?)).collect()
    }

    /// The findings of a session, in time order.
    pub fn findings(&self, id: SessionId) -> Result<Vec<FindingRow>, IndexError> {
        let rows = self.db.query(Stmt::new(FINDINGS, vec![id.to_string().into()]))?;
        rows.iter()
            .map(|row| {
                Ok(FindingRow {
                    kind: row.text(0)?,
                    time_ms: row.int(1)?,
                    node_id: u32::try_from(row.int(2)?).map_err(|_| IndexError::Column { index: 2, expected: "a node id" })?,
                    rect: Rect::new(row.int(3)?, row.int(4)?, row.int(5)?, row.int(6)?),
                    detail: row.text(7)?,
                    last_ms: row.int(8)?,
                    screen: row.text(9)?,
                    view_key: row.text(10)?,
                })
            })
            .collect()
    }

    /// How many segments the index has counted, over all sessions.
    pub fn segment_count(&self) -> Result<u64, IndexError> {
        let rows = self.db.query(Stmt::new(SEGMENT_COUNT, Vec::new()))?;
        Ok(u64::try_from(first(&rows)?.int(0)?).unwrap_or(0))
    }
}

fn first(rows: &[Row]) -> Result<&Row, IndexError> {
    rows.first().ok_or(IndexError::Column { index: 0, expected: "a row" })
}

fn sequence(value: i64) -> Result<u32, IndexError> {
    u32::try_from(value).map_err(|_| IndexError::Column { index: 0, expected: "a sequence number" })
}

fn read_row(row: &Row) -> Result<SessionRow, IndexError> {
    Ok(SessionRow {
        session_id: row.text(0)?,
        app: row.text(1)?,
        app_id: row.text(2)?,
        platform: row.text(3)?,
        os_name: row.text(4)?,
        os_version: row.text(5)?,
        device_manufacturer: row.text(6)?,
        device_model: row.text(7)?,
        app_version: row.text(8)?,
        app_build: row.text(9)?,
        sdk_version: row.text(10)?,
        user_id: row.opt_text(11)?,
        started_ms: row.int(12)?,
        start_ms: row.int(13)?,
        end_ms: row.int(14)?,
        segments: row.int(15)?,
        records: row.int(16)?,
        bytes: row.int(17)?,
        raw_bytes: row.int(18)?,
        rage_taps: row.int(19)?,
        dead_taps: row.int(20)?,
        layout_issues: row.int(21)?,
        width_dp: row.int(22)?,
        height_dp: row.int(23)?,
        density_milli: row.int(24)?,
        orientation: row.text(25)?,
        locale: row.text(26)?,
        notes: row.int(27)?,
    })
}
