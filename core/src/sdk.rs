//! The whole SDK in one object: a recorder writing into the durable disk queue, and an uploader
//! taking from it, with the app's lifecycle and connectivity routed to both, and pause and resume.
//! The platform bindings (`bindings/src/sdk.rs`) wrap it; [`SdkOptions`] is how they configure it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use thiserror::Error;

use crate::config::RecorderConfig;
use crate::recorder::RecorderError;
use crate::event::{Event, Lifecycle, NetworkType};
use crate::mask::MaskMode;
use crate::queue::{DiskQueue, QueueConfig, QueueError, QueueStats, RecoveryReport};
use crate::recorder::{FlushReport, Recorder};
use crate::session::{SessionId, SessionMetadata};
use crate::stats::Stats;
use crate::upload::{Transport, UploadConfig, UploadConfigError, UploadOptions, UploadStats, Uploader};

/// Everything the SDK needs to start.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkConfig {
    /// The app's private data directory; the queue lives in `reprise/queue` under it.
    pub data_dir: PathBuf,
    /// How sessions are captured.
    pub recorder: RecorderConfig,
    /// Limits of the disk queue.
    pub queue: QueueConfig,
    /// Where to upload; `None` records and persists without uploading.
    pub upload: Option<UploadConfig>,
}

/// The SDK's settings as an app gives them (across the FFI): the data directory, and every tuning
/// setting left `None` for the core's default (`SdkConfig::from` fills them in).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SdkOptions {
    /// The app's private data directory; the queue lives in `reprise/queue` under it.
    pub data_dir: String,
    /// Which text is masked (the default masks everything: fail closed).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub mask_mode: Option<MaskMode>,
    /// Whether image content is allowed; by default images are recorded as placeholders.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub allow_images: Option<bool>,
    /// Fraction of sessions recorded, 0 to 1.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sample_rate: Option<f64>,
    /// Longest time between keyframes, in milliseconds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub keyframe_interval_ms: Option<u64>,
    /// Longest time a segment stays open, in milliseconds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_segment_age_ms: Option<u64>,
    /// Most bytes the disk queue keeps.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_queue_bytes: Option<u64>,
    /// Oldest age of a queued segment, in milliseconds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_queue_age_ms: Option<u64>,
    /// Where and how to upload; `None` records and persists without uploading.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub upload: Option<UploadOptions>,
}

impl From<SdkOptions> for SdkConfig {
    /// The options with every unset setting at the core's default.
    fn from(o: SdkOptions) -> Self {
        let mut recorder = RecorderConfig::default();
        if let Some(mode) = o.mask_mode {
            recorder.privacy.mode = mode;
        }
        if let Some(allow) = o.allow_images {
            recorder.privacy.allow_images = allow;
        }
        if let Some(rate) = o.sample_rate {
            recorder.sample_rate = rate;
        }
        if let Some(ms) = o.keyframe_interval_ms {
            recorder.keyframe_interval = Duration::from_millis(ms);
        }
        if let Some(ms) = o.max_segment_age_ms {
            recorder.max_segment_age = Duration::from_millis(ms);
        }
        let mut queue = QueueConfig::default();
        if let Some(bytes) = o.max_queue_bytes {
            queue.max_bytes = bytes;
        }
        if let Some(ms) = o.max_queue_age_ms {
            queue.max_age = Duration::from_millis(ms);
        }
        SdkConfig { data_dir: o.data_dir.into(), recorder, queue, upload: o.upload.map(UploadConfig::from) }
    }
}

/// Why the SDK could not start.
#[derive(Debug, Error)]
pub enum SdkError {
    /// The recorder's configuration is invalid.
    #[error(transparent)]
    Recorder(#[from] RecorderError),
    /// The queue could not be opened.
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// The upload configuration is invalid.
    #[error(transparent)]
    Upload(#[from] UploadConfigError),
}

/// Counters of every part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SdkStats {
    /// The recorder's.
    pub recorder: Stats,
    /// The queue's.
    pub queue: QueueStats,
    /// The uploader's (zero when not uploading).
    pub upload: UploadStats,
    /// Events recorded while paused, and so ignored.
    pub ignored_paused: u64,
}

/// A running SDK: recorder, queue and uploader.
#[derive(Debug)]
pub struct Sdk {
    recorder: Recorder,
    queue: DiskQueue,
    uploader: Option<Uploader>,
    recovery: RecoveryReport,
    paused: AtomicBool,
    ignored_paused: AtomicU64,
}

impl Sdk {
    /// Opens the queue (recovering what a previous run left), starts the recorder on it and,
    /// when configured, the uploader.
    pub fn start(config: SdkConfig, metadata: SessionMetadata, now_ms: i64) -> Result<Sdk, SdkError> {
        Sdk::start_with_transport(config, metadata, now_ms, None)
    }

    /// Like [`Sdk::start`], uploading through `transport` (a platform's HTTP stack) instead of
    /// the default reqwest transport when one is given.
    pub fn start_with_transport(
        config: SdkConfig,
        metadata: SessionMetadata,
        now_ms: i64,
        transport: Option<Arc<dyn Transport>>,
    ) -> Result<Sdk, SdkError> {
        config.recorder.validate().map_err(RecorderError::from)?;
        if let Some(upload) = &config.upload {
            upload.validate()?;
        }
        let dir = config.data_dir.join("reprise").join("queue");
        let (queue, recovery) = DiskQueue::open(dir, config.queue, now_ms)?;
        let online = metadata.network != NetworkType::Offline;
        let recorder = Recorder::start(config.recorder, metadata, now_ms, Box::new(queue.clone()))?;
        let uploader = match config.upload {
            Some(upload) => Some(match transport {
                Some(transport) => Uploader::start_with(queue.clone(), upload, transport)?,
                None => Uploader::start(queue.clone(), upload)?,
            }),
            None => None,
        };
        if let Some(uploader) = &uploader {
            uploader.set_online(online);
            uploader.on_live(recorder.live_handle());
        }
        Ok(Sdk { recorder, queue, uploader, recovery, paused: AtomicBool::new(false), ignored_paused: AtomicU64::new(0) })
    }

    /// Records an event (see [`Recorder::record`]). Connectivity changes pause or resume uploads;
    /// coming to the foreground uploads what is queued; going to the background makes the worker
    /// seal and persist the open segment, which the uploader then sends. None of this blocks the
    /// caller (often the UI thread): an app that must know the segment is on disk before it is
    /// suspended calls [`Sdk::flush`] from a background task. While paused, the event is ignored
    /// and counted in [`SdkStats::ignored_paused`].
    pub fn record(&self, time_ms: i64, event: Event) -> Result<(), RecorderError> {
        if self.is_paused() {
            self.ignored_paused.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let route = match &event {
            Event::Connectivity(network) => Route::Online(*network != NetworkType::Offline),
            Event::Lifecycle(Lifecycle::Foreground) => Route::Wake,
            Event::Lifecycle(Lifecycle::Background | Lifecycle::Terminate) => Route::Persist,
            _ => Route::None,
        };
        self.recorder.record(time_ms, event)?;
        match (route, &self.uploader) {
            (Route::Online(online), Some(uploader)) => uploader.set_online(online),
            (Route::Wake, Some(uploader)) => uploader.wake(),
            // The worker seals on this event; the queue wakes the uploader when the segment lands.
            (Route::Persist, Some(uploader)) => uploader.wake(),
            _ => {}
        }
        Ok(())
    }

    /// Stops recording until [`Sdk::resume`]: [`Sdk::record`] ignores events meanwhile.
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    /// Records again after [`Sdk::pause`].
    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }

    /// Whether recording is paused.
    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Seals and persists what was recorded, then starts uploading it without waiting.
    pub fn flush(&self) -> Result<FlushReport, RecorderError> {
        let report = self.recorder.flush()?;
        if let Some(uploader) = &self.uploader {
            uploader.wake();
        }
        Ok(report)
    }

    /// Flushes, then waits up to `timeout` for the queue to empty; returns the segments still
    /// queued (all of them when not uploading).
    pub fn flush_and_upload(&self, timeout: Duration) -> Result<u64, RecorderError> {
        self.recorder.flush()?;
        Ok(match &self.uploader {
            Some(uploader) => uploader.drain(timeout),
            None => self.queue.stats().segments,
        })
    }

    /// The recorder, for user ids, attributes and the session id.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// The current session's id.
    pub fn session_id(&self) -> SessionId {
        self.recorder.session_id()
    }

    /// What opening the queue found.
    pub fn recovery(&self) -> RecoveryReport {
        self.recovery
    }

    /// Counters of every part.
    pub fn stats(&self) -> SdkStats {
        SdkStats {
            recorder: self.recorder.stats(),
            queue: self.queue.stats(),
            upload: self.uploader.as_ref().map(Uploader::stats).unwrap_or_default(),
            ignored_paused: self.ignored_paused.load(Ordering::Relaxed),
        }
    }

    /// Flushes and stops recording and uploading; what is not uploaded stays queued for the
    /// next start.
    pub fn shutdown(&self) -> Result<FlushReport, RecorderError> {
        let report = self.recorder.shutdown();
        if let Some(uploader) = &self.uploader {
            uploader.shutdown();
        }
        report
    }
}

/// Where an event must also go.
#[derive(Debug, Clone, Copy)]
enum Route {
    None,
    Online(bool),
    Wake,
    Persist,
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::upload::{SendFuture, UploadRequest, UploadResponse};

    /// Accepts everything and counts the requests.
    #[derive(Default)]
    struct Counting(AtomicU32);

    impl Transport for Counting {
        fn send(&self, _request: UploadRequest) -> SendFuture<'_> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(UploadResponse { status: 200, retry_after: None, live: false }) })
        }
    }

    #[test]
    fn a_custom_transport_carries_the_uploads() {
        let dir = tempfile::tempdir().unwrap();
        let config = SdkConfig {
            data_dir: dir.path().to_owned(),
            recorder: RecorderConfig::default(),
            queue: QueueConfig::default(),
            upload: Some(UploadConfig {
                endpoint: "http://127.0.0.1:9".into(),
                api_key: "k".into(),
                ..Default::default()
            }),
        };
        let transport = Arc::new(Counting::default());
        let sdk = Sdk::start_with_transport(config, SessionMetadata::default(), 1_700_000_000_000, Some(transport.clone()))
            .unwrap();
        sdk.record(1_700_000_000_010, Event::ScreenView { name: "Feed".into() }).unwrap();
        assert_eq!(sdk.flush_and_upload(Duration::from_secs(10)).unwrap(), 0);
        assert!(transport.0.load(Ordering::SeqCst) >= 1);
        assert_eq!(sdk.stats().upload.delivered, 1);
        sdk.shutdown().unwrap();
    }

    #[test]
    fn paused_events_are_ignored_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let options = SdkOptions { data_dir: dir.path().to_string_lossy().into_owned(), ..Default::default() };
        let sdk = Sdk::start(options.into(), SessionMetadata::default(), 1_700_000_000_000).unwrap();
        sdk.record(1_700_000_000_001, Event::ScreenView { name: "a".into() }).unwrap();
        sdk.pause();
        assert!(sdk.is_paused());
        sdk.record(1_700_000_000_002, Event::ScreenView { name: "b".into() }).unwrap();
        sdk.resume();
        sdk.record(1_700_000_000_003, Event::ScreenView { name: "c".into() }).unwrap();
        sdk.flush().unwrap();
        assert_eq!(sdk.stats().ignored_paused, 1);
        assert_eq!(sdk.stats().recorder.events, 2);
        sdk.shutdown().unwrap();
    }

    #[test]
    fn unset_options_take_the_core_defaults() {
        let config = SdkConfig::from(SdkOptions {
            data_dir: "/data".into(),
            upload: Some(UploadOptions { endpoint: "https://c.example".into(), api_key: "k".into(), ..Default::default() }),
            ..Default::default()
        });
        assert_eq!(config.recorder, RecorderConfig::default());
        assert_eq!(config.queue, QueueConfig::default());
        let upload = UploadConfig { endpoint: "https://c.example".into(), api_key: "k".into(), ..Default::default() };
        assert_eq!(config.upload, Some(upload));
        let set = SdkConfig::from(SdkOptions { sample_rate: Some(0.5), max_queue_bytes: Some(1024), ..Default::default() });
        assert_eq!((set.recorder.sample_rate, set.queue.max_bytes), (0.5, 1024));
    }
}
