//! The [`Uploader`]: a small tokio runtime of its own, a task that takes the oldest segments from
//! the disk queue with at most `max_concurrency` in flight, settles each answer by the retry
//! policy, pauses offline, and drains on request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::config::{UploadConfig, UploadConfigError};
use super::retry::{Jitter, MAX_RETRY_AFTER, Outcome, outcome};
use super::transport::{ReqwestTransport, SEGMENT_CONTENT_TYPE, Transport, TransportError, UploadRequest, UploadResponse};
use crate::queue::DiskQueue;
use crate::recorder::LiveHandle;
use crate::segment::{SegmentHeader, SegmentId};

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
    /// Told when an answer says the session is watched live.
    live: Mutex<Option<LiveHandle>>,
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
            live: Mutex::new(None),
        });
        let schedule = Arc::new(Mutex::new(Schedule::default()));
        let wake = control.clone();
        queue.on_push(move || wake.wake.notify_one());
        let task = Task { control: control.clone(), queue: queue.clone(), schedule: schedule.clone(), transport, config, url };
        runtime.spawn(task.run());
        Ok(Uploader { control, queue, schedule, runtime: Mutex::new(Some(runtime)) })
    }

    /// Has answers that say the session is watched live mark `live` (the recorder's handle).
    pub fn on_live(&self, live: LiveHandle) {
        if let Ok(mut slot) = self.control.live.lock() {
            *slot = Some(live);
        }
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
        if let Ok(response) = &result
            && response.live
            && let Ok(live) = self.control.live.lock()
            && let Some(live) = live.as_ref()
        {
            live.mark();
        }
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
