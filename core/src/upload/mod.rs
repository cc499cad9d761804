//! The uploader: takes segments from the disk queue and posts them to the collector.
//!
//! It runs on a small tokio runtime that the core owns (the host app needs no runtime of its
//! own), with at most `max_concurrency` requests in flight. 2xx deletes the segment; 408, 429, 5xx
//! and network errors retry with exponential backoff and full jitter, honouring `Retry-After`; 413
//! and any other 4xx drop the segment and count it. Uploads pause while the platform reports the
//! device offline and resume on connectivity or foreground; `drain` uploads everything now (on
//! background and flush). The HTTP client is a [`Transport`]: reqwest with rustls by default, or
//! the platform's own (OkHttp, URLSession) for proxies and certificate pinning.
//!
//! - [`config`]: where and how to upload ([`UploadConfig`], its defaults, the URL rules) and
//!   [`UploadOptions`], the same as an app gives it across the FFI.
//! - [`transport`]: the [`Transport`] trait, its requests and answers, the default reqwest one.
//! - [`retry`]: the policy for an answer ([`outcome`]) and the backoff with jitter.
//! - [`scheduler`]: the [`Uploader`], its background task and counters.

pub mod config;
pub mod retry;
pub mod scheduler;
pub mod transport;

pub use config::{UploadConfig, UploadConfigError, UploadOptions};
pub use retry::{MAX_RETRY_AFTER, Outcome, outcome};
pub use scheduler::{UploadStats, Uploader};
pub use transport::{
    ReqwestTransport, SEGMENT_CONTENT_TYPE, SendFuture, Transport, TransportError, UploadRequest, UploadResponse,
    parse_retry_after,
};
