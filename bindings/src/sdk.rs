//! `Reprise`, the exported object: one running SDK (recorder, disk queue, uploader).
//!
//! Every method is guarded: input errors come back as [`RepriseError`], and a panic inside the
//! core becomes `RepriseError::Internal` instead of unwinding into the host app. Pause and
//! resume live here (the core has no such state): while paused, record calls return at once
//! and are counted in `Stats::ignored_paused`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use reprise_core::{self as core, Event, Sdk};

use crate::buffer;
use crate::error::{RepriseError, guard};
use crate::log::{LogSink, Logger};
use crate::transport::{ForeignTransport, HttpTransport};
use crate::types::{
    Attribute, AttributeValue, Config, FlushResult, Lifecycle, LogLevel, NetworkRequest, NetworkType, Orientation,
    SessionMetadata, Stats, TouchSample, ViewTree,
};

/// A running Reprise SDK. Thread-safe: record from any thread.
#[derive(Debug, uniffi::Object)]
pub struct Reprise {
    sdk: Sdk,
    paused: AtomicBool,
    stopped: AtomicBool,
    ignored_paused: AtomicU64,
    log: Logger,
}

#[uniffi::export]
impl Reprise {
    /// Starts recording a session: opens the disk queue (recovering what a previous run left)
    /// and, when `config.upload` is set, starts uploading through `transport` (the platform's
    /// HTTP stack) or the built-in one.
    #[uniffi::constructor]
    pub fn start(
        config: Config,
        metadata: SessionMetadata,
        now_ms: i64,
        transport: Option<Arc<dyn HttpTransport>>,
        log: Option<Arc<dyn LogSink>>,
    ) -> Result<Arc<Self>, RepriseError> {
        guard(|| {
            let log = Logger(log);
            let transport = transport.map(|inner| {
                Arc::new(ForeignTransport { inner, log: log.clone() }) as Arc<dyn core::Transport>
            });
            let sdk = Sdk::start_with_transport(config.into(), metadata.into(), now_ms, transport).map_err(|e| {
                let e = RepriseError::from(e);
                log.log(LogLevel::Error, || format!("start failed: {e}"));
                e
            })?;
            log.log(LogLevel::Info, || format!("session {} started", sdk.session_id()));
            Ok(Arc::new(Reprise {
                sdk,
                paused: AtomicBool::new(false),
                stopped: AtomicBool::new(false),
                ignored_paused: AtomicU64::new(0),
                log,
            }))
        })
    }

    /// Records a batch of raw touch samples (a frame's worth crosses the boundary once).
    pub fn record_touches(&self, samples: Vec<TouchSample>) -> Result<(), RepriseError> {
        let time_ms = samples.first().map_or(0, |s| s.time_us.div_euclid(1000));
        self.record(time_ms, || Event::Touches(samples.into_iter().map(Into::into).collect()))
    }

    /// Records a view-hierarchy snapshot given as records; masked before this returns.
    pub fn record_snapshot(&self, time_ms: i64, tree: ViewTree) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::Snapshot(tree.into()))
    }

    /// Records a view-hierarchy snapshot packed as the compact buffer (docs/FORMAT.md, "FFI
    /// snapshot buffer"); masked before this returns.
    pub fn record_snapshot_buffer(&self, time_ms: i64, buffer: Vec<u8>) -> Result<(), RepriseError> {
        if self.is_paused() {
            self.ignored_paused.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        guard(|| {
            let tree = buffer::decode(&buffer).inspect_err(|e| {
                self.log.log(LogLevel::Warning, || format!("record refused: {e}"));
            })?;
            self.record_now(time_ms, Event::Snapshot(tree))
        })
    }

    /// Records that a screen was shown.
    pub fn record_screen_view(&self, time_ms: i64, name: String) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::ScreenView { name })
    }

    /// Records a lifecycle transition (background persists what was recorded).
    pub fn record_lifecycle(&self, time_ms: i64, lifecycle: Lifecycle) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::Lifecycle(lifecycle.into()))
    }

    /// Records a connectivity change (offline pauses uploads).
    pub fn record_connectivity(&self, time_ms: i64, network: NetworkType) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::Connectivity(network.into()))
    }

    /// Records a viewport change (rotation, window resize).
    pub fn record_viewport(
        &self,
        time_ms: i64,
        width_px: u32,
        height_px: u32,
        density: f32,
        orientation: Orientation,
    ) -> Result<(), RepriseError> {
        self.record(time_ms, || {
            Event::Viewport(core::Viewport { width_px, height_px, density, orientation: orientation.into() })
        })
    }

    /// Records the soft keyboard showing or hiding.
    pub fn record_keyboard(&self, time_ms: i64, visible: bool, height_px: f32) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::Keyboard { visible, height_px })
    }

    /// Records an app-defined event.
    pub fn record_custom_event(
        &self,
        time_ms: i64,
        name: String,
        attributes: Vec<Attribute>,
    ) -> Result<(), RepriseError> {
        self.record(time_ms, || {
            Event::Custom(core::CustomEvent {
                name,
                attributes: attributes.into_iter().map(|a| (a.key, a.value.into())).collect(),
            })
        })
    }

    /// Records a breadcrumb.
    pub fn record_breadcrumb(&self, time_ms: i64, level: LogLevel, message: String) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::Breadcrumb(core::Breadcrumb { level: level.into(), message }))
    }

    /// Records a network request summary.
    pub fn record_network(&self, time_ms: i64, request: NetworkRequest) -> Result<(), RepriseError> {
        self.record(time_ms, || Event::Network(request.into()))
    }

    /// Sets (or clears) the user id of this session.
    pub fn set_user_id(&self, user_id: Option<String>) {
        self.sdk.recorder().set_user_id(user_id);
    }

    /// Sets a user attribute.
    pub fn set_attribute(&self, key: String, value: AttributeValue) {
        self.sdk.recorder().set_attribute(key, value.into());
    }

    /// Stops recording until `resume`; record calls return at once meanwhile.
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    /// Records again after `pause`.
    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }

    /// Whether recording is paused.
    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Seals and persists what was recorded, and starts uploading it without waiting.
    pub fn flush(&self) -> Result<FlushResult, RepriseError> {
        guard(|| {
            let report = self.sdk.flush()?;
            Ok(FlushResult { persisted: report.persisted, failed: report.failed })
        })
    }

    /// Flushes, then waits up to `timeout_ms` for the uploads; returns the segments still queued.
    pub fn flush_and_upload(&self, timeout_ms: u64) -> Result<u64, RepriseError> {
        guard(|| Ok(self.sdk.flush_and_upload(Duration::from_millis(timeout_ms))?))
    }

    /// Counters of the recorder, queue and uploader.
    pub fn stats(&self) -> Stats {
        Stats::from_core(self.sdk.stats(), self.ignored_paused.load(Ordering::Relaxed))
    }

    /// The current session's id (UUID text).
    pub fn session_id(&self) -> String {
        self.sdk.session_id().to_string()
    }

    /// Flushes and stops recording and uploading; what is not uploaded stays queued for the next
    /// start. Later record calls fail with `Stopped`. Idempotent.
    pub fn stop(&self) -> Result<FlushResult, RepriseError> {
        guard(|| {
            if self.stopped.swap(true, Ordering::SeqCst) {
                return Ok(FlushResult { persisted: 0, failed: 0 });
            }
            let report = self.sdk.shutdown()?;
            self.log.log(LogLevel::Info, || format!("session {} stopped", self.sdk.session_id()));
            Ok(FlushResult { persisted: report.persisted, failed: report.failed })
        })
    }
}

impl Reprise {
    fn record(&self, time_ms: i64, event: impl FnOnce() -> Event) -> Result<(), RepriseError> {
        if self.is_paused() {
            self.ignored_paused.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        guard(|| self.record_now(time_ms, event()))
    }

    fn record_now(&self, time_ms: i64, event: Event) -> Result<(), RepriseError> {
        self.sdk.record(time_ms, event).map_err(|e| {
            let e = RepriseError::from(e);
            self.log.log(LogLevel::Warning, || format!("record refused: {e}"));
            e
        })
    }
}

impl Drop for Reprise {
    /// Closing the foreign object stops the SDK (flushing what was recorded).
    fn drop(&mut self) {
        if !self.stopped.swap(true, Ordering::SeqCst) {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.sdk.shutdown()));
        }
    }
}

/// Proves the panic guard from the foreign side: panics inside the SDK and returns the typed
/// `RepriseError::Internal` the guard makes of it. Used by the Kotlin and Swift FFI-safety tests.
#[uniffi::export]
pub fn diagnostic_panic(message: String) -> Result<(), RepriseError> {
    guard(|| panic!("{message}"))
}

/// The version of the native library.
#[uniffi::export]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
