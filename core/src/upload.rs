//! The uploader: takes segments from the disk queue and posts them to the collector.
//!
//! It runs on a small tokio runtime that the core owns (the host app needs no runtime of its
//! own), with at most `max_concurrency` requests in flight. 2xx deletes the segment; 408, 429, 5xx
//! and network errors retry with exponential backoff and full jitter, honouring `Retry-After`; 413
//! and any other 4xx drop the segment and count it. Uploads pause while the platform reports the
//! device offline and resume on connectivity or foreground; `drain` uploads everything now (on
//! background and flush). The HTTP client is a [`Transport`]: reqwest with rustls by default, or
//! the platform's own (OkHttp, URLSession) for proxies and certificate pinning.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use thiserror::Error;
use tokio::sync::Notify;

use crate::queue::DiskQueue;
use crate::segment::{SegmentHeader, SegmentId};

/// The longest `Retry-After` honoured; a server asking for more is retried after this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// The content type of a segment upload.
pub const SEGMENT_CONTENT_TYPE: &str = "application/vnd.reprise.segment";

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
            Ok(UploadResponse { status: response.status().as_u16(), retry_after })
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

/// What happens to a segment after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored: delete it.
    Delivered,
    /// Try again later, not before the given delay when the server named one.
    Retry(Option<Duration>),
    /// Too large for the server: drop it.
    TooLarge,
    /// Refused for good (bad key, invalid segment): drop it.
    Rejected(u16),
}

/// The upload policy for an answer.
pub fn outcome(result: &Result<UploadResponse, TransportError>) -> Outcome {
    match result {
        Err(_) => Outcome::Retry(None),
        Ok(r) if (200..300).contains(&r.status) => Outcome::Delivered,
        Ok(r) if r.status == 408 || r.status == 429 || r.status >= 500 => Outcome::Retry(r.retry_after),
        Ok(r) if r.status == 413 => Outcome::TooLarge,
        Ok(r) => Outcome::Rejected(r.status),
    }
}

/// Counters of the uploader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UploadStats {
    /// Segments the collector stored.
    pub delivered: u64,
    /// Failed attempts that will be retried.
    pub retries: u64,
    /// Segments dropped because the collector found them too large (413).
    pub dropped_too_large: u64,
    /// Segments dropped because the collector refused them for good (other 4xx).
    pub dropped_rejected: u64,
    /// The last status of a refused segment, for the log.
    pub last_rejection: u64,
}

#[derive(Debug, Default)]
struct Counters {
    delivered: AtomicU64,
    retries: AtomicU64,
    dropped_too_large: AtomicU64,
    dropped_rejected: AtomicU64,
    last_rejection: AtomicU64,
}

/// Shared between the uploader's handle and its task.
struct Control {
    online: AtomicBool,
    shutdown: AtomicBool,
    wake: Notify,
    /// Signalled whenever an upload finishes, for `drain`.
    progress: Notify,
    counters: Counters,
}

/// When a failed segment may be tried again.
#[derive(Debug, Clone, Copy)]
struct Retry {
    attempts: u32,
    at: Instant,
    /// The server named the delay (`Retry-After`): waking up early does not shorten it.
    server_asked: bool,
}

/// Retry schedule of segments that failed.
#[derive(Debug, Default)]
struct Schedule {
    retries: HashMap<SegmentId, Retry>,
}

/// Uploads queued segments in the background.
pub struct Uploader {
    control: Arc<Control>,
    queue: DiskQueue,
    schedule: Arc<Mutex<Schedule>>,
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
}

impl std::fmt::Debug for Uploader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uploader").field("stats", &self.stats()).finish_non_exhaustive()
    }
}

impl Uploader {
    /// Starts uploading from `queue` with the default reqwest transport.
    pub fn start(queue: DiskQueue, config: UploadConfig) -> Result<Uploader, UploadConfigError> {
        let transport = ReqwestTransport::new(config.request_timeout)?;
        Self::start_with(queue, config, Arc::new(transport))
    }

    /// Starts uploading from `queue` through `transport`.
    pub fn start_with(queue: DiskQueue, config: UploadConfig, transport: Arc<dyn Transport>) -> Result<Uploader, UploadConfigError> {
        let url = config.validate()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("reprise-upload")
            .enable_all()
            .build()
            .map_err(|e| UploadConfigError::Start(e.to_string()))?;
        let control = Arc::new(Control {
            online: AtomicBool::new(true),
            shutdown: AtomicBool::new(false),
            wake: Notify::new(),
            progress: Notify::new(),
            counters: Counters::default(),
        });
        let schedule = Arc::new(Mutex::new(Schedule::default()));
        let wake = control.clone();
        queue.on_push(move || wake.wake.notify_one());
        let task = Task { control: control.clone(), queue: queue.clone(), schedule: schedule.clone(), transport, config, url };
        runtime.spawn(task.run());
        Ok(Uploader { control, queue, schedule, runtime: Mutex::new(Some(runtime)) })
    }

    /// Tells the uploader whether the device is online; going online resumes uploads.
    pub fn set_online(&self, online: bool) {
        self.control.online.store(online, Ordering::SeqCst);
        if online {
            self.control.wake.notify_one();
        }
    }

    /// Uploads what is queued now, ignoring backoff delays (but not `Retry-After`); called on
    /// foreground and connectivity changes.
    pub fn wake(&self) {
        if let Ok(mut schedule) = self.schedule.lock() {
            let now = Instant::now();
            for retry in schedule.retries.values_mut().filter(|r| !r.server_asked) {
                retry.at = retry.at.min(now);
            }
        }
        self.control.wake.notify_one();
    }

    /// Uploads everything queued and waits until the queue is empty, the device is offline, or
    /// `timeout` passes; returns how many segments are still queued.
    pub fn drain(&self, timeout: Duration) -> u64 {
        let deadline = Instant::now() + timeout;
        self.wake();
        loop {
            let left = self.queue.stats().segments;
            if left == 0 || !self.control.online.load(Ordering::SeqCst) || Instant::now() >= deadline {
                return left;
            }
            std::thread::sleep(Duration::from_millis(10).min(deadline.saturating_duration_since(Instant::now())));
        }
    }

    /// A copy of the counters.
    pub fn stats(&self) -> UploadStats {
        let c = &self.control.counters;
        UploadStats {
            delivered: c.delivered.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            dropped_too_large: c.dropped_too_large.load(Ordering::Relaxed),
            dropped_rejected: c.dropped_rejected.load(Ordering::Relaxed),
            last_rejection: c.last_rejection.load(Ordering::Relaxed),
        }
    }

    /// Stops uploading; requests in flight are abandoned (their segments stay queued).
    pub fn shutdown(&self) {
        self.control.shutdown.store(true, Ordering::SeqCst);
        self.control.wake.notify_one();
        let runtime = self.runtime.lock().ok().and_then(|mut r| r.take());
        if let Some(runtime) = runtime {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

impl Drop for Uploader {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The upload loop.
struct Task {
    control: Arc<Control>,
    queue: DiskQueue,
    schedule: Arc<Mutex<Schedule>>,
    transport: Arc<dyn Transport>,
    config: UploadConfig,
    url: String,
}

impl Task {
    async fn run(self) {
        let task = Arc::new(self);
        let mut in_flight: Vec<SegmentId> = Vec::new();
        let mut running = tokio::task::JoinSet::new();
        let mut rng = Jitter::seeded();
        loop {
            if task.control.shutdown.load(Ordering::SeqCst) {
                return;
            }
            let online = task.control.online.load(Ordering::SeqCst);
            let mut next_retry: Option<Instant> = None;
            if online && in_flight.len() < task.config.max_concurrency {
                let now = Instant::now();
                let candidates = task.queue.oldest(task.config.max_concurrency * 4, &in_flight);
                for id in candidates {
                    if in_flight.len() >= task.config.max_concurrency {
                        break;
                    }
                    let due = task.schedule.lock().ok().and_then(|s| s.retries.get(&id).map(|r| r.at));
                    match due {
                        Some(at) if at > now => next_retry = Some(next_retry.map_or(at, |n: Instant| n.min(at))),
                        _ => {
                            in_flight.push(id);
                            let task = task.clone();
                            running.spawn(async move { (id, task.attempt(id).await) });
                        }
                    }
                }
            }
            let idle = match next_retry {
                Some(at) => at.saturating_duration_since(Instant::now()),
                None => Duration::from_secs(30),
            };
            tokio::select! {
                Some(done) = running.join_next(), if !running.is_empty() => {
                    if let Ok((id, result)) = done {
                        in_flight.retain(|f| *f != id);
                        task.settle(id, result, &mut rng);
                    }
                }
                _ = task.control.wake.notified() => {}
                _ = tokio::time::sleep(idle) => {}
            }
        }
    }

    /// Sends one segment; `None` when it vanished from the queue.
    async fn attempt(&self, id: SegmentId) -> Option<Result<UploadResponse, TransportError>> {
        let body = self.queue.read(id)?;
        let header = SegmentHeader::read(&body).ok()?;
        let request = UploadRequest {
            url: self.url.clone(),
            headers: vec![
                ("authorization".into(), format!("Bearer {}", self.config.api_key)),
                ("content-type".into(), SEGMENT_CONTENT_TYPE.into()),
                ("idempotency-key".into(), id.to_string()),
                ("x-reprise-session".into(), header.session.to_string()),
                ("x-reprise-sequence".into(), header.sequence.to_string()),
                ("x-reprise-sdk".into(), self.config.sdk_version.clone()),
            ],
            body,
        };
        Some(self.transport.send(request).await)
    }

    fn settle(&self, id: SegmentId, result: Option<Result<UploadResponse, TransportError>>, rng: &mut Jitter) {
        let counters = &self.control.counters;
        let Some(result) = result else { return };
        let forget = |schedule: &Mutex<Schedule>| {
            if let Ok(mut s) = schedule.lock() {
                s.retries.remove(&id);
            }
        };
        // Each outcome is counted before its segment leaves the queue, so that a drain that saw the
        // queue empty also sees the count.
        match outcome(&result) {
            Outcome::Delivered => {
                counters.delivered.fetch_add(1, Ordering::Relaxed);
                self.queue.remove(id);
                forget(&self.schedule);
            }
            Outcome::TooLarge => {
                counters.dropped_too_large.fetch_add(1, Ordering::Relaxed);
                self.queue.remove(id);
                forget(&self.schedule);
            }
            Outcome::Rejected(status) => {
                counters.last_rejection.store(u64::from(status), Ordering::Relaxed);
                counters.dropped_rejected.fetch_add(1, Ordering::Relaxed);
                self.queue.remove(id);
                forget(&self.schedule);
            }
            Outcome::Retry(retry_after) => {
                counters.retries.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut s) = self.schedule.lock() {
                    let attempts = s.retries.get(&id).map_or(0, |r| r.attempts) + 1;
                    let delay = match retry_after {
                        Some(delay) => delay.min(MAX_RETRY_AFTER),
                        None => rng.backoff(attempts, self.config.initial_backoff, self.config.max_backoff),
                    };
                    let at = Instant::now() + delay;
                    s.retries.insert(id, Retry { attempts, at, server_asked: retry_after.is_some() });
                }
            }
        }
        self.control.progress.notify_waiters();
    }
}

/// A small xorshift generator for backoff jitter.
struct Jitter(u64);

impl Jitter {
    fn seeded() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        Jitter(nanos | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Full jitter: a uniform delay up to `initial * 2^(attempts-1)`, capped at `max`.
    fn backoff(&mut self, attempts: u32, initial: Duration, max: Duration) -> Duration {
        let ceiling = initial.saturating_mul(1u32 << attempts.saturating_sub(1).min(20)).min(max);
        let millis = ceiling.as_millis().max(1) as u64;
        Duration::from_millis(self.next() % millis + 1)
    }
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

    #[test]
    fn answers_map_to_the_policy() {
        let answer = |status, retry_after| Ok(UploadResponse { status, retry_after });
        assert_eq!(outcome(&answer(200, None)), Outcome::Delivered);
        assert_eq!(outcome(&answer(201, None)), Outcome::Delivered);
        assert_eq!(outcome(&answer(408, None)), Outcome::Retry(None));
        assert_eq!(outcome(&answer(429, Some(Duration::from_secs(7)))), Outcome::Retry(Some(Duration::from_secs(7))));
        assert_eq!(outcome(&answer(503, None)), Outcome::Retry(None));
        assert_eq!(outcome(&answer(413, None)), Outcome::TooLarge);
        assert_eq!(outcome(&answer(401, None)), Outcome::Rejected(401));
        assert_eq!(outcome(&answer(422, None)), Outcome::Rejected(422));
        assert_eq!(outcome(&Err(TransportError("reset".into()))), Outcome::Retry(None));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_grows_and_stays_capped() {
        let mut jitter = Jitter(42);
        let (initial, max) = (Duration::from_millis(100), Duration::from_secs(2));
        for attempts in 1..40 {
            let ceiling = initial.saturating_mul(1 << (attempts - 1).min(20)).min(max);
            let delay = jitter.backoff(attempts, initial, max);
            assert!(delay <= ceiling && delay > Duration::ZERO, "{attempts}: {delay:?}");
        }
    }
}
