//! The HTTP side of an upload: the [`Transport`] trait, its requests and answers, and the default
//! [`ReqwestTransport`] (reqwest with rustls); a platform may bring its own (OkHttp, URLSession)
//! for proxies and certificate pinning.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use super::config::UploadConfigError;

/// The content type of a segment upload.
pub const SEGMENT_CONTENT_TYPE: &str = "application/vnd.reprise.segment";

/// One upload, as a transport sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRequest {
    /// The full URL.
    pub url: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The segment bytes.
    pub body: Vec<u8>,
}

/// What the collector answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadResponse {
    /// HTTP status.
    pub status: u16,
    /// The `Retry-After` delay, when the response had one.
    pub retry_after: Option<Duration>,
    /// Whether the answer said the session is being watched live (`crate::live::LIVE_HEADER`).
    pub live: bool,
}

/// A request that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("network error: {0}")]
pub struct TransportError(pub String);

/// A future a transport returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<UploadResponse, TransportError>> + Send + 'a>>;

/// Sends upload requests: reqwest by default, or a platform's HTTP stack.
pub trait Transport: Send + Sync + 'static {
    /// Sends one request and reports the status, or a network error.
    fn send(&self, request: UploadRequest) -> SendFuture<'_>;
}

/// The default transport: reqwest with rustls (ring, Mozilla roots).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A client with the given request timeout.
    pub fn new(timeout: Duration) -> Result<Self, UploadConfigError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| UploadConfigError::Start(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| UploadConfigError::Start(e.to_string()))?;
        Ok(Self { client })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: UploadRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let mut builder = self.client.post(&request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            let response = builder.body(request.body).send().await.map_err(|e| TransportError(e.to_string()))?;
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
            let live = response
                .headers()
                .get(crate::live::LIVE_HEADER)
                .and_then(|v| v.to_str().ok())
                .is_some_and(crate::live::is_live_flag);
            Ok(UploadResponse { status: response.status().as_u16(), retry_after, live })
        })
    }
}

/// Parses a `Retry-After` value: delta-seconds or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    httpdate::parse_http_date(value).ok().map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
