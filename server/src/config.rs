//! The collector's configuration: where it listens, where it keeps data, the API keys of each app
//! and the size limits, from flags and an optional TOML file.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::str::FromStr;

use serde::Deserialize;

use crate::error::ConfigError;
use crate::retention::Retention;
use crate::store::StoreLocation;
use crate::store::s3::S3Credentials;

/// Default address: loopback only. A real deployment puts a TLS-terminating proxy in front.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default data directory of `reprise serve` (ignored by git in the checkout).
pub const DEFAULT_DATA_DIR: &str = "./reprise-data";
/// Size, count and time limits: what one upload, one connection and one replay may cost. Each
/// default is written once, in [`Limits::default`]; docs/ARCHITECTURE.md ("The collector's memory
/// bound") adds them up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body (the compressed segment), in bytes.
    pub max_body: usize,
    /// Largest decompressed segment body, in bytes; checked before and enforced while decompressing.
    pub max_raw: usize,
    /// Most records one segment may hold.
    pub max_records: u32,
    /// Largest payload of one record, in bytes.
    pub max_record_bytes: usize,
    /// Most memory the decoded records of one segment may hold, counted as they are decoded.
    pub max_decoded: usize,
    /// Largest total size of header names and values, in bytes.
    pub max_header_bytes: usize,
    /// Time allowed to receive the body once the headers are in.
    pub body_timeout: Duration,
    /// Time allowed to receive a request's headers, and to wait idle for the next request on a
    /// kept-alive connection.
    pub header_timeout: Duration,
    /// Connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Upload bodies being received at once; more get 503 with Retry-After.
    pub bodies_in_flight: usize,
    /// Segments decoded, analysed and stored at once; more wait their turn.
    pub concurrent_decodes: usize,
    /// Longest time one segment, touch or gesture may span, and longest session, in ms.
    pub max_session_ms: i64,
    /// How far past the session's highest stored sequence number a new segment may be.
    pub max_sequence_gap: u32,
    /// Longest metadata string kept (device, OS, app, user id), in characters; longer ones are cut
    /// and counted.
    pub max_field_chars: usize,
    /// Most memory one session's decoded replay may hold; segments past it are listed as not loaded.
    pub max_replay_bytes: usize,
    /// Most memory the cache of decoded replays may hold.
    pub replay_cache_bytes: usize,
    /// Sessions decoded for replay at once; more wait their turn.
    pub concurrent_replays: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body: 1024 * 1024,
            max_raw: 4 * 1024 * 1024,
            max_records: 100_000,
            max_record_bytes: 1024 * 1024,
            max_decoded: 16 * 1024 * 1024,
            max_header_bytes: 16 * 1024,
            body_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            max_connections: 16_384,
            bodies_in_flight: 64,
            concurrent_decodes: 4,
            max_session_ms: 4 * 60 * 60 * 1000,
            max_sequence_gap: 10_000,
            max_field_chars: 256,
            max_replay_bytes: 128 * 1024 * 1024,
            replay_cache_bytes: 256 * 1024 * 1024,
            concurrent_replays: 2,
        }
    }
}

impl Limits {
    /// The limits a segment is decoded under.
    pub fn decode(&self) -> reprise_core::DecodeLimits {
        reprise_core::DecodeLimits {
            max_raw_bytes: self.max_raw,
            max_records: self.max_records,
            max_record_bytes: self.max_record_bytes,
            max_decoded_bytes: self.max_decoded,
        }
    }

    /// What decoding, analysing and storing one segment may hold at most: the body, its
    /// decompressed copy, the decoded records and, while analysing, the replayed hierarchy, the
    /// previous one and the layout of one of them (each at most the decoded records' size), plus
    /// the one record decoded past `max_decoded` before it is counted.
    pub fn per_decode_bytes(&self) -> usize {
        self.max_body + self.max_raw + 4 * self.max_decoded + reprise_core::memory::MAX_AMPLIFICATION * self.max_record_bytes
    }

    /// The upper bound on the memory the collector holds for requests, by the formula of
    /// docs/ARCHITECTURE.md: connections, bodies being received, segments being decoded, and
    /// the replays (cached, and being decoded).
    pub fn memory_bound_bytes(&self) -> usize {
        self.max_connections * PER_CONNECTION_BYTES
            + self.bodies_in_flight * self.max_body
            + self.concurrent_decodes * self.per_decode_bytes()
            + self.replay_cache_bytes
            + self.concurrent_replays * self.max_replay_bytes
    }

    /// The largest read buffer of one connection: room for headers of twice the limit (so that
    /// headers a little over it get the JSON 431 from the handler, not hyper's bare one) and the
    /// first body bytes.
    pub fn connection_buffer_bytes(&self) -> usize {
        (2 * self.max_header_bytes + 8192).max(8192)
    }
}

/// What one open connection costs beyond its read buffer: its task, its write buffer and the
/// socket's bookkeeping (measured: docs/ARCHITECTURE.md).
pub const PER_CONNECTION_BYTES: usize = 64 * 1024;

/// Limits given by flag (`reprise serve --max-body ...`) or in the config file's `[limits]` table,
/// each overriding the default; the same names in both (kebab-case flags, snake_case keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct LimitOverrides {
    /// Largest request body (compressed segment) in bytes [default: 1048576].
    #[arg(long, value_name = "BYTES")]
    pub max_body: Option<usize>,
    /// Largest decompressed segment body in bytes [default: 4194304].
    #[arg(long, value_name = "BYTES")]
    pub max_raw: Option<usize>,
    /// Most records per segment [default: 100000].
    #[arg(long, value_name = "N")]
    pub max_records: Option<u32>,
    /// Largest record payload in bytes [default: 1048576].
    #[arg(long, value_name = "BYTES")]
    pub max_record_bytes: Option<usize>,
    /// Most memory the decoded records of one segment may hold, in bytes [default: 16777216].
    #[arg(long, value_name = "BYTES")]
    pub max_decoded: Option<usize>,
    /// Largest total size of request headers in bytes [default: 16384].
    #[arg(long, value_name = "BYTES")]
    pub max_header_bytes: Option<usize>,
    /// Seconds allowed to receive a request body [default: 30].
    #[arg(long, value_name = "SECS")]
    pub body_timeout_secs: Option<u64>,
    /// Seconds allowed to receive request headers, or to sit idle between requests [default: 10].
    #[arg(long, value_name = "SECS")]
    pub header_timeout_secs: Option<u64>,
    /// Connections open at once [default: 16384, lowered to fit the open-file limit].
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,
    /// Upload bodies received at once; more get 503 [default: 64].
    #[arg(long, value_name = "N")]
    pub bodies_in_flight: Option<usize>,
    /// Segments decoded and stored at once; more wait their turn [default: 4].
    #[arg(long, value_name = "N")]
    pub concurrent_decodes: Option<usize>,
    /// Longest session, segment, touch or gesture, in seconds [default: 14400].
    #[arg(long, value_name = "SECS")]
    pub max_session_secs: Option<u64>,
    /// How far past a session's highest stored sequence a new one may be [default: 10000].
    #[arg(long, value_name = "N")]
    pub max_sequence_gap: Option<u32>,
    /// Longest metadata string kept, in characters [default: 256].
    #[arg(long, value_name = "N")]
    pub max_field_chars: Option<usize>,
    /// Most memory one session's replay may hold, in bytes [default: 134217728].
    #[arg(long, value_name = "BYTES")]
    pub max_replay_bytes: Option<usize>,
    /// Most memory the cache of decoded replays may hold, in bytes [default: 268435456].
    #[arg(long, value_name = "BYTES")]
    pub replay_cache_bytes: Option<usize>,
    /// Sessions decoded for replay at once [default: 2].
    #[arg(long, value_name = "N")]
    pub concurrent_replays: Option<usize>,
}

impl LimitOverrides {
    /// `base` with every limit this names replaced.
    pub fn apply(&self, base: Limits) -> Limits {
        let secs = |s: Option<u64>, d: Duration| s.map_or(d, Duration::from_secs);
        Limits {
            max_body: self.max_body.unwrap_or(base.max_body),
            max_raw: self.max_raw.unwrap_or(base.max_raw),
            max_records: self.max_records.unwrap_or(base.max_records),
            max_record_bytes: self.max_record_bytes.unwrap_or(base.max_record_bytes),
            max_decoded: self.max_decoded.unwrap_or(base.max_decoded),
            max_header_bytes: self.max_header_bytes.unwrap_or(base.max_header_bytes),
            body_timeout: secs(self.body_timeout_secs, base.body_timeout),
            header_timeout: secs(self.header_timeout_secs, base.header_timeout),
            max_connections: self.max_connections.unwrap_or(base.max_connections),
            bodies_in_flight: self.bodies_in_flight.unwrap_or(base.bodies_in_flight),
            concurrent_decodes: self.concurrent_decodes.unwrap_or(base.concurrent_decodes),
            max_session_ms: self
                .max_session_secs
                .map_or(base.max_session_ms, |s| i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX)),
            max_sequence_gap: self.max_sequence_gap.unwrap_or(base.max_sequence_gap),
            max_field_chars: self.max_field_chars.unwrap_or(base.max_field_chars),
            max_replay_bytes: self.max_replay_bytes.unwrap_or(base.max_replay_bytes),
            replay_cache_bytes: self.replay_cache_bytes.unwrap_or(base.replay_cache_bytes),
            concurrent_replays: self.concurrent_replays.unwrap_or(base.concurrent_replays),
        }
    }
}

/// The API keys: one or more per app name. Never empty once built.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeys {
    /// (app, key) pairs, sorted by app.
    entries: Vec<(String, String)>,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the keys themselves.
        f.debug_struct("ApiKeys").field("apps", &self.apps().collect::<Vec<_>>()).finish()
    }
}

impl ApiKeys {
    /// The shortest key accepted.
    pub const MIN_KEY_LEN: usize = 16;

    /// Builds the key set from (app, key) pairs, checking that there is at least one, that names
    /// and keys are usable (at least [`ApiKeys::MIN_KEY_LEN`] characters), that no pair is given
    /// twice and that no key belongs to two apps.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let mut entries: Vec<(String, String)> = Vec::new();
        for (app, key) in pairs {
            if app.is_empty() || !app.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
                return Err(ConfigError::AppName(app));
            }
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ConfigError::KeyFormat { app });
            }
            if key.len() < Self::MIN_KEY_LEN {
                return Err(ConfigError::KeyTooShort { app, len: key.len(), min: Self::MIN_KEY_LEN });
            }
            if let Some((other, _)) = entries.iter().find(|(a, k)| k == &key && a != &app) {
                return Err(ConfigError::SharedKey { first: other.clone(), second: app });
            }
            if entries.iter().any(|(a, k)| a == &app && k == &key) {
                return Err(ConfigError::DuplicateKey { app });
            }
            entries.push((app, key));
        }
        if entries.is_empty() {
            return Err(ConfigError::NoKeys);
        }
        entries.sort();
        Ok(Self { entries })
    }

    /// Parses a `--api-key` flag value, `APP=KEY`.
    pub fn parse_flag(value: &str) -> Result<(String, String), ConfigError> {
        match value.split_once('=') {
            Some((app, key)) if !app.is_empty() && !key.is_empty() => Ok((app.to_owned(), key.to_owned())),
            _ => Err(ConfigError::KeyFlag(value.to_owned())),
        }
    }

    /// The app a presented key belongs to. Compares against every key in constant time per key,
    /// so the timing does not reveal how much of a key matched.
    pub fn app_for(&self, presented: &str) -> Option<&str> {
        let mut found = None;
        for (app, key) in &self.entries {
            if constant_time_eq(key.as_bytes(), presented.as_bytes()) {
                found = Some(app.as_str());
            }
        }
        found
    }

    /// The app names, sorted, each once.
    pub fn apps(&self) -> impl Iterator<Item = &str> {
        let mut last: Option<&str> = None;
        self.entries.iter().filter_map(move |(app, _)| {
            let new = last != Some(app.as_str());
            last = Some(app.as_str());
            new.then_some(app.as_str())
        })
    }
}

/// Whether `a` and `b` are equal, in a time that depends on their lengths only.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The player's access token: opens the JSON API (`/v1/sessions...`), never ingest. At least
/// [`AccessToken::MIN_LEN`] printable ASCII characters without spaces.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token itself.
        f.write_str("AccessToken(..)")
    }
}

impl AccessToken {
    /// The shortest token accepted.
    pub const MIN_LEN: usize = 16;

    /// A token given by the operator, checked for length and characters.
    pub fn new(token: impl Into<String>) -> Result<Self, ConfigError> {
        let token = token.into();
        if token.len() < Self::MIN_LEN {
            return Err(ConfigError::TokenTooShort { len: token.len(), min: Self::MIN_LEN });
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ConfigError::TokenFormat);
        }
        Ok(Self(token))
    }

    /// A fresh random token: 32 bytes from the OS, as 64 hex digits.
    pub fn generate() -> Result<Self, ConfigError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| ConfigError::Random(e.to_string()))?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is this token, compared in constant time.
    pub fn matches(&self, presented: &str) -> bool {
        constant_time_eq(self.0.as_bytes(), presented.as_bytes())
    }

    /// Refuses an admin token that is also the access token or an ingest key: each door has its
    /// own key.
    pub fn check_admin(&self, access: &AccessToken, keys: &ApiKeys) -> Result<(), ConfigError> {
        if self.matches(access.as_str()) {
            return Err(ConfigError::AdminTokenIsAccessToken);
        }
        self.check_against(keys)
    }

    /// Refuses a token that is also an ingest key: the two must never open each other's doors.
    pub fn check_against(&self, keys: &ApiKeys) -> Result<(), ConfigError> {
        match keys.app_for(&self.0) {
            Some(app) => Err(ConfigError::TokenIsApiKey { app: app.to_owned() }),
            None => Ok(()),
        }
    }
}

/// Everything the collector needs to run.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// Data directory: `segments/` and `index.sqlite` live here.
    pub data_dir: PathBuf,
    /// Accepted API keys.
    pub keys: ApiKeys,
    /// Upload limits.
    pub limits: Limits,
    /// The player's access token; `None` uses the one kept in the data folder (made at the first start).
    pub access_token: Option<AccessToken>,
    /// Where the session index lives (the embedded SQLite file in the data directory by default).
    pub index: IndexLocation,
    /// Where segments are kept (files in the data directory by default).
    pub store: StoreLocation,
    /// How long sessions are kept (30 days by default).
    pub retention: Retention,
    /// The token of the admin endpoints (`/v1/admin/...`, erasure); `None` leaves them closed.
    pub admin_token: Option<AccessToken>,
}

impl ServerConfig {
    /// A configuration with default limits and the token kept in the data folder.
    pub fn new(listen: SocketAddr, data_dir: impl Into<PathBuf>, keys: ApiKeys) -> Self {
        Self {
            listen,
            data_dir: data_dir.into(),
            keys,
            limits: Limits::default(),
            access_token: None,
            index: IndexLocation::default(),
            store: StoreLocation::default(),
            retention: Retention::default(),
            admin_token: None,
        }
    }
}

/// Where the index lives.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum IndexLocation {
    /// The embedded default: SQLite, `index.sqlite` in the data directory.
    #[default]
    Embedded,
    /// A PostgreSQL database, by its `postgres://user@host:port/db` URL.
    Postgres(String),
}

impl std::fmt::Debug for IndexLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a password.
        match self {
            Self::Embedded => f.write_str("Embedded"),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(&redact_password(url)).finish(),
        }
    }
}

impl IndexLocation {
    /// Parses `--index` (or the config's `index`): a `postgres://` or `postgresql://` URL.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let bad = |reason: String| ConfigError::IndexUrl { url: redact_password(text), reason };
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(bad("expected a postgres://user@host:port/database URL".into()));
        }
        postgres::Config::from_str(text).map_err(|e| bad(e.to_string()))?;
        Ok(Self::Postgres(text.to_owned()))
    }
}

/// A URL with its password, if any, replaced by `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((user_info, _)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{}", &rest[user_info.len() + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The TOML configuration file. Every field is optional; flags override it.
///
/// ```toml
/// listen = "127.0.0.1:8080"
/// data = "./reprise-data"
/// access_token = "at least 16 characters"
/// index = "postgres://reprise@db.internal:5432/reprise"   # default: index.sqlite in `data`
/// store = "s3://segments?endpoint=http://127.0.0.1:8333"   # default: segments/ in `data`
///
/// [s3]                    # credentials of `store`; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY win
/// access_key_id = "..."
/// secret_access_key = "..."
///
/// [keys]
/// myapp = "KEY OF AT LEAST 16 CHARACTERS"
///
/// admin_token = "at least 16 characters, not the access token"   # opens /v1/admin (erasure)
///
/// [retention]             # days sessions are kept, from their latest segment; 0 = for ever
/// days = 30
/// [retention.apps]
/// myapp = 7
///
/// [limits]                # any key of `reprise serve --help`'s limits, in snake_case
/// max_body = 1048576
/// max_raw = 4194304
/// header_timeout_secs = 10
/// max_connections = 16384
/// concurrent_decodes = 4
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Address to listen on, as `reprise serve --listen` takes it.
    pub listen: Option<String>,
    /// Data directory.
    pub data: Option<PathBuf>,
    /// The player's access token.
    pub access_token: Option<String>,
    /// The session index's database URL, as `reprise serve --index` takes it.
    pub index: Option<String>,
    /// The segment store's bucket URL, as `reprise serve --store` takes it.
    pub store: Option<String>,
    /// The segment store's credentials (the `[s3]` table: `access_key_id`, `secret_access_key`,
    /// `session_token`).
    pub s3: Option<S3Credentials>,
    /// App name to API key.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Limits (the `[limits]` table).
    #[serde(default)]
    pub limits: LimitOverrides,
    /// How long sessions are kept (the `[retention]` table: `days`, and `[retention.apps]`).
    pub retention: Option<Retention>,
    /// The admin endpoints' token (erasure); they stay closed without one.
    pub admin_token: Option<String>,
}

impl FileConfig {
    /// Parses the text of a configuration file.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Toml(e.to_string()))
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        Self::parse(&text).map_err(|e| match e {
            ConfigError::Toml(reason) => ConfigError::File { path: path.to_owned(), reason },
            other => other,
        })
    }
}

/// Checks that limits are usable.
pub fn check_limits(limits: &Limits) -> Result<(), ConfigError> {
    let header_and_crc = reprise_core::segment::HEADER_LEN + reprise_core::segment::CRC_LEN;
    let at_least = |name: &'static str, value: usize, min: usize| {
        if value < min { Err(ConfigError::Limit { name, value, min }) } else { Ok(()) }
    };
    let secs = |d: Duration| usize::try_from(d.as_secs()).unwrap_or(usize::MAX);
    at_least("max-body", limits.max_body, header_and_crc)?;
    at_least("max-raw", limits.max_raw, 1)?;
    at_least("max-records", limits.max_records as usize, 1)?;
    at_least("max-record-bytes", limits.max_record_bytes, 1)?;
    at_least("max-decoded", limits.max_decoded, 1024)?;
    at_least("max-header-bytes", limits.max_header_bytes, 1024)?;
    at_least("body-timeout-secs", secs(limits.body_timeout), 1)?;
    at_least("header-timeout-secs", secs(limits.header_timeout), 1)?;
    at_least("max-connections", limits.max_connections, 2)?;
    at_least("bodies-in-flight", limits.bodies_in_flight, 1)?;
    at_least("concurrent-decodes", limits.concurrent_decodes, 1)?;
    at_least("max-session-secs", usize::try_from(limits.max_session_ms / 1000).unwrap_or(0), 60)?;
    at_least("max-field-chars", limits.max_field_chars, 16)?;
    at_least("max-replay-bytes", limits.max_replay_bytes, limits.max_decoded)?;
    at_least("replay-cache-bytes", limits.replay_cache_bytes, limits.max_replay_bytes)?;
    at_least("concurrent-replays", limits.concurrent_replays, 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pairs: &[(&str, &str)]) -> Result<ApiKeys, ConfigError> {
        ApiKeys::new(pairs.iter().map(|(a, k)| (a.to_string(), k.to_string())))
    }

    #[test]
    fn keys_map_to_their_app_and_nothing_else() {
        let keys = keys(&[("shop", "k-shop-0123456789"), ("news", "k-news-0123456789"), ("shop", "k-shop-2-0123456789")]).expect("valid");
        assert_eq!(keys.app_for("k-shop-0123456789"), Some("shop"));
        assert_eq!(keys.app_for("k-shop-2-0123456789"), Some("shop"));
        assert_eq!(keys.app_for("k-news-0123456789"), Some("news"));
        assert_eq!(keys.app_for("k-news-0123456789 "), None);
        assert_eq!(keys.app_for(""), None);
        assert_eq!(keys.apps().collect::<Vec<_>>(), ["news", "shop"]);
        assert!(!format!("{keys:?}").contains("k-shop"));
    }

    #[test]
    fn bad_key_sets_are_refused() {
        assert!(matches!(keys(&[]), Err(ConfigError::NoKeys)));
        assert!(matches!(keys(&[("a", "same-key-0123456789"), ("b", "same-key-0123456789")]), Err(ConfigError::SharedKey { .. })));
        assert!(matches!(keys(&[("a", "has space 0123456789")]), Err(ConfigError::KeyFormat { .. })));
        assert!(matches!(keys(&[("a b", "k-0123456789abcdef")]), Err(ConfigError::AppName(_))));
        assert!(matches!(keys(&[("a", "abc")]), Err(ConfigError::KeyTooShort { len: 3, min: 16, .. })));
        assert!(matches!(keys(&[("a", "k-0123456789abcdef"), ("a", "k-0123456789abcdef")]), Err(ConfigError::DuplicateKey { .. })));
        assert!(matches!(ApiKeys::parse_flag("noequals"), Err(ConfigError::KeyFlag(_))));
        assert_eq!(ApiKeys::parse_flag("app=k=v").ok(), Some(("app".into(), "k=v".into())));
    }

    #[test]
    fn the_config_file_parses() {
        let file = FileConfig::parse(
            "listen = \"127.0.0.1:9000\"\ndata = \"/tmp/r\"\n[keys]\nmyapp = \"KEY-0123456789abcdef\"\n[limits]\nmax_body = 2048\n",
        )
        .expect("parses");
        assert_eq!(file.listen.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(file.keys.get("myapp").map(String::as_str), Some("KEY-0123456789abcdef"));
        assert_eq!(file.limits.max_body, Some(2048));
        assert!(matches!(FileConfig::parse("[keys]\nmyapp = 3\n"), Err(ConfigError::Toml(_))));
        assert!(matches!(FileConfig::parse("typo = 1\n"), Err(ConfigError::Toml(_))));
        let file = FileConfig::parse("access_token = \"player-token-0123456789\"\n").expect("parses");
        assert_eq!(file.access_token.as_deref(), Some("player-token-0123456789"));
    }

    #[test]
    fn access_tokens_are_long_secret_and_not_ingest_keys() {
        assert!(matches!(AccessToken::new("short-token"), Err(ConfigError::TokenTooShort { len: 11, min: 16 })));
        assert!(matches!(AccessToken::new("sixteen chars ok"), Err(ConfigError::TokenFormat)));
        let token = AccessToken::new("player-token-0123456789").expect("valid");
        assert!(token.matches("player-token-0123456789"));
        assert!(!token.matches("player-token-012345678"));
        assert!(!token.matches("player-token-0123456780"));
        assert!(!format!("{token:?}").contains("player"));
        let keys = keys(&[("shop", "player-token-0123456789")]).expect("valid");
        assert!(matches!(token.check_against(&keys), Err(ConfigError::TokenIsApiKey { app }) if app == "shop"));
        let a = AccessToken::generate().expect("random");
        let b = AccessToken::generate().expect("random");
        assert_ne!(a, b);
        assert!(AccessToken::new(a.as_str()).is_ok(), "a generated token passes the operator's rules");
    }
}
