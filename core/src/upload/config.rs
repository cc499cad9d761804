//! Where and how to upload: [`UploadConfig`] with its defaults and the URL rules (HTTPS, except
//! for loopback hosts), and [`UploadOptions`], the same as an app gives it across the FFI.

use std::time::Duration;

use thiserror::Error;

/// Where and how to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadConfig {
    /// The collector's base URL; segments go to `{endpoint}/v1/segments`. HTTPS, except for
    /// loopback hosts.
    pub endpoint: String,
    /// The app's API key.
    pub api_key: String,
    /// The SDK version sent with each upload.
    pub sdk_version: String,
    /// Most requests in flight at once.
    pub max_concurrency: usize,
    /// First retry delay; it doubles with each failure, with full jitter.
    pub initial_backoff: Duration,
    /// Longest backoff delay (a server's `Retry-After` is honoured up to [`MAX_RETRY_AFTER`]).
    pub max_backoff: Duration,
    /// Time limit of one request.
    pub request_timeout: Duration,
}

impl Default for UploadConfig {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            api_key: String::new(),
            sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
            max_concurrency: 2,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Where and how to upload, as an app gives it (across the FFI): the endpoint and key, and every
/// tuning setting left `None` for the core's default (`UploadConfig::from` fills them in).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UploadOptions {
    /// The collector's base URL (HTTPS, except for loopback hosts).
    pub endpoint: String,
    /// The app's API key.
    pub api_key: String,
    /// Most requests in flight at once.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_concurrency: Option<u32>,
    /// First retry delay in milliseconds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub initial_backoff_ms: Option<u64>,
    /// Longest retry delay in milliseconds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_backoff_ms: Option<u64>,
    /// Time limit of one request in milliseconds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_timeout_ms: Option<u64>,
}

impl From<UploadOptions> for UploadConfig {
    /// The options with every unset setting at the core's default.
    fn from(o: UploadOptions) -> Self {
        let d = UploadConfig::default();
        let ms = |value: Option<u64>, default: Duration| value.map_or(default, Duration::from_millis);
        UploadConfig {
            endpoint: o.endpoint,
            api_key: o.api_key,
            max_concurrency: o.max_concurrency.map_or(d.max_concurrency, |n| n as usize),
            initial_backoff: ms(o.initial_backoff_ms, d.initial_backoff),
            max_backoff: ms(o.max_backoff_ms, d.max_backoff),
            request_timeout: ms(o.request_timeout_ms, d.request_timeout),
            ..d
        }
    }
}

/// An upload configuration that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UploadConfigError {
    /// The endpoint is not an http(s) URL with a host.
    #[error("endpoint {0:?} is not an http(s) URL")]
    Endpoint(String),
    /// Plain HTTP to a host other than loopback.
    #[error("endpoint {0:?} must use https (plain http is allowed for loopback hosts only)")]
    InsecureEndpoint(String),
    /// No API key.
    #[error("the API key is empty")]
    ApiKey,
    /// Concurrency of zero.
    #[error("maximum concurrency must be at least 1")]
    Concurrency,
    /// The runtime or HTTP client could not start.
    #[error("the uploader could not start: {0}")]
    Start(String),
}

impl UploadConfig {
    /// Checks the endpoint (HTTPS unless loopback), key and limits; returns the upload URL.
    pub fn validate(&self) -> Result<String, UploadConfigError> {
        let endpoint = self.endpoint.trim_end_matches('/');
        let (scheme, rest) = endpoint.split_once("://").ok_or_else(|| UploadConfigError::Endpoint(self.endpoint.clone()))?;
        let authority = rest.split('/').next().unwrap_or_default();
        let host = host_of(authority);
        if host.is_empty() || !matches!(scheme, "http" | "https") {
            return Err(UploadConfigError::Endpoint(self.endpoint.clone()));
        }
        if scheme == "http" && !is_loopback(host) {
            return Err(UploadConfigError::InsecureEndpoint(self.endpoint.clone()));
        }
        if self.api_key.is_empty() {
            return Err(UploadConfigError::ApiKey);
        }
        if self.max_concurrency == 0 {
            return Err(UploadConfigError::Concurrency);
        }
        Ok(format!("{endpoint}/v1/segments"))
    }
}

fn host_of(authority: &str) -> &str {
    let authority = authority.rsplit('@').next().unwrap_or_default();
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(endpoint: &str) -> UploadConfig {
        UploadConfig { endpoint: endpoint.into(), api_key: "k".into(), ..Default::default() }
    }

    #[test]
    fn https_is_required_except_for_loopback() {
        assert_eq!(config("https://collector.example.com/").validate(), Ok("https://collector.example.com/v1/segments".into()));
        for ok in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9/", "http://127.3.4.5"] {
            assert!(config(ok).validate().is_ok(), "{ok}");
        }
        for bad in ["http://collector.example.com", "http://10.0.0.1:80", "http://localhost.evil.com", "http://user@example.com"] {
            assert!(matches!(config(bad).validate(), Err(UploadConfigError::InsecureEndpoint(_))), "{bad}");
        }
        for bad in ["collector", "ftp://x", "https://", ""] {
            assert!(matches!(config(bad).validate(), Err(UploadConfigError::Endpoint(_))), "{bad}");
        }
        assert_eq!(UploadConfig { api_key: String::new(), ..config("https://a.b") }.validate(), Err(UploadConfigError::ApiKey));
    }
}
