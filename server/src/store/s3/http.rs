//! The store's HTTP side: a `reqwest` client on a small Tokio runtime of the store's own, and
//! [`Http::call`], which sends one signed request, retrying with a doubling backoff while the
//! answer is a 5xx, a 429, a 409, a timeout or a connection error, at most [`S3Tuning::attempts`] times.
//!
//! The store's interface blocks (as [`SegmentStore`](crate::store::SegmentStore)'s does) and
//! may be called from any thread, one that runs an async executor included: a call is spawned
//! onto the store's runtime and its caller waits on a channel.

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use reqwest::{Method, StatusCode};

use super::config::S3Tuning;
use crate::error::S3Error;

/// Worker threads of the store's runtime.
const RUNTIME_THREADS: usize = 2;

/// One request: a method, a signed URL, headers and an optional body.
#[derive(Debug, Clone)]
pub struct Request {
    /// GET, PUT, HEAD, DELETE.
    pub method: Method,
    /// The signed URL.
    pub url: url::Url,
    /// Extra headers (`If-None-Match`).
    pub headers: Vec<(&'static str, &'static str)>,
    /// The body.
    pub body: Option<Bytes>,
}

/// An answer that is not retried: its status and body.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub body: Bytes,
}

/// The HTTP client and the runtime it runs on.
pub struct Http {
    client: reqwest::Client,
    tuning: S3Tuning,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Http {
    /// A client with the tuning's timeouts, speaking TLS (ring, Mozilla's roots) to `https`
    /// endpoints.
    pub fn new(tuning: S3Tuning) -> Result<Self, S3Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(RUNTIME_THREADS)
            .thread_name("reprise-s3")
            .enable_all()
            .build()
            .map_err(|e| S3Error::Client(e.to_string()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| S3Error::Client(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let _context = runtime.enter();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(tuning.connect_timeout)
            .timeout(tuning.request_timeout)
            .build()
            .map_err(|e| S3Error::Client(e.to_string()))?;
        Ok(Self { client, tuning, runtime: Some(runtime) })
    }

    /// Sends `request`, retrying as the module says; blocks until the last try's answer.
    pub fn call(&self, request: Request) -> Result<Answer, S3Error> {
        let (client, tuning) = (self.client.clone(), self.tuning);
        self.block(async move { send_with_retries(&client, tuning, request).await })?
    }

    /// Runs `work` on the store's runtime and waits for it, from any thread.
    fn block<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> Result<T, S3Error> {
        let runtime = self.runtime.as_ref().ok_or(S3Error::Closed)?;
        let (done, result) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let _ = done.send(work.await);
        });
        result.recv().map_err(|_| S3Error::Closed)
    }
}

impl Drop for Http {
    fn drop(&mut self) {
        // Without waiting: the store may be dropped on an async executor's thread, where a
        // runtime must not block.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Whether an answer is worth another try: the service failed or is busy, or (409) a
/// concurrent conditional write of the same key was in progress, which S3 asks to retry.
fn retryable(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::CONFLICT
}

async fn send_with_retries(client: &reqwest::Client, tuning: S3Tuning, request: Request) -> Result<Answer, S3Error> {
    let attempts = tuning.attempts.max(1);
    let mut backoff = tuning.first_backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let failure = match send_once(client, &request).await {
            Ok(answer) if !retryable(answer.status) => return Ok(answer),
            Ok(answer) => status_error(&answer),
            Err(e) => S3Error::Http(e),
        };
        if attempt >= attempts {
            return Err(S3Error::Exhausted { attempts: attempt, last: Box::new(failure) });
        }
        eprintln!("reprise: S3 {} {}: {failure}; trying again in {backoff:?}", request.method, request.url.path());
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(tuning.max_backoff);
    }
}

async fn send_once(client: &reqwest::Client, request: &Request) -> Result<Answer, reqwest::Error> {
    let mut builder = client.request(request.method.clone(), request.url.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(*name, *value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let response = builder.send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    Ok(Answer { status, body })
}

/// The error an unexpected answer stands for, with the S3 error code of its XML body.
pub fn status_error(answer: &Answer) -> S3Error {
    let text = String::from_utf8_lossy(&answer.body);
    let code = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.to_owned())
        .unwrap_or_default();
    S3Error::Status { status: answer.status.as_u16(), code }
}
