//! The whole SDK in one object: a recorder writing into the durable disk queue, and an uploader
//! taking from it, with the app's lifecycle and connectivity routed to both. This is what the
//! platform bindings wrap.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use crate::config::RecorderConfig;
use crate::error::RecorderError;
use crate::event::{Event, Lifecycle, NetworkType};
use crate::queue::{DiskQueue, QueueConfig, QueueError, QueueStats, RecoveryReport};
use crate::recorder::{FlushReport, Recorder};
use crate::session::{SessionId, SessionMetadata};
use crate::stats::Stats;
use crate::upload::{Transport, UploadConfig, UploadConfigError, UploadStats, Uploader};

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
}

/// A running SDK: recorder, queue and uploader.
#[derive(Debug)]
pub struct Sdk {
    recorder: Recorder,
    queue: DiskQueue,
    uploader: Option<Uploader>,
    recovery: RecoveryReport,
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
        }
        Ok(Sdk { recorder, queue, uploader, recovery })
    }

    /// Records an event (see [`Recorder::record`]). Connectivity changes pause or resume uploads;
    /// coming to the foreground uploads what is queued; going to the background makes the worker
    /// seal and persist the open segment, which the uploader then sends. None of this blocks the
    /// caller (often the UI thread): an app that must know the segment is on disk before it is
    /// suspended calls [`Sdk::flush`] from a background task.
    pub fn record(&self, time_ms: i64, event: Event) -> Result<(), RecorderError> {
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
            Box::pin(async { Ok(UploadResponse { status: 200, retry_after: None }) })
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
}
