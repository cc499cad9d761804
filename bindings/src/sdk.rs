//! `Reprise`, the exported object: one running core [`Sdk`] (recorder, disk queue, uploader).
//!
//! The records and enums it takes are the core's own (`reprise-core` with its `uniffi` feature);
//! the only FFI types written here are those whose shape differs from the core's: [`Stats`] (the
//! parts' counters in one flat record), and [`Attribute`] and [`AttributeValue`] (the core keeps
//! attributes as `(String, AttributeValue)` pairs, which UniFFI cannot express).
//!
//! Every method is guarded: input errors come back as [`RepriseError`], and a panic inside the
//! core becomes `RepriseError::Internal` instead of unwinding into the host app.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reprise_core::{
    self as core, Event, FlushReport, Lifecycle, LogLevel, NetworkRequest, NetworkType, Orientation, Sdk, SdkOptions,
    SessionMetadata, TouchSample, ViewTree,
};

use crate::error::{RepriseError, guard};
use crate::log::{LogSink, Logger};
use crate::transport::{ForeignTransport, HttpTransport};

/// A running Reprise SDK. Thread-safe: record from any thread.
#[derive(Debug, uniffi::Object)]
pub struct Reprise {
    sdk: Sdk,
    stopped: AtomicBool,
    log: Logger,
}

#[uniffi::export]
impl Reprise {
    /// Starts recording a session: opens the disk queue (recovering what a previous run left)
    /// and, when `config.upload` is set, starts uploading through `transport` (the platform's
    /// HTTP stack) or the built-in one. Settings left unset take the core's defaults.
    #[uniffi::constructor]
    pub fn start(
        config: SdkOptions,
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
            let sdk = Sdk::start_with_transport(config.into(), metadata, now_ms, transport).map_err(|e| {
                let e = RepriseError::from(e);
                log.log(LogLevel::Error, || format!("start failed: {e}"));
                e
            })?;
            log.log(LogLevel::Info, || format!("session {} started", sdk.session_id()));
            Ok(Arc::new(Reprise { sdk, stopped: AtomicBool::new(false), log }))
        })
    }

    /// Records a batch of raw touch samples (a frame's worth crosses the boundary once).
    pub fn record_touches(&self, samples: Vec<TouchSample>) -> Result<(), RepriseError> {
        let time_ms = samples.first().map_or(0, |s| s.time_us.div_euclid(1000));
        self.record(time_ms, Event::Touches(samples))
    }

    /// Records a view-hierarchy snapshot; masked before this returns.
    pub fn record_snapshot(&self, time_ms: i64, tree: ViewTree) -> Result<(), RepriseError> {
        self.record(time_ms, Event::Snapshot(tree))
    }

    /// Records that a screen was shown.
    pub fn record_screen_view(&self, time_ms: i64, name: String) -> Result<(), RepriseError> {
        self.record(time_ms, Event::ScreenView { name })
    }

    /// Records a lifecycle transition (background persists what was recorded).
    pub fn record_lifecycle(&self, time_ms: i64, lifecycle: Lifecycle) -> Result<(), RepriseError> {
        self.record(time_ms, Event::Lifecycle(lifecycle))
    }

    /// Records a connectivity change (offline pauses uploads).
    pub fn record_connectivity(&self, time_ms: i64, network: NetworkType) -> Result<(), RepriseError> {
        self.record(time_ms, Event::Connectivity(network))
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
        self.record(time_ms, Event::Viewport(core::Viewport { width_px, height_px, density, orientation }))
    }

    /// Records the soft keyboard showing or hiding.
    pub fn record_keyboard(&self, time_ms: i64, visible: bool, height_px: f32) -> Result<(), RepriseError> {
        self.record(time_ms, Event::Keyboard { visible, height_px })
    }

    /// Records an app-defined event.
    pub fn record_custom_event(
        &self,
        time_ms: i64,
        name: String,
        attributes: Vec<Attribute>,
    ) -> Result<(), RepriseError> {
        let attributes = attributes.into_iter().map(|a| (a.key, a.value.into())).collect();
        self.record(time_ms, Event::Custom(core::CustomEvent { name, attributes }))
    }

    /// Records a breadcrumb.
    pub fn record_breadcrumb(&self, time_ms: i64, level: LogLevel, message: String) -> Result<(), RepriseError> {
        self.record(time_ms, Event::Breadcrumb(core::Breadcrumb { level, message }))
    }

    /// Records a network request summary.
    pub fn record_network(&self, time_ms: i64, request: NetworkRequest) -> Result<(), RepriseError> {
        self.record(time_ms, Event::Network(request))
    }

    /// Sets (or clears) the user id of this session.
    pub fn set_user_id(&self, user_id: Option<String>) {
        self.sdk.recorder().set_user_id(user_id);
    }

    /// Sets a user attribute.
    pub fn set_attribute(&self, key: String, value: AttributeValue) {
        self.sdk.recorder().set_attribute(key, value.into());
    }

    /// Stops recording until `resume`; record calls return at once meanwhile ([`Sdk::pause`]).
    pub fn pause(&self) {
        self.sdk.pause();
    }

    /// Records again after `pause`.
    pub fn resume(&self) {
        self.sdk.resume();
    }

    /// Whether recording is paused.
    pub fn is_paused(&self) -> bool {
        self.sdk.is_paused()
    }

    /// Seals and persists what was recorded, and starts uploading it without waiting.
    pub fn flush(&self) -> Result<FlushReport, RepriseError> {
        guard(|| Ok(self.sdk.flush()?))
    }

    /// Flushes, then waits up to `timeout_ms` for the uploads; returns the segments still queued.
    pub fn flush_and_upload(&self, timeout_ms: u64) -> Result<u64, RepriseError> {
        guard(|| Ok(self.sdk.flush_and_upload(Duration::from_millis(timeout_ms))?))
    }

    /// Counters of the recorder, queue and uploader.
    pub fn stats(&self) -> Stats {
        self.sdk.stats().into()
    }

    /// The current session's id (UUID text).
    pub fn session_id(&self) -> String {
        self.sdk.session_id().to_string()
    }

    /// Flushes and stops recording and uploading; what is not uploaded stays queued for the next
    /// start. Later record calls fail with `Stopped`. Idempotent.
    pub fn stop(&self) -> Result<FlushReport, RepriseError> {
        guard(|| {
            if self.stopped.swap(true, Ordering::SeqCst) {
                return Ok(FlushReport::default());
            }
            let report = self.sdk.shutdown()?;
            self.log.log(LogLevel::Info, || format!("session {} stopped", self.sdk.session_id()));
            Ok(report)
        })
    }
}

impl Reprise {
    fn record(&self, time_ms: i64, event: Event) -> Result<(), RepriseError> {
        guard(|| {
            self.sdk.record(time_ms, event).map_err(|e| {
                let e = RepriseError::from(e);
                self.log.log(LogLevel::Warning, || format!("record refused: {e}"));
                e
            })
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

/// A custom event's or user's attribute value.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum AttributeValue {
    /// Text.
    Text {
        /// The value.
        value: String,
    },
    /// A whole number.
    Int {
        /// The value.
        value: i64,
    },
    /// A number.
    Float {
        /// The value.
        value: f64,
    },
    /// A flag.
    Bool {
        /// The value.
        value: bool,
    },
}

impl From<AttributeValue> for core::AttributeValue {
    fn from(v: AttributeValue) -> Self {
        match v {
            AttributeValue::Text { value } => core::AttributeValue::String(value),
            AttributeValue::Int { value } => core::AttributeValue::Int(value),
            AttributeValue::Float { value } => core::AttributeValue::Float(value),
            AttributeValue::Bool { value } => core::AttributeValue::Bool(value),
        }
    }
}

/// A named attribute of a custom event.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Attribute {
    /// The key.
    pub key: String,
    /// The value.
    pub value: AttributeValue,
}

/// Counters of the recorder, queue and uploader, flattened from the core's [`core::SdkStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Stats {
    /// Events accepted.
    pub events: u64,
    /// Records written.
    pub records: u64,
    /// Snapshots processed.
    pub snapshots: u64,
    /// Keyframes written.
    pub keyframes: u64,
    /// Diffs written.
    pub diffs: u64,
    /// Snapshots equal to the previous one.
    pub unchanged_snapshots: u64,
    /// Segments sealed.
    pub segments: u64,
    /// Sealed bytes.
    pub compressed_bytes: u64,
    /// Events dropped under overload (snapshots and others).
    pub dropped_overload: u64,
    /// Snapshots refused as invalid.
    pub dropped_invalid_snapshots: u64,
    /// Events dropped by an internal error.
    pub dropped_internal: u64,
    /// Events recorded while paused (ignored).
    pub ignored_paused: u64,
    /// Segments waiting in the disk queue.
    pub queued_segments: u64,
    /// Bytes in the disk queue.
    pub queued_bytes: u64,
    /// Segments the collector accepted.
    pub uploaded_segments: u64,
    /// Upload retries.
    pub upload_retries: u64,
}

impl From<core::SdkStats> for Stats {
    fn from(s: core::SdkStats) -> Self {
        Stats {
            events: s.recorder.events,
            records: s.recorder.records,
            snapshots: s.recorder.snapshots,
            keyframes: s.recorder.keyframes,
            diffs: s.recorder.diffs,
            unchanged_snapshots: s.recorder.unchanged_snapshots,
            segments: s.recorder.segments,
            compressed_bytes: s.recorder.compressed_bytes,
            dropped_overload: s.recorder.dropped_overload_snapshots + s.recorder.dropped_overload_events,
            dropped_invalid_snapshots: s.recorder.dropped_invalid_snapshots,
            dropped_internal: s.recorder.dropped_internal,
            ignored_paused: s.ignored_paused,
            queued_segments: s.queue.segments,
            queued_bytes: s.queue.bytes,
            uploaded_segments: s.upload.delivered,
            upload_retries: s.upload.retries,
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
