//! The SQLite index's tables, as numbered migrations in `server/migrations/sqlite/`: each runs
//! once, in order, in its own transaction, and `PRAGMA user_version` says how many have run. An
//! index written by an earlier release is brought up to date when it is opened.

use rusqlite::Connection;

/// The migrations, in order; the index's version is how many have run.
pub const MIGRATIONS: [&str; 8] = [
    include_str!("../../../migrations/sqlite/0001_sessions.sql"),
    include_str!("../../../migrations/sqlite/0002_findings.sql"),
    include_str!("../../../migrations/sqlite/0003_owners.sql"),
    include_str!("../../../migrations/sqlite/0004_finding_ranges.sql"),
    include_str!("../../../migrations/sqlite/0005_devices_and_notes.sql"),
    include_str!("../../../migrations/sqlite/0006_erasure.sql"),
    include_str!("../../../migrations/sqlite/0007_watchers.sql"),
    include_str!("../../../migrations/sqlite/0008_analysis_queue.sql"),
];

/// Runs the migrations `conn` has not run yet.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let done = usize::try_from(version).unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
