//! What every request handler shares ([`AppState`]): the keys, the player's and the admin's
//! tokens, the retention periods, the limits,
//! the store and the index, the permits that bound memory, the cache of decoded timelines,
//! counters, the storage check and the draining flag.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, Semaphore};

use crate::replay::TimelineCache;
use crate::config::{AccessToken, ApiKeys, Limits};
use crate::retention::Retention;
use crate::index::SessionIndex;
use crate::store::SegmentStore;

/// The shared state of one collector; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    keys: ApiKeys,
    access_token: AccessToken,
    admin_token: Option<AccessToken>,
    retention: Retention,
    limits: Limits,
    store: Arc<dyn SegmentStore>,
    index: SessionIndex,
    bodies: Semaphore,
    decodes: Semaphore,
    replays: Semaphore,
    timelines: TimelineCache,
    counters: Counters,
    health: Mutex<Option<(Instant, Result<(), String>)>>,
    draining: AtomicBool,
    analysis_wake: Notify,
}

/// What the collector counts and `/healthz` reports.
#[derive(Debug, Default)]
pub struct Counters {
    /// Metadata strings cut to `max_field_chars`.
    pub truncated_fields: AtomicU64,
    /// Uploads answered 503 because `bodies_in_flight` bodies were being received.
    pub busy: AtomicU64,
}

/// How long a storage check answers `/healthz` before it is made again.
const HEALTH_TTL: Duration = Duration::from_secs(2);

impl AppState {
    /// State over the given store and index.
    pub fn new(
        keys: ApiKeys,
        access_token: AccessToken,
        admin_token: Option<AccessToken>,
        retention: Retention,
        limits: Limits,
        store: Arc<dyn SegmentStore>,
        index: SessionIndex,
    ) -> Self {
        Self(Arc::new(Inner {
            keys,
            access_token,
            admin_token,
            retention,
            limits,
            store,
            index,
            bodies: Semaphore::new(limits.bodies_in_flight),
            decodes: Semaphore::new(limits.concurrent_decodes),
            replays: Semaphore::new(limits.concurrent_replays),
            timelines: TimelineCache::new(limits.replay_cache_bytes),
            counters: Counters::default(),
            health: Mutex::new(None),
            draining: AtomicBool::new(false),
            analysis_wake: Notify::new(),
        }))
    }

    /// The accepted API keys.
    pub fn keys(&self) -> &ApiKeys {
        &self.0.keys
    }

    /// The player's access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.0.access_token
    }

    /// The admin endpoints' token, when they are open.
    pub fn admin_token(&self) -> Option<&AccessToken> {
        self.0.admin_token.as_ref()
    }

    /// How long sessions are kept.
    pub fn retention(&self) -> &Retention {
        &self.0.retention
    }

    /// Recently decoded timelines.
    pub fn timelines(&self) -> &TimelineCache {
        &self.0.timelines
    }

    /// The limits.
    pub fn limits(&self) -> Limits {
        self.0.limits
    }

    /// The segment store.
    pub fn store(&self) -> &dyn SegmentStore {
        self.0.store.as_ref()
    }

    /// The session index.
    pub fn index(&self) -> &SessionIndex {
        &self.0.index
    }

    /// Permits to receive an upload body; at most `bodies_in_flight` are out at once.
    pub fn bodies(&self) -> &Semaphore {
        &self.0.bodies
    }

    /// Permits to decode and store; at most `concurrent_decodes` are out at once.
    pub fn decodes(&self) -> &Semaphore {
        &self.0.decodes
    }

    /// Permits to decode a session for replay; at most `concurrent_replays` are out at once.
    pub fn replays(&self) -> &Semaphore {
        &self.0.replays
    }

    /// Wakes this collector's analysis worker (a segment was queued).
    pub fn analysis_wake(&self) -> &Notify {
        &self.0.analysis_wake
    }

    /// The counters.
    pub fn counters(&self) -> &Counters {
        &self.0.counters
    }

    /// Whether the server is shutting down (uploads get 503).
    pub fn is_draining(&self) -> bool {
        self.0.draining.load(Ordering::Acquire)
    }

    /// Starts refusing new uploads with 503, so that clients retry later.
    pub fn begin_shutdown(&self) {
        self.0.draining.store(true, Ordering::Release);
    }

    /// Whether the store can take a segment now (blocking), checked at most every [`HEALTH_TTL`].
    pub fn storage_health(&self) -> Result<(), String> {
        let mut cached = self.0.health.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((at, result)) = cached.as_ref()
            && at.elapsed() < HEALTH_TTL
        {
            return result.clone();
        }
        let result = self.store().check_writable().map_err(|e| e.to_string());
        *cached = Some((Instant::now(), result.clone()));
        result
    }
}
