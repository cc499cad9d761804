//! What an [`S3Store`](super::S3Store) is told: the bucket, a key prefix, the endpoint, the
//! region, the credentials and the timing of its requests, from a `s3://` URL.
//!
//! `s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&style=path|virtual`, for example
//! `s3://reprise?endpoint=http://127.0.0.1:8333&region=us-east-1`. Without `endpoint` the store
//! is AWS's (`https://s3.<region>.amazonaws.com`, virtual-host style); with one, path style
//! unless `style=virtual`. Credentials never go in the URL: they come from `AWS_ACCESS_KEY_ID`
//! and `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), else the config file's `[s3]` table,
//! else requests go unsigned (a store that needs no credentials, as SeaweedFS's gateway when
//! none are configured).

use std::time::Duration;

use crate::error::ConfigError;

/// The environment variable naming a bucket for tests (a `s3://` URL); each test uses a key
/// prefix of its own in it.
pub const TEST_BUCKET_ENV: &str = "REPRISE_TEST_S3";

/// The region when the URL names none.
pub const DEFAULT_REGION: &str = "us-east-1";

/// An S3-compatible bucket, and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    /// The bucket.
    pub bucket: String,
    /// Prepended to every key: empty, or ending with `/`.
    pub prefix: String,
    /// The service's base URL (`http://127.0.0.1:8333`).
    pub endpoint: String,
    /// The region requests are signed for.
    pub region: String,
    /// Path-style URLs (`endpoint/bucket/key`) rather than virtual-host (`bucket.endpoint/key`).
    pub path_style: bool,
    /// Signing credentials; `None` sends unsigned requests.
    pub credentials: Option<S3Credentials>,
    /// Timeouts and retries.
    pub tuning: S3Tuning,
}

/// An access key pair, as the environment or the config file's `[s3]` table gives it.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Credentials {
    /// The access key id.
    #[serde(rename = "access_key_id")]
    pub key: String,
    /// The secret access key.
    #[serde(rename = "secret_access_key")]
    pub secret: String,
    /// A session token, for temporary credentials.
    #[serde(rename = "session_token", default)]
    pub token: Option<String>,
}

impl std::fmt::Debug for S3Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("S3Credentials").field("key", &self.key).finish_non_exhaustive()
    }
}

impl S3Credentials {
    /// The credentials of the usual environment variables, when both are set.
    pub fn from_env() -> Option<Self> {
        let var = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Some(Self { key: var("AWS_ACCESS_KEY_ID")?, secret: var("AWS_SECRET_ACCESS_KEY")?, token: var("AWS_SESSION_TOKEN") })
    }
}

/// How long a request may take and how often it is tried. Each default is written once, in
/// [`S3Tuning::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S3Tuning {
    /// Tries of one request, the first included, when it fails with a 5xx, a 429, a timeout or
    /// a connection error.
    pub attempts: u32,
    /// Wait before the second try; doubled for each next one.
    pub first_backoff: Duration,
    /// Longest wait between tries.
    pub max_backoff: Duration,
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for one whole request, body included.
    pub request_timeout: Duration,
    /// Most keys asked for per listing page (S3 answers at most 1,000).
    pub list_page: usize,
}

impl Default for S3Tuning {
    fn default() -> Self {
        Self {
            attempts: 4,
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            list_page: 1000,
        }
    }
}

impl S3Config {
    /// Parses a `s3://` URL (see the module's documentation); credentials are left out.
    pub fn parse_url(text: &str) -> Result<Self, ConfigError> {
        let bad = |reason: &str| ConfigError::StoreUrl { url: text.to_owned(), reason: reason.to_owned() };
        let url = url::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
        if url.scheme() != "s3" {
            return Err(bad("expected s3://bucket[/prefix]?endpoint=...&region=..."));
        }
        let bucket = url.host_str().filter(|b| !b.is_empty()).ok_or_else(|| bad("no bucket"))?.to_owned();
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("credentials do not go in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
        }
        let path = url.path().trim_matches('/');
        let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
        let (mut endpoint, mut region, mut style) = (None, None, None);
        for (name, value) in url.query_pairs() {
            match name.as_ref() {
                "endpoint" => endpoint = Some(value.into_owned()),
                "region" => region = Some(value.into_owned()),
                "style" => style = Some(value.into_owned()),
                other => return Err(bad(&format!("unknown parameter {other:?} (endpoint, region, style)"))),
            }
        }
        let region = region.unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let path_style = match style.as_deref() {
            None => endpoint.is_some(),
            Some("path") => true,
            Some("virtual") => false,
            Some(_) => return Err(bad("style must be path or virtual")),
        };
        let endpoint = endpoint.unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        match url::Url::parse(&endpoint) {
            Ok(e) if matches!(e.scheme(), "http" | "https") && e.host_str().is_some() => {}
            _ => return Err(bad("endpoint must be an http:// or https:// URL")),
        }
        Ok(Self { bucket, prefix, endpoint, region, path_style, credentials: None, tuning: S3Tuning::default() })
    }

    /// The `s3://` URL that parses back into this configuration (credentials left out).
    pub fn url(&self) -> String {
        let style = if self.path_style { "path" } else { "virtual" };
        let prefix = self.prefix.trim_end_matches('/');
        format!("s3://{}/{prefix}?endpoint={}&region={}&style={style}", self.bucket, self.endpoint, self.region)
    }

    /// Where the bucket is, for messages.
    pub fn describe(&self) -> String {
        format!("s3://{}/{} at {}", self.bucket, self.prefix, self.endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_with_their_defaults() {
        let c = S3Config::parse_url("s3://segments?endpoint=http://127.0.0.1:8333&region=eu-west-3").expect("parses");
        assert_eq!((c.bucket.as_str(), c.prefix.as_str(), c.region.as_str()), ("segments", "", "eu-west-3"));
        assert_eq!((c.endpoint.as_str(), c.path_style), ("http://127.0.0.1:8333", true));
        let c = S3Config::parse_url("s3://b/team/prod/").expect("parses");
        assert_eq!((c.prefix.as_str(), c.region.as_str()), ("team/prod/", DEFAULT_REGION));
        assert_eq!((c.endpoint.as_str(), c.path_style), ("https://s3.us-east-1.amazonaws.com", false));
        let c = S3Config::parse_url("s3://b?endpoint=https://minio.internal&style=virtual").expect("parses");
        assert!(!c.path_style);
        assert_eq!(S3Config::parse_url(&c.url()).expect("parses back"), c);
        let c = S3Config::parse_url("s3://b/team/prod?endpoint=http://127.0.0.1:8333").expect("parses");
        assert_eq!(S3Config::parse_url(&c.url()).expect("parses back"), c);
        for bad in [
            "http://b",
            "s3://",
            "s3://key:secret@b",
            "s3://b?endpoint=ftp://x",
            "s3://b?style=sideways",
            "s3://b?regoin=x",
        ] {
            assert!(matches!(S3Config::parse_url(bad), Err(ConfigError::StoreUrl { .. })), "{bad}");
        }
        let secret = S3Credentials { key: "AKIA".into(), secret: "very-secret".into(), token: None };
        assert!(!format!("{secret:?}").contains("very-secret"));
    }
}
