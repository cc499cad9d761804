//! The collector's configuration: where it listens, where it keeps data, the API keys of each app
//! and the size limits, from flags and an optional TOML file.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ConfigError;

/// Default address: loopback only. A real deployment puts a TLS-terminating proxy in front.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default data directory.
pub const DEFAULT_DATA_DIR: &str = "./reprise-data";
/// Default largest request body (a compressed segment): 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// Default largest decompressed segment body: 16 MiB.
pub const DEFAULT_MAX_RAW: usize = 16 * 1024 * 1024;
/// Default largest total size of a request's header names and values: 16 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 16 * 1024;
/// Default time allowed to receive a request body, in seconds.
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;
/// Default number of segments decoded and stored at once (each may hold `max_raw` bytes).
pub const DEFAULT_CONCURRENT_DECODES: usize = 32;

/// Size and time limits applied to every upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body (the compressed segment), in bytes.
    pub max_body: usize,
    /// Largest decompressed segment body, in bytes; checked before and enforced while decompressing.
    pub max_raw: usize,
    /// Largest total size of header names and values, in bytes.
    pub max_header_bytes: usize,
    /// Time allowed to receive the body once the headers are in.
    pub body_timeout: std::time::Duration,
    /// Segments decoded and stored at once; more wait their turn. Bounds decompression memory
    /// to about `concurrent_decodes * (max_raw + max_body)`.
    pub concurrent_decodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body: DEFAULT_MAX_BODY,
            max_raw: DEFAULT_MAX_RAW,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            body_timeout: std::time::Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
            concurrent_decodes: DEFAULT_CONCURRENT_DECODES,
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
    /// Builds the key set from (app, key) pairs, checking that there is at least one, that names
    /// and keys are usable, and that no key belongs to two apps.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let mut entries: Vec<(String, String)> = Vec::new();
        for (app, key) in pairs {
            if app.is_empty() || !app.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
                return Err(ConfigError::AppName(app));
            }
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ConfigError::KeyFormat { app });
            }
            if let Some((other, _)) = entries.iter().find(|(a, k)| k == &key && a != &app) {
                return Err(ConfigError::SharedKey { first: other.clone(), second: app });
            }
            if !entries.iter().any(|(a, k)| a == &app && k == &key) {
                entries.push((app, key));
            }
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
    /// The player's access token; `None` makes the server generate one at start.
    pub access_token: Option<AccessToken>,
}

impl ServerConfig {
    /// A configuration with default limits and a token generated at start.
    pub fn new(listen: SocketAddr, data_dir: impl Into<PathBuf>, keys: ApiKeys) -> Self {
        Self { listen, data_dir: data_dir.into(), keys, limits: Limits::default(), access_token: None }
    }
}

/// The TOML configuration file. Every field is optional; flags override it.
///
/// ```toml
/// listen = "127.0.0.1:8080"
/// data = "./reprise-data"
/// access_token = "at least 16 characters"
///
/// [keys]
/// myapp = "KEY"
///
/// [limits]
/// max_body = 1048576
/// max_raw = 16777216
/// max_header_bytes = 16384
/// body_timeout_secs = 30
/// concurrent_decodes = 32
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Address to listen on.
    pub listen: Option<SocketAddr>,
    /// Data directory.
    pub data: Option<PathBuf>,
    /// The player's access token.
    pub access_token: Option<String>,
    /// App name to API key.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Upload limits.
    #[serde(default)]
    pub limits: FileLimits,
}

/// The `[limits]` table of the configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLimits {
    /// Largest request body, bytes.
    pub max_body: Option<usize>,
    /// Largest decompressed body, bytes.
    pub max_raw: Option<usize>,
    /// Largest total header size, bytes.
    pub max_header_bytes: Option<usize>,
    /// Time allowed to receive a body, seconds.
    pub body_timeout_secs: Option<u64>,
    /// Segments decoded and stored at once.
    pub concurrent_decodes: Option<usize>,
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
    let min = reprise_core::segment::HEADER_LEN + reprise_core::segment::CRC_LEN;
    if limits.max_body < min {
        return Err(ConfigError::Limit { name: "max-body", value: limits.max_body, min });
    }
    if limits.max_raw == 0 {
        return Err(ConfigError::Limit { name: "max-raw", value: 0, min: 1 });
    }
    if limits.max_header_bytes < 1024 {
        return Err(ConfigError::Limit { name: "max-header-bytes", value: limits.max_header_bytes, min: 1024 });
    }
    if limits.body_timeout.is_zero() {
        return Err(ConfigError::Limit { name: "body-timeout-secs", value: 0, min: 1 });
    }
    if limits.concurrent_decodes == 0 {
        return Err(ConfigError::Limit { name: "concurrent-decodes", value: 0, min: 1 });
    }
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
        let keys = keys(&[("shop", "k-shop"), ("news", "k-news"), ("shop", "k-shop-2")]).expect("valid");
        assert_eq!(keys.app_for("k-shop"), Some("shop"));
        assert_eq!(keys.app_for("k-shop-2"), Some("shop"));
        assert_eq!(keys.app_for("k-news"), Some("news"));
        assert_eq!(keys.app_for("k-news "), None);
        assert_eq!(keys.app_for(""), None);
        assert_eq!(keys.apps().collect::<Vec<_>>(), ["news", "shop"]);
        assert!(!format!("{keys:?}").contains("k-shop"));
    }

    #[test]
    fn bad_key_sets_are_refused() {
        assert!(matches!(keys(&[]), Err(ConfigError::NoKeys)));
        assert!(matches!(keys(&[("a", "same"), ("b", "same")]), Err(ConfigError::SharedKey { .. })));
        assert!(matches!(keys(&[("a", "has space")]), Err(ConfigError::KeyFormat { .. })));
        assert!(matches!(keys(&[("a b", "k")]), Err(ConfigError::AppName(_))));
        assert!(matches!(ApiKeys::parse_flag("noequals"), Err(ConfigError::KeyFlag(_))));
        assert_eq!(ApiKeys::parse_flag("app=k=v").ok(), Some(("app".into(), "k=v".into())));
    }

    #[test]
    fn the_config_file_parses() {
        let file = FileConfig::parse(
            "listen = \"127.0.0.1:9000\"\ndata = \"/tmp/r\"\n[keys]\nmyapp = \"KEY\"\n[limits]\nmax_body = 2048\n",
        )
        .expect("parses");
        assert_eq!(file.listen, Some("127.0.0.1:9000".parse().expect("addr")));
        assert_eq!(file.keys.get("myapp").map(String::as_str), Some("KEY"));
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
