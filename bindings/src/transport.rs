//! The platform transport: a foreign `HttpTransport` (OkHttp, URLSession) adapted to the core's
//! async `Transport`. The foreign call blocks, so it runs on the uploader runtime's blocking pool.

use std::sync::Arc;

use reprise_core::upload::{SendFuture, TransportError, UploadRequest, UploadResponse};

use crate::error::RepriseError;
use crate::log::Logger;
use reprise_core::LogLevel;

/// One HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// An upload to send: POST `url` with these headers and body.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// The full URL.
    pub url: String,
    /// Headers, in order.
    pub headers: Vec<HttpHeader>,
    /// The segment bytes.
    pub body: Vec<u8>,
}

/// The collector's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// The `Retry-After` delay in seconds, when the response had one.
    pub retry_after_secs: Option<u64>,
    /// Whether the response's `x-reprise-live` header is `1`: somebody watches the session, and
    /// the SDK seals short segments for a while so the player follows it live.
    #[uniffi(default = false)]
    pub live: bool,
}

/// Implemented by the platform to send uploads with its own HTTP stack. Blocking: it is called
/// on an SDK thread, never the caller's. Throw `RepriseException.Transport` (or anything) when
/// there was no HTTP answer; the upload is retried later.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends one POST request.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, RepriseError>;
}

/// The core-side adapter.
pub(crate) struct ForeignTransport {
    pub(crate) inner: Arc<dyn HttpTransport>,
    pub(crate) log: Logger,
}

impl reprise_core::Transport for ForeignTransport {
    fn send(&self, request: UploadRequest) -> SendFuture<'_> {
        let inner = self.inner.clone();
        let log = self.log.clone();
        Box::pin(async move {
            let request = HttpRequest {
                url: request.url,
                headers: request.headers.into_iter().map(|(name, value)| HttpHeader { name, value }).collect(),
                body: request.body,
            };
            let joined = tokio::task::spawn_blocking(move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.send(request)))
            })
            .await;
            let result = match joined {
                Ok(Ok(Ok(response))) => Ok(UploadResponse {
                    status: response.status,
                    retry_after: response.retry_after_secs.map(std::time::Duration::from_secs),
                    live: response.live,
                }),
                Ok(Ok(Err(e))) => Err(TransportError(e.to_string())),
                Ok(Err(_)) => Err(TransportError("the platform transport panicked".into())),
                Err(e) => Err(TransportError(format!("the platform transport did not run: {e}"))),
            };
            if let Err(e) = &result {
                log.log(LogLevel::Warning, || format!("upload failed: {e}"));
            }
            result
        })
    }
}
