//! The PostgreSQL index's tables, as numbered migrations in `server/migrations/postgres/` (the
//! same tables and steps as SQLite's, in PostgreSQL's types). They run in one transaction under
//! an advisory lock, so that collectors starting together migrate once; the table
//! `reprise_schema` says how many have run.

use postgres::Client;

/// The migrations, in order; the index's version is how many have run.
pub const MIGRATIONS: [&str; 8] = [
    include_str!("../../../migrations/postgres/0001_sessions.sql"),
    include_str!("../../../migrations/postgres/0002_findings.sql"),
    include_str!("../../../migrations/postgres/0003_owners.sql"),
    include_str!("../../../migrations/postgres/0004_finding_ranges.sql"),
    include_str!("../../../migrations/postgres/0005_devices_and_notes.sql"),
    include_str!("../../../migrations/postgres/0006_erasure.sql"),
    include_str!("../../../migrations/postgres/0007_watchers.sql"),
    include_str!("../../../migrations/postgres/0008_analysis_queue.sql"),
];

/// The advisory lock key of the migrations ("reprise" in ASCII).
const LOCK_KEY: i64 = 0x0072_6570_7269_7365;

/// Runs the migrations the database has not run yet.
pub fn migrate(client: &mut Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS reprise_schema (version BIGINT PRIMARY KEY)")?;
    let done: i64 = tx.query_one("SELECT coalesce(max(version), 0) FROM reprise_schema", &[])?.get(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(done).unwrap_or(0)) {
        tx.batch_execute(sql)?;
        tx.execute("INSERT INTO reprise_schema (version) VALUES ($1)", &[&(i as i64 + 1)])?;
    }
    tx.commit()
}

/// How many migrations have run.
pub fn version(client: &mut Client) -> Result<i64, postgres::Error> {
    Ok(client.query_one("SELECT coalesce(max(version), 0) FROM reprise_schema", &[])?.get(0))
}
