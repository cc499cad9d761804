//! The shared engine: a PostgreSQL database that several collectors write at once, through the
//! `postgres` crate. That crate is the synchronous face of `tokio-postgres`, maintained with it:
//! the index's interface blocks (as SQLite's does), so a synchronous driver keeps the two engines
//! the same shape, and it needs no feature beyond its defaults (no TLS: the database is reached
//! on a private network or loopback). [`pool`] runs its connections on threads of their own.

pub mod pool;
pub mod schema;

use std::str::FromStr;
use std::time::Duration;

use postgres::Config;

use super::database::{Database, Dialect, Row, Stmt};
use crate::error::IndexError;
use pool::{Answer, Pool, Work};

/// Connections each collector keeps open (as many as segments it decodes at once by default).
pub const CONNECTIONS: usize = 4;

/// Time allowed to connect when the URL sets no `connect_timeout`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest a statement may run when the URL sets no `options` of its own: a server that hangs
/// cannot hold a pool thread (and the upload waiting on it) forever.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// The environment variable naming a PostgreSQL server for tests (`postgres://user@host:port/db`);
/// each test makes a fresh database on it.
pub const TEST_SERVER_ENV: &str = "REPRISE_TEST_POSTGRES";

/// The PostgreSQL engine of the index.
pub struct PostgresDb {
    pool: Pool,
    description: String,
}

impl PostgresDb {
    /// Connects to the database at `url` and runs the migrations it lacks.
    pub fn connect(url: &str) -> Result<Self, IndexError> {
        let config = parse_url(url)?;
        let description = describe(&config);
        let pool = Pool::start(config, CONNECTIONS)?;
        let db = Self { pool, description };
        db.pool.run(Work::Migrate)?;
        Ok(db)
    }

    /// How many migrations the database has run (the last one's number).
    pub fn schema_version(&self) -> Result<i64, IndexError> {
        let rows = self.query(Stmt::new("SELECT coalesce(max(version), 0) FROM reprise_schema", Vec::new()))?;
        rows.first().ok_or(IndexError::Column { index: 0, expected: "a row" })?.int(0)
    }
}

/// Parses a `postgres://` URL, with [`CONNECT_TIMEOUT`] and [`STATEMENT_TIMEOUT`] unless it sets
/// its own (`connect_timeout`, `options`).
pub fn parse_url(url: &str) -> Result<Config, IndexError> {
    let mut config = Config::from_str(url).map_err(IndexError::Url)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_options().is_none() {
        config.options(&format!("-c statement_timeout={}", STATEMENT_TIMEOUT.as_millis()));
    }
    config.application_name("reprise");
    Ok(config)
}

fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().or(config.get_user()).unwrap_or("postgres");
    format!("PostgreSQL {host}:{port}/{db}")
}

/// Makes a fresh, empty database on the server at `server_url` and returns its URL (the same
/// URL with the database name replaced). For test harnesses, which give each test its own.
pub fn create_test_database(server_url: &str) -> Result<String, IndexError> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let name = format!("reprise_test_{}_{nanos}_{n}", std::process::id());
    let pool = Pool::start(parse_url(server_url)?, 1)?;
    pool.run(Work::Execute(Stmt::built(format!("CREATE DATABASE {name}"), Vec::new())))?;
    Ok(with_database(server_url, &name))
}

/// `url` naming database `name` instead of its own.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let Some((scheme, rest)) = base.split_once("://") else { return url.to_owned() };
    let authority = rest.split('/').next().unwrap_or_default();
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{scheme}://{authority}/{name}{query}")
}

impl Database for PostgresDb {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, stmt: Stmt) -> Result<u64, IndexError> {
        changed(self.pool.run(Work::Execute(stmt))?)
    }

    fn query(&self, stmt: Stmt) -> Result<Vec<Row>, IndexError> {
        match self.pool.run(Work::Query(stmt))? {
            Answer::Rows(rows) => Ok(rows),
            Answer::Changed(_) => Err(IndexError::Column { index: 0, expected: "rows" }),
        }
    }

    fn guarded(&self, guard: Stmt, then: Vec<Stmt>) -> Result<bool, IndexError> {
        Ok(changed(self.pool.run(Work::Guarded(guard, then))?)? > 0)
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

fn changed(answer: Answer) -> Result<u64, IndexError> {
    match answer {
        Answer::Changed(n) => Ok(n),
        Answer::Rows(_) => Err(IndexError::Column { index: 0, expected: "a count" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SessionIndex;
    use reprise_core::SessionId;

    /// The server `scripts/scale-backends.sh` started; these tests are ignored without it and
    /// fail, never skip, when run without it.
    fn server() -> String {
        std::env::var(TEST_SERVER_ENV).unwrap_or_else(|_| panic!("{TEST_SERVER_ENV} is not set: run scripts/scale-backends.sh"))
    }

    fn summary(session: SessionId, sequence: u32) -> crate::index::SegmentSummary {
        crate::index::tests::summary(session, sequence, Some(&format!("user-{sequence}")), "Pixel 8")
    }

    #[test]
    fn urls_are_redacted_and_renamed() {
        assert_eq!(crate::config::redact_password("postgres://u:secret@h:5/db"), "postgres://u:***@h:5/db");
        assert_eq!(crate::config::redact_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(with_database("postgres://u@h:5/postgres?sslmode=disable", "t1"), "postgres://u@h:5/t1?sslmode=disable");
        assert_eq!(pool::placeholders("a = ?1 AND b = ?12"), "a = $1 AND b = $12");
        let config = parse_url("postgres://u@h/db").expect("parses");
        assert_eq!((config.get_connect_timeout(), config.get_options()), (Some(&CONNECT_TIMEOUT), Some("-c statement_timeout=30000")));
        let config = parse_url("postgres://u@h/db?options=-c%20work_mem%3D64MB&connect_timeout=2").expect("parses");
        assert_eq!((config.get_connect_timeout(), config.get_options()), (Some(&Duration::from_secs(2)), Some("-c work_mem=64MB")));
        assert!(matches!(crate::config::IndexLocation::parse("mysql://x"), Err(crate::error::ConfigError::IndexUrl { .. })));
        let bad = crate::config::IndexLocation::parse("postgres://u:pw@h:notaport/db").expect_err("bad port");
        assert!(!bad.to_string().contains("pw"), "{bad}");
        let location = crate::config::IndexLocation::parse("postgres://u:pw@h:5/db").expect("parses");
        assert!(!format!("{location:?}").contains("pw"), "{location:?}");
    }

    #[test]
    #[ignore = "needs PostgreSQL: scripts/scale-backends.sh"]
    fn collectors_starting_together_migrate_once_and_count_each_segment_once() {
        let url = create_test_database(&server()).expect("database");
        // Four collectors open the same database at once, then all index the same 20 segments.
        let indexes: Vec<SessionIndex> = std::thread::scope(|s| {
            let opening: Vec<_> = (0..4).map(|_| s.spawn(|| SessionIndex::over(PostgresDb::connect(&url).expect("connects")))).collect();
            opening.into_iter().map(|t| t.join().expect("thread")).collect()
        });
        let session = SessionId::new_v7(1_700_000_000_000);
        let counted: usize = std::thread::scope(|s| {
            let writers: Vec<_> = indexes
                .iter()
                .map(|index| s.spawn(move || (0..20).filter(|&n| index.record(&summary(session, n)).expect("record")).count()))
                .collect();
            writers.into_iter().map(|t| t.join().expect("thread")).sum()
        });
        assert_eq!(counted, 20, "each segment is counted by exactly one collector");
        let row = indexes[0].session(session).expect("query").expect("row");
        assert_eq!((row.segments, row.records, row.start_ms, row.end_ms), (20, 200, 1000, 2950));
        assert_eq!(row.user_id.as_deref(), Some("user-19"), "the latest segment's user, whatever the order");
        let db = PostgresDb::connect(&url).expect("connects");
        assert_eq!(db.schema_version().expect("version"), schema::MIGRATIONS.len() as i64);
        assert!(db.describe().starts_with("PostgreSQL 127.0.0.1:"), "{}", db.describe());
    }

    #[test]
    #[ignore = "needs PostgreSQL: scripts/scale-backends.sh"]
    fn a_dropped_connection_is_replaced_and_the_call_tried_again() {
        let url = create_test_database(&server()).expect("database");
        let index = SessionIndex::over(PostgresDb::connect(&url).expect("connects"));
        let session = SessionId::new_v7(1_700_000_000_000);
        assert!(index.record(&summary(session, 0)).expect("record"));
        // Another client ends every connection of the collector, as a database restart would.
        let admin = PostgresDb::connect(&url).expect("connects");
        let ended = admin
            .query(Stmt::new(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                Vec::new(),
            ))
            .expect("terminate");
        assert!(ended[0].int(0).expect("count") >= 1, "the collector's connection was ended");
        // Every pool thread that held a connection finds it dropped, connects again and retries.
        for n in 1..=(2 * CONNECTIONS as u32) {
            assert!(index.record(&summary(session, n)).expect("recorded on a new connection"));
        }
        assert_eq!(index.session(session).expect("query").expect("row").segments, 1 + 2 * CONNECTIONS as i64);
    }

    #[test]
    #[ignore = "needs PostgreSQL: scripts/scale-backends.sh"]
    fn a_statement_past_the_statement_timeout_fails_and_the_index_answers_after() {
        let url = create_test_database(&server()).expect("database");
        let db = PostgresDb::connect(&format!("{url}?options=-c%20statement_timeout%3D200")).expect("connects");
        let slow = db.query(Stmt::new("SELECT 1 FROM pg_sleep(5)", Vec::new())).expect_err("cancelled at 200 ms");
        let code = match &slow {
            IndexError::Postgres(e) => e.code().cloned(),
            _ => None,
        };
        assert_eq!(code, Some(postgres::error::SqlState::QUERY_CANCELED), "{slow}");
        let fast = db.query(Stmt::new("SELECT 1 FROM pg_sleep(0.01)", Vec::new())).expect("a quick one runs");
        assert_eq!(fast[0].int(0).expect("int"), 1);
    }

    #[test]
    fn an_unreachable_or_silent_server_fails_within_the_connect_timeout() {
        // A port nothing listens on: refused at once; the connect timeout bounds a silent host.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        let err = PostgresDb::connect(&format!("postgres://reprise@127.0.0.1:{port}/db")).err().expect("no server");
        assert!(matches!(err, IndexError::Connect(_)), "{err}");
        // A server that accepts but never speaks: the connect timeout ends the wait (the
        // watchdog only turns a hang into a failure).
        let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = silent.local_addr().expect("addr").port();
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(PostgresDb::connect(&format!("postgres://reprise@127.0.0.1:{port}/db?connect_timeout=1")).err());
        });
        let err = result.recv_timeout(Duration::from_secs(60)).expect("the connect timeout fired").expect("silent");
        assert!(matches!(err, IndexError::ConnectTimeout(t) if t == Duration::from_secs(1)), "{err}");
        drop(silent);
    }
}
