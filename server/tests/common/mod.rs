//! Helpers shared by the collector's integration tests and benchmarks: a collector on loopback,
//! uploads over real HTTP, raw TCP for what an HTTP client will not send, and a snapshot of what
//! the collector holds (stored segments and index rows). The API keys and the real segments
//! recorded through the core's `SessionWriter` from real RICO screens are the test kit's
//! (`reprise_fixtures::kit::{collector, session}`), re-exported here for the suites.
//!
//! The backend comes from `REPRISE_TEST_BACKEND`: unset (or `files`) is the embedded default,
//! files and SQLite in the test's data directory; `scale` is an S3 bucket and a PostgreSQL
//! server (`REPRISE_TEST_S3`, `REPRISE_TEST_POSTGRES`), `postgres` files and PostgreSQL, as
//! `scripts/scale-backends.sh` starts them. Each data directory gets a database and a key prefix
//! of its own, the same ones each time it is named, so the same test source runs on each.

#![allow(dead_code, unused_imports)] // Each test binary uses its own subset.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reprise_core::segment::{CRC_LEN, HEADER_LEN, SegmentHeader, decompress_body};
use reprise_core::{DecodeLimits, SessionId};
use reprise_server::index::postgres::{TEST_SERVER_ENV, create_test_database};
use reprise_server::store::s3::config::TEST_BUCKET_ENV;
use reprise_server::store::{S3Config, S3Store, SegmentStore, StoreLocation, segment_key};
use reprise_server::{DirStore, IndexLocation, RunningServer, SEGMENT_CONTENT_TYPE, ServerConfig, SessionFilter, SessionRow};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub use reprise_fixtures::kit::collector::{APP, KEY, OTHER_APP, OTHER_KEY, keys};
pub use reprise_fixtures::kit::session::{
    RecordedSession, SCREEN_MS, T0, drag, metadata, record_screens, record_session, record_session_with, tap,
};
pub use reprise_fixtures::kit::screens::rico_screens;

/// The environment variable choosing the backend the tests run on.
pub const BACKEND_ENV: &str = "REPRISE_TEST_BACKEND";

/// Where the collectors of these tests keep segments and their index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Files and SQLite in the data directory (the embedded default).
    Files,
    /// Files, and PostgreSQL for the index.
    Postgres,
    /// An S3 bucket (SeaweedFS) and PostgreSQL.
    Scale,
}

/// The backend `REPRISE_TEST_BACKEND` names; an unknown name, or a backend whose engines are not
/// named, fails the test.
pub fn backend() -> Backend {
    match std::env::var(BACKEND_ENV).as_deref() {
        Err(_) | Ok("files") => Backend::Files,
        Ok("postgres") => Backend::Postgres,
        Ok("scale") => Backend::Scale,
        Ok(other) => panic!("{BACKEND_ENV}={other:?}: expected files, postgres or scale"),
    }
}

fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{BACKEND_ENV} needs {name}: run scripts/scale-backends.sh"))
}

/// The index and store of the collector over `data`: the same each time `data` is named.
fn locations(data: &Path) -> (IndexLocation, StoreLocation) {
    static MADE: std::sync::Mutex<Vec<(PathBuf, IndexLocation, StoreLocation)>> = std::sync::Mutex::new(Vec::new());
    let backend = backend();
    if backend == Backend::Files {
        return (IndexLocation::Embedded, StoreLocation::Embedded);
    }
    let mut made = MADE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, index, store)) = made.iter().find(|(d, _, _)| d == data) {
        return (index.clone(), store.clone());
    }
    // The database is made on a thread of its own: the driver must not run on an executor's.
    let server = required_env(TEST_SERVER_ENV);
    let url = std::thread::spawn(move || create_test_database(&server)).join().expect("thread").expect("a test database");
    let index = IndexLocation::Postgres(url);
    let store = match backend {
        Backend::Scale => {
            let mut s3 = S3Config::parse_url(&required_env(TEST_BUCKET_ENV)).expect("the test bucket's URL");
            s3.prefix = format!("test-{}/", SessionId::new_v7(T0 + made.len() as i64));
            StoreLocation::S3(Box::new(s3))
        }
        _ => StoreLocation::Embedded,
    };
    made.push((data.to_owned(), index.clone(), store.clone()));
    (index, store)
}

/// A collector configuration on a free loopback port with default limits, on the test backend.
pub fn config(data: &Path) -> ServerConfig {
    let mut config = files_config(data);
    (config.index, config.store) = locations(data);
    config
}

/// [`config`] on files and SQLite in `data` whatever the backend: for the commands that read a
/// data folder (`reprise sessions`, `inspect`, `render`).
pub fn files_config(data: &Path) -> ServerConfig {
    ServerConfig::new("127.0.0.1:0".parse().expect("addr"), data, keys())
}

/// The segment store of the collector over `data`, opened beside it.
pub fn test_store(data: &Path) -> Arc<dyn SegmentStore> {
    match locations(data).1 {
        StoreLocation::Embedded => Arc::new(DirStore::open(data).expect("the data directory's store")),
        StoreLocation::S3(s3) => Arc::new(S3Store::unchecked(&s3).expect("the test bucket")),
    }
}

/// The flags that put a `reprise serve` on the test backend of `data` (none for files).
pub fn serve_backend_args(data: &Path) -> Vec<String> {
    let (index, store) = locations(data);
    let mut args = Vec::new();
    if let IndexLocation::Postgres(url) = index {
        args.extend(["--index".to_owned(), url]);
    }
    if let StoreLocation::S3(s3) = store {
        args.extend(["--store".to_owned(), s3.url()]);
    }
    args
}

/// The session index of the collector over `data`, opened beside it.
pub fn test_index(data: &Path) -> reprise_server::SessionIndex {
    match locations(data).0 {
        IndexLocation::Embedded => reprise_server::SessionIndex::open(data).expect("the data directory's index"),
        IndexLocation::Postgres(url) => reprise_server::SessionIndex::over(
            reprise_server::index::postgres::PostgresDb::connect(&url).expect("the test database"),
        ),
    }
}

/// The bytes stored for a segment of the collector over `data`.
pub fn stored(data: &Path, session: SessionId, sequence: u32) -> Option<Vec<u8>> {
    test_store(data).get(reprise_core::SegmentId { session, sequence }).expect("the store answers")
}

/// Starts a collector on loopback over `data`.
pub async fn start(data: &Path) -> RunningServer {
    RunningServer::start(config(data)).await.expect("collector starts")
}

/// Waits until the collector has analysed every segment it indexed (analysis runs behind the
/// 200), so that findings and counts can be read.
pub async fn settled(server: &RunningServer) {
    server.analysis_settled(Duration::from_secs(30)).await.expect("the analysis queue reads");
}

/// A plain-HTTP client.
pub fn client() -> reqwest::Client {
    // reqwest is built with `rustls-no-provider` (the core brings its own ring provider), so the
    // test client needs a process-wide provider; a second install is a harmless no-op.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client")
}

/// The segment id text of a segment's bytes.
pub fn segment_id(bytes: &[u8]) -> String {
    SegmentHeader::read(bytes).expect("valid header").id().to_string()
}

/// A copy of a segment under another session id and sequence (header fields and CRC rewritten).
pub fn with_id(bytes: &[u8], session: SessionId, sequence: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[8..24].copy_from_slice(&session.0);
    out[24..28].copy_from_slice(&sequence.to_le_bytes());
    fix_crc(&mut out);
    out
}

/// Rewrites the trailing CRC of a segment to match its bytes.
pub fn fix_crc(bytes: &mut [u8]) {
    let split = bytes.len() - CRC_LEN;
    let crc = crc32fast::hash(&bytes[..split]);
    bytes[split..].copy_from_slice(&crc.to_le_bytes());
}

/// The decompressed body of a valid segment.
pub fn raw_body(bytes: &[u8]) -> Vec<u8> {
    let header = SegmentHeader::read(bytes).expect("header");
    decompress_body(&header, bytes, DecodeLimits::default()).expect("body")
}

/// Rebuilds a segment around a new raw body, with consistent lengths and checksum (as the core's
/// format tests do), then lets `edit` change the header before the checksum is computed.
pub fn reframe(original: &[u8], raw: &[u8], edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let body = zstd::bulk::compress(raw, 3).expect("compress");
    let mut out = original[..HEADER_LEN].to_vec();
    out[44..48].copy_from_slice(&(raw.len() as u32).to_le_bytes());
    out[48..52].copy_from_slice(&(body.len() as u32).to_le_bytes());
    edit(&mut out);
    out.extend_from_slice(&body);
    out.extend_from_slice(&[0; CRC_LEN]);
    fix_crc(&mut out);
    out
}

/// An upload: the body and every header, each of which a test may change or drop.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The body.
    pub body: Vec<u8>,
    /// `(name, value)` headers.
    pub headers: Vec<(String, String)>,
}

impl Upload {
    /// A well-formed upload of a valid segment, with the headers the protocol asks for.
    pub fn of(bytes: &[u8]) -> Self {
        let header = SegmentHeader::read(bytes).expect("valid header");
        Self::claiming(bytes, &header.session.to_string(), header.sequence)
    }

    /// An upload whose headers claim `session` and `sequence`, whatever the body is.
    pub fn claiming(body: &[u8], session: &str, sequence: u32) -> Self {
        let headers = vec![
            ("authorization".into(), format!("Bearer {KEY}")),
            ("content-type".into(), SEGMENT_CONTENT_TYPE.into()),
            ("idempotency-key".into(), format!("{session}-{sequence:08}")),
            ("x-reprise-session".into(), session.to_owned()),
            ("x-reprise-sequence".into(), sequence.to_string()),
            ("x-reprise-sdk".into(), "reprise-test/0.1.0".into()),
        ];
        Self { body: body.to_vec(), headers }
    }

    /// Sets (or adds) a header.
    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Drops a header.
    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    /// Posts it to `/v1/segments`.
    pub async fn send(&self, client: &reqwest::Client, addr: SocketAddr) -> Reply {
        let mut request = client.post(format!("http://{addr}/v1/segments")).body(self.body.clone());
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send().await.expect("the collector answers");
        Reply::read(response).await
    }
}

/// A collector's answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content-Type.
    pub content_type: String,
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub json: serde_json::Value,
}

impl Reply {
    async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await.expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        Self { status, content_type, json }
    }

    /// The `error` code of an error body.
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("<no error code>")
    }

    /// The `reason` of an error body.
    pub fn reason(&self) -> &str {
        self.json["reason"].as_str().unwrap_or("<no reason>")
    }

    /// Panics unless this is a JSON error with `status` and `code` and a non-empty reason.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.error()), (status, code), "reply: {self:?}");
        assert!(self.content_type.starts_with("application/json"), "reply: {self:?}");
        assert!(self.reason().len() > 5, "reply: {self:?}");
    }
}

/// `GET /healthz`'s status.
pub async fn health(client: &reqwest::Client, addr: SocketAddr) -> u16 {
    client.get(format!("http://{addr}/healthz")).send().await.expect("answers").status().as_u16()
}

/// What a collector holds: every stored segment with its size, the index rows and the number
/// of segments the index counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holdings {
    /// (path relative to the data dir, or key relative to the bucket's prefix, size).
    pub files: Vec<(PathBuf, u64)>,
    /// Every session row.
    pub sessions: Vec<SessionRow>,
    /// Segments counted by the index.
    pub indexed: u64,
}

/// What the collector over `data` holds now.
pub fn holdings(data: &Path, server: &RunningServer) -> Holdings {
    let files = stored_objects(data);
    let sessions = server.index().sessions(&SessionFilter::default()).expect("sessions");
    let indexed = server.index().segment_count().expect("count");
    Holdings { files, sessions, indexed }
}

/// Everything the store of the collector over `data` holds, with its size, sorted: the files
/// under `segments/` or the objects under the test's key prefix.
pub fn stored_objects(data: &Path) -> Vec<(PathBuf, u64)> {
    match locations(data).1 {
        StoreLocation::Embedded => stored_files(data),
        StoreLocation::S3(s3) => {
            let objects = S3Store::unchecked(&s3).expect("the test bucket").objects().expect("the bucket lists");
            objects.into_iter().map(|(key, size)| (PathBuf::from(key), size)).collect()
        }
    }
}

/// Every file under `data/segments`, with its size, sorted.
fn stored_files(data: &Path) -> Vec<(PathBuf, u64)> {
    let mut files = Vec::new();
    let mut stack = vec![data.join("segments")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                let path = entry.path().strip_prefix(data).expect("inside data").to_owned();
                files.push((path, meta.len()));
            }
        }
    }
    files.sort();
    files
}

/// The stored file of a segment (files backend), as the store lays it out.
pub fn segment_path(data: &Path, session: SessionId, sequence: u32) -> PathBuf {
    data.join(segment_key(reprise_core::SegmentId { session, sequence }))
}

/// Sends raw bytes on a new connection, optionally keeps writing `trailer` (ignoring write errors,
/// as a client that streams while the server has already answered), and returns the status code
/// and body of the answer.
pub async fn raw_exchange(addr: SocketAddr, head: &[u8], trailer: Vec<Vec<u8>>) -> (u16, String) {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut read, mut write) = stream.into_split();
    write.write_all(head).await.expect("write head");
    let writer = tokio::spawn(async move {
        for chunk in trailer {
            if write.write_all(&chunk).await.is_err() {
                break;
            }
        }
        write
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    let read_all = async {
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if complete_response(&answer) {
                        break;
                    }
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read_all).await.expect("an answer within 20 s");
    let _ = writer.await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// Whether `bytes` hold a whole HTTP response with a Content-Length body.
fn complete_response(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
        .unwrap_or(0);
    body.len() >= length
}

/// The request head of an upload as raw HTTP/1.1, with `extra` header lines.
pub fn raw_head(session: &str, sequence: u32, extra: &str) -> Vec<u8> {
    format!(
        "POST /v1/segments HTTP/1.1\r\nHost: collector\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: {SEGMENT_CONTENT_TYPE}\r\nIdempotency-Key: {session}-{sequence:08}\r\n\
         X-Reprise-Session: {session}\r\nX-Reprise-Sequence: {sequence}\r\n{extra}\r\n"
    )
    .into_bytes()
}

/// Spawns a `reprise serve` command (stdout piped) and reads its first line; the child, the
/// address that line names, and the line.
pub fn spawn_serve(mut command: std::process::Command) -> (std::process::Child, SocketAddr, String) {
    use std::io::{BufRead, BufReader};
    let mut child = command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).spawn().expect("starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, addr, line)
}

/// Runs `sql` on the index of the collector over `data` (SQLite file or PostgreSQL, on a thread
/// of its own) with one text parameter, returning the first column of each row as an integer.
pub fn index_sql(data: &Path, sql: String, param: String) -> Vec<i64> {
    let (index, _) = locations(data);
    let data = data.to_owned();
    std::thread::spawn(move || match index {
        IndexLocation::Embedded => {
            let conn = rusqlite::Connection::open(data.join(reprise_server::index::sqlite::FILE_NAME)).expect("the SQLite index");
            let mut stmt = conn.prepare(&sql.replace("$1", "?1")).expect("prepares");
            let rows = stmt.query_map([param], |row| row.get::<_, i64>(0)).expect("runs");
            rows.map(|r| r.expect("row")).collect()
        }
        IndexLocation::Postgres(url) => {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("the test database");
            client.query(&sql, &[&param]).expect("runs").iter().map(|row| row.get::<_, i64>(0)).collect()
        }
    })
    .join()
    .expect("thread")
}

/// The tables of the index over `data` that have a `session_id` column.
pub fn session_tables(data: &Path) -> Vec<String> {
    let (index, _) = locations(data);
    let data = data.to_owned();
    std::thread::spawn(move || match index {
        IndexLocation::Embedded => {
            let conn = rusqlite::Connection::open(data.join(reprise_server::index::sqlite::FILE_NAME)).expect("the SQLite index");
            let mut stmt = conn
                .prepare(
                    "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND c.name = 'session_id' ORDER BY m.name",
                )
                .expect("prepares");
            let rows = stmt.query_map([], |row| row.get::<_, String>(0)).expect("runs");
            rows.map(|r| r.expect("row")).collect()
        }
        IndexLocation::Postgres(url) => {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("the test database");
            let rows = client
                .query(
                    "SELECT table_name::TEXT FROM information_schema.columns \
                     WHERE column_name = 'session_id' AND table_schema = current_schema() ORDER BY table_name",
                    &[],
                )
                .expect("runs");
            rows.iter().map(|row| row.get::<_, String>(0)).collect()
        }
    })
    .join()
    .expect("thread")
}

/// How many rows each table with a `session_id` column holds for `session`, by table name.
pub fn rows_of(data: &Path, session: SessionId) -> Vec<(String, i64)> {
    session_tables(data)
        .into_iter()
        .map(|table| {
            let count = index_sql(data, format!("SELECT count(*) FROM {table} WHERE session_id = $1"), session.to_string());
            (table, count.first().copied().unwrap_or(0))
        })
        .collect()
}

/// Makes the index say that `session`'s latest segment arrived at `received_ms` (to age it
/// past a retention period without waiting a month).
pub fn set_received(data: &Path, session: SessionId, received_ms: i64) {
    let sql = format!("UPDATE sessions SET received_ms = {received_ms} WHERE session_id = $1 RETURNING CAST(1 AS BIGINT)");
    assert_eq!(index_sql(data, sql, session.to_string()), vec![1], "the session has a row to age");
}

/// The stored objects of `session` in the store of the collector over `data`.
pub fn stored_of(data: &Path, session: SessionId) -> Vec<PathBuf> {
    let id = session.to_string();
    stored_objects(data).into_iter().map(|(path, _)| path).filter(|p| p.to_string_lossy().contains(&id)).collect()
}
