//! The collector's typed errors, and how an ingest error becomes an HTTP answer: a status and a
//! JSON body `{"error": "<short code>", "reason": "<human sentence>"}`.

use std::path::PathBuf;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use reprise_core::DecodeError;
use serde::Serialize;
use thiserror::Error;

/// A configuration that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// No API key at all: the collector never runs an open ingest.
    #[error(
        "no API key configured: pass --api-key APP=KEY or put a [keys] table in --config; \
         the collector never accepts uploads without a key"
    )]
    NoKeys,
    /// An `--api-key` value without `APP=KEY`.
    #[error("--api-key expects APP=KEY, got {0:?}")]
    KeyFlag(String),
    /// An app name with characters other than letters, digits, `-`, `_` and `.`.
    #[error("app name {0:?} must be non-empty and use only letters, digits, '-', '_' and '.'")]
    AppName(String),
    /// A key that is empty or has spaces or control characters.
    #[error("the key of app {app:?} must be non-empty printable ASCII without spaces")]
    KeyFormat {
        /// The app.
        app: String,
    },
    /// One key configured for two apps.
    #[error("apps {first:?} and {second:?} have the same key; each key must identify one app")]
    SharedKey {
        /// The first app.
        first: String,
        /// The second app.
        second: String,
    },
    /// A limit out of range.
    #[error("{name} must be at least {min}, got {value}")]
    Limit {
        /// The flag or setting.
        name: &'static str,
        /// What was given.
        value: usize,
        /// The smallest accepted.
        min: usize,
    },
    /// The configuration file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The token file in the data folder could not be read.
    #[error("cannot read the access token kept in {path}: {source}")]
    TokenFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A key shorter than allowed: keys ship inside apps, so a short one is guessed.
    #[error("the key of app {app:?} has {len} characters; a key needs at least {min} (for example 32 random hex digits)")]
    KeyTooShort {
        /// The app.
        app: String,
        /// Its length.
        len: usize,
        /// The shortest accepted.
        min: usize,
    },
    /// The same app and key given twice.
    #[error("the key of app {app:?} is given twice; give each key once")]
    DuplicateKey {
        /// The app.
        app: String,
    },
    /// An address that cannot be listened on.
    #[error(transparent)]
    Listen(#[from] crate::listen::ListenError),
    /// The configuration file is not valid.
    #[error("invalid config file {path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// A player access token shorter than allowed.
    #[error("the access token has {len} characters; it needs at least {min}")]
    TokenTooShort {
        /// Its length.
        len: usize,
        /// The shortest accepted.
        min: usize,
    },
    /// A player access token with spaces or control characters.
    #[error("the access token must be printable ASCII without spaces")]
    TokenFormat,
    /// An admin token equal to the player's access token.
    #[error("the admin token is the player's access token; the admin endpoints need a token of their own")]
    AdminTokenIsAccessToken,
    /// A player access token equal to an ingest key.
    #[error("the access token is the API key of app {app:?}; the player's token must differ from every ingest key")]
    TokenIsApiKey {
        /// The app whose key it is.
        app: String,
    },
    /// No random token could be generated.
    #[error("cannot generate an access token: {0}")]
    Random(String),
    /// An `--index` that names no usable database.
    #[error("invalid --index {url}: {reason}")]
    IndexUrl {
        /// The URL, password hidden.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A `--store` that names no usable bucket.
    #[error("invalid --store {url}: {reason}")]
    StoreUrl {
        /// The URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// Configuration text that is not valid TOML for this schema.
    #[error("invalid configuration: {0}")]
    Toml(String),
}

/// The segment store failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A file operation failed.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done.
        op: &'static str,
        /// On what.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The object store failed.
    #[error("S3 {op} {key}: {source}")]
    S3 {
        /// What was being done.
        op: &'static str,
        /// On which key (or the bucket).
        key: String,
        /// Why.
        source: S3Error,
    },
}

/// A request to an S3-compatible store failed.
#[derive(Debug, Error)]
pub enum S3Error {
    /// No answer: the connection failed or the request timed out.
    #[error("request failed: {0}")]
    Http(#[source] reqwest::Error),
    /// An answer that is not the expected one.
    #[error("answered HTTP {status} {code}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The S3 error code of the body (`NoSuchBucket`, `AccessDenied`...), if any.
        code: String,
    },
    /// Every try failed with an error worth retrying.
    #[error("gave up after {attempts} tries: {last}")]
    Exhausted {
        /// How many tries were made.
        attempts: u32,
        /// The last try's error.
        last: Box<S3Error>,
    },
    /// A listing that does not parse.
    #[error("unreadable listing: {0}")]
    Listing(String),
    /// The store's HTTP client could not start.
    #[error("cannot start the HTTP client: {0}")]
    Client(String),
    /// The store is closed (the collector is stopping).
    #[error("the store is closed")]
    Closed,
}

/// The session index failed.
#[derive(Debug, Error)]
pub enum IndexError {
    /// SQLite reported an error.
    #[error("session index: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The index could not be opened.
    #[error("cannot open session index {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A thread holding the index panicked; the connection is not trusted any more.
    #[error("session index lock poisoned")]
    Poisoned,
    /// PostgreSQL reported an error.
    #[error("session index: {0}")]
    Postgres(#[from] postgres::Error),
    /// The PostgreSQL server could not be reached.
    #[error("cannot connect to the PostgreSQL session index: {0}")]
    Connect(#[source] postgres::Error),
    /// The PostgreSQL server did not complete the connection in time.
    #[error("cannot connect to the PostgreSQL session index: no answer within {0:?}")]
    ConnectTimeout(std::time::Duration),
    /// A PostgreSQL URL that does not parse.
    #[error("invalid PostgreSQL URL: {0}")]
    Url(#[source] postgres::Error),
    /// A connection thread could not be started.
    #[error("cannot start a session index connection thread: {0}")]
    Thread(#[source] std::io::Error),
    /// The index's connections are closed (the collector is stopping).
    #[error("the session index is closed")]
    Closed,
    /// A column that does not hold what the index wrote there.
    #[error("session index: column {index} is not {expected}")]
    Column {
        /// Its position in the row.
        index: usize,
        /// What was expected.
        expected: &'static str,
    },
}

/// A stored session could not be read for replay.
#[derive(Debug, Error)]
pub enum ReplayLoadError {
    /// No segment of the session is stored.
    #[error("no stored session {0}")]
    NotFound(reprise_core::SessionId),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The server could not start.
#[derive(Debug, Error)]
pub enum StartError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The segment store could not be opened.
    #[error("cannot open segment store: {0}")]
    Store(#[from] StoreError),
    /// The session index could not be opened.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Why an upload (or any request) was refused. Each maps to one HTTP status and short code.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The server is shutting down (503, retry later).
    #[error("the collector is shutting down; retry later")]
    ShuttingDown,
    /// No `Authorization: Bearer` header (401).
    #[error("missing API key: send Authorization: Bearer <api key>")]
    MissingKey,
    /// A key that no app has (401).
    #[error("unknown API key")]
    UnknownKey,
    /// Too many upload bodies are being received (503, retry after a second).
    #[error("the collector is receiving as many uploads as it takes at once; retry shortly")]
    Busy,
    /// The session was created by another app's key (403); nothing is stored.
    #[error("this session belongs to another app; a session is written only with the key that created it")]
    ForeignSession,
    /// The session was erased (retention or a request); its segments are not taken (410).
    #[error("this session was erased; its segments are no longer accepted")]
    SessionErased,
    /// A sequence number far past what the session holds (422).
    #[error("sequence {sequence} is too far past the session's segments: at most {allowed} is accepted now")]
    SequenceTooFar {
        /// The sequence sent.
        sequence: u32,
        /// The highest accepted.
        allowed: u32,
    },
    /// Times that do not hold together (422).
    #[error("invalid segment times: {0}")]
    TimeRange(String),
    /// A body with a `Content-Encoding` (415): segments are compressed already.
    #[error("Content-Encoding {0:?} is not accepted: send the segment's bytes as they are")]
    ContentEncoding(String),
    /// The body is not declared as a segment (415).
    #[error("Content-Type must be application/vnd.reprise.segment, got {0:?}")]
    ContentType(String),
    /// A required header is missing (400).
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    /// A header is malformed (400).
    #[error("bad header {name}: {reason}")]
    BadHeader {
        /// The header.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A header disagrees with the segment it comes with (400).
    #[error("header {name} says {header} but the segment says {segment}")]
    Mismatch {
        /// The header.
        name: &'static str,
        /// The header's value.
        header: String,
        /// The segment's value.
        segment: String,
    },
    /// The headers are larger than allowed (431).
    #[error("request headers of {size} bytes exceed the limit of {limit} bytes")]
    HeadersTooLarge {
        /// Their size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The body is over the compressed-size limit (413).
    #[error("request body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body could not be read (400): the client broke the framing or went away.
    #[error("could not read the request body: {0}")]
    BodyRead(String),
    /// The body did not arrive in time (408).
    #[error("the request body did not arrive within {0} s")]
    BodyTimeout(u64),
    /// The bytes are not a segment this collector can read (422).
    #[error("{0}")]
    Undecodable(#[from] DecodeError),
    /// The segment decodes but breaks a rule of the format (422).
    #[error("invalid segment: {0}")]
    Invalid(&'static str),
    /// Storing or indexing failed (500): the SDK keeps the segment and retries.
    #[error("could not store the segment; retry later")]
    Storage(String),
    /// No such route (404).
    #[error("no such endpoint")]
    NotFound,
    /// The route exists with another method (405).
    #[error("method not allowed on this endpoint")]
    MethodNotAllowed,
}

impl IngestError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            IngestError::ShuttingDown | IngestError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            IngestError::ForeignSession => StatusCode::FORBIDDEN,
            IngestError::SessionErased => StatusCode::GONE,
            IngestError::SequenceTooFar { .. } | IngestError::TimeRange(_) => StatusCode::UNPROCESSABLE_ENTITY,
            IngestError::ContentEncoding(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            IngestError::MissingKey | IngestError::UnknownKey => StatusCode::UNAUTHORIZED,
            IngestError::ContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            IngestError::MissingHeader(_)
            | IngestError::BadHeader { .. }
            | IngestError::Mismatch { .. }
            | IngestError::BodyRead(_) => StatusCode::BAD_REQUEST,
            IngestError::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            IngestError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            IngestError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            IngestError::Undecodable(_) | IngestError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            IngestError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
            IngestError::NotFound => StatusCode::NOT_FOUND,
            IngestError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The short machine-readable code of the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::ShuttingDown => "shutting_down",
            IngestError::Busy => "busy",
            IngestError::ForeignSession => "foreign_session",
            IngestError::SessionErased => "session_erased",
            IngestError::SequenceTooFar { .. } => "sequence_too_far",
            IngestError::TimeRange(_) => "invalid_times",
            IngestError::ContentEncoding(_) => "unsupported_encoding",
            IngestError::MissingKey => "missing_api_key",
            IngestError::UnknownKey => "unknown_api_key",
            IngestError::ContentType(_) => "unsupported_media_type",
            IngestError::MissingHeader(_) => "missing_header",
            IngestError::BadHeader { .. } => "bad_header",
            IngestError::Mismatch { .. } => "header_mismatch",
            IngestError::HeadersTooLarge { .. } => "headers_too_large",
            IngestError::BodyTooLarge { .. } => "body_too_large",
            IngestError::BodyRead(_) => "bad_body",
            IngestError::BodyTimeout(_) => "body_timeout",
            IngestError::Undecodable(_) => "undecodable",
            IngestError::Invalid(_) => "invalid_segment",
            IngestError::Storage(_) => "storage_failed",
            IngestError::NotFound => "not_found",
            IngestError::MethodNotAllowed => "method_not_allowed",
        }
    }
}

/// Why a replay API request was refused. Each maps to one HTTP status and short code, with the
/// same JSON body as ingest's errors.
#[derive(Debug, Error)]
pub enum ApiError {
    /// No `Authorization: Bearer` header (401).
    #[error("missing access token: send Authorization: Bearer <access token>")]
    MissingToken,
    /// A token that is not the player's access token (401); ingest keys get this too.
    #[error("wrong access token")]
    BadToken,
    /// A query parameter that is unknown, repeated or malformed (400).
    #[error("bad parameter {name}: {reason}")]
    BadParameter {
        /// The parameter.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// No such session in the index (404).
    #[error("no session {0}")]
    UnknownSession(String),
    /// No such note on the session (404).
    #[error("no note {0} on this session")]
    UnknownNote(String),
    /// A request body that is not the JSON the endpoint takes, or breaks its rules (400).
    #[error("bad request body: {0}")]
    BadBody(String),
    /// The session holds as many notes as it may (409).
    #[error("the session has {0} notes already, the most it may hold; delete one first")]
    TooManyNotes(usize),
    /// The index failed (500).
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The stored segments could not be read (500, or 404 when none is stored).
    #[error(transparent)]
    Load(#[from] ReplayLoadError),
    /// A worker task failed (500).
    #[error("internal error: {0}")]
    Internal(String),
    /// The admin endpoints are closed: no admin token is configured (403).
    #[error("the admin endpoints are closed: start the collector with --admin-token (or REPRISE_ADMIN_TOKEN)")]
    AdminClosed,
    /// An erasure stopped before its end (500); running it again finishes it.
    #[error(transparent)]
    Erasure(#[from] ErasureError),
}

impl ApiError {
    /// A [`ApiError::BadParameter`].
    pub fn bad(name: &str, reason: impl Into<String>) -> Self {
        ApiError::BadParameter { name: name.to_owned(), reason: reason.into() }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MissingToken | ApiError::BadToken => StatusCode::UNAUTHORIZED,
            ApiError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::UnknownSession(_) | ApiError::UnknownNote(_) | ApiError::Load(ReplayLoadError::NotFound(_)) => StatusCode::NOT_FOUND,
            ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::TooManyNotes(_) => StatusCode::CONFLICT,
            ApiError::AdminClosed => StatusCode::FORBIDDEN,
            ApiError::Index(_) | ApiError::Load(_) | ApiError::Internal(_) | ApiError::Erasure(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The short machine-readable code of the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MissingToken => "missing_access_token",
            ApiError::BadToken => "bad_access_token",
            ApiError::BadParameter { .. } => "bad_parameter",
            ApiError::UnknownSession(_) | ApiError::Load(ReplayLoadError::NotFound(_)) => "unknown_session",
            ApiError::AdminClosed => "admin_closed",
            ApiError::UnknownNote(_) => "unknown_note",
            ApiError::BadBody(_) => "bad_body",
            ApiError::TooManyNotes(_) => "too_many_notes",
            ApiError::Index(_) | ApiError::Load(_) | ApiError::Internal(_) | ApiError::Erasure(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let reason = if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The client gets a generic sentence; the operator gets the detail.
            eprintln!("reprise: replay API failure: {self}");
            "the collector could not answer; see its log".to_owned()
        } else {
            self.to_string()
        };
        let mut response = (status, Json(ErrorBody { error: self.code(), reason })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// Short code, stable for clients to match on.
    pub error: &'static str,
    /// A sentence for people.
    pub reason: String,
}

impl IntoResponse for IngestError {
    fn into_response(self) -> Response {
        if let IngestError::Storage(detail) = &self {
            // The client gets a generic sentence; the operator gets the detail.
            eprintln!("reprise: storage failure: {detail}");
        }
        let status = self.status();
        let body = ErrorBody { error: self.code(), reason: self.to_string() };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            let after = if matches!(self, IngestError::Busy) { "1" } else { "5" };
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(after));
        }
        response
    }
}

/// A replay could not be rendered to an image.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The command asks for something that cannot be made (a usage error).
    #[error("{0}")]
    Usage(String),
    /// The store holds no segments at all.
    #[error("no stored segments in {0} yet (is this a collector's data folder or bucket? `reprise sessions --data DIR` lists what one holds)")]
    NoData(String),
    /// No collector data where the command was pointed.
    #[error(transparent)]
    NoCollectorData(#[from] crate::data_dir::NoCollectorData),
    /// The store the command names could not be opened (no data folder there, a bad bucket URL).
    #[error("{0}")]
    Store(String),
    /// The session is not among those stored.
    #[error("no session {session} in {place}: `reprise sessions --data DIR` (or `--index URL`) lists the stored ones")]
    UnknownSession {
        /// The session asked for.
        session: reprise_core::SessionId,
        /// The store looked in (a data folder or a bucket).
        place: String,
    },
    /// The session could not be read (an unknown session, or the store failed).
    #[error(transparent)]
    Load(#[from] ReplayLoadError),
    /// The session has no snapshot that replays, so there is nothing to draw.
    #[error("session {0} has no snapshot to draw")]
    NoSnapshots(reprise_core::SessionId),
    /// The moment asked for is outside the session.
    #[error("{at_s:.3} s is outside the session, which lasts {length_s:.3} s")]
    OutOfRange {
        /// The moment, seconds from the session's first record.
        at_s: f64,
        /// The session's length in seconds.
        length_s: f64,
    },
    /// Nothing was on screen yet at that moment (before the first snapshot).
    #[error("nothing is on screen at {at_s:.3} s: the first snapshot comes at {first_s:.3} s")]
    BeforeFirstSnapshot {
        /// The moment, seconds from the session's first record.
        at_s: f64,
        /// When the first snapshot was taken, seconds from the session's first record.
        first_s: f64,
    },
    /// A scale that gives no pixels or absurdly many.
    #[error("scale must be between {min} and {max}, got {value}")]
    Scale {
        /// What was given.
        value: f32,
        /// The smallest accepted.
        min: f32,
        /// The largest accepted.
        max: f32,
    },
    /// The image could not be encoded.
    #[error("cannot encode the image: {0}")]
    Encode(String),
    /// The output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Why an erasure stopped; what was done stays done, and running it again finishes it.
#[derive(Debug, Error)]
pub enum ErasureError {
    /// The store failed.
    #[error("the segment store failed: {0}")]
    Store(#[from] StoreError),
    /// The index failed.
    #[error("the session index failed: {0}")]
    Index(#[from] IndexError),
}
