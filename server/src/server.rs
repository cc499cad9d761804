//! The HTTP server: routes, shared state, the header-size guard, start and graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;

use crate::api::{self, TimelineCache};
use crate::assets;
use crate::connections::{self, ConnectionLimits, fit_connections};
use crate::config::{AccessToken, ApiKeys, Limits, ServerConfig, check_limits};
use crate::error::{IngestError, StartError, StoreError};
use crate::index::SessionIndex;
use crate::ingest::post_segment;
use crate::store::{DirStore, SegmentStore};

/// What every request handler shares: keys, the player's token, limits, the store, the index,
/// the permits that bound memory, the cache of decoded timelines, counters and the draining flag.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    keys: ApiKeys,
    access_token: AccessToken,
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
        limits: Limits,
        store: Arc<dyn SegmentStore>,
        index: SessionIndex,
    ) -> Self {
        Self(Arc::new(Inner {
            keys,
            access_token,
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

/// The collector's routes: `POST /v1/segments`, `GET /healthz`, the replay API under
/// `/v1/sessions` (behind the access token), the player's static files, and JSON 404/405 for the
/// rest, all behind the header-size guard.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/segments", post(post_segment))
        .route("/healthz", get(healthz))
        .merge(api::routes(state.clone()))
        .merge(assets::routes())
        .fallback(|| async { IngestError::NotFound })
        .method_not_allowed_fallback(|| async { IngestError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), limit_header_size))
        .layer(middleware::map_response(no_sniff))
        .with_state(state)
}

/// Every answer is what its Content-Type says.
async fn no_sniff(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, axum::http::HeaderValue::from_static("nosniff"));
    response
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.is_draining() {
        return IngestError::ShuttingDown.into_response();
    }
    let probe = state.clone();
    let storage = tokio::task::spawn_blocking(move || probe.storage_health())
        .await
        .unwrap_or_else(|e| Err(format!("storage check failed: {e}")));
    let counters = json!({
        "truncated_fields": state.counters().truncated_fields.load(Ordering::Relaxed),
        "busy": state.counters().busy.load(Ordering::Relaxed),
    });
    match storage {
        Ok(()) => Json(json!({ "status": "ok", "counters": counters })).into_response(),
        Err(reason) => {
            eprintln!("reprise: storage check failed: {reason}");
            let body = json!({ "status": "storage_failing", "reason": "the segment store cannot write; see the collector's log", "counters": counters });
            (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "30")], Json(body)).into_response()
        }
    }
}

/// Refuses requests whose header names and values add up to more than the limit (431, JSON).
/// Far larger header blocks never get here: hyper refuses them with its own bare 431.
async fn limit_header_size(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let size: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    let limit = state.limits().max_header_bytes;
    if size > limit {
        return IngestError::HeadersTooLarge { size, limit }.into_response();
    }
    next.run(request).await
}

/// A collector running on a Tokio runtime.
pub struct RunningServer {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// Opens the store and index under the configured data directory and starts serving.
    pub async fn start(config: ServerConfig) -> Result<Self, StartError> {
        let store = Arc::new(DirStore::open(&config.data_dir)?);
        Self::start_with_store(config, store).await
    }

    /// Starts serving with the given segment store; the index still lives in the data directory.
    pub async fn start_with_store(config: ServerConfig, store: Arc<dyn SegmentStore>) -> Result<Self, StartError> {
        check_limits(&config.limits)?;
        let access_token = match config.access_token {
            Some(token) => token,
            None => AccessToken::generate()?,
        };
        access_token.check_against(&config.keys)?;
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StoreError::Io {
            op: "create",
            path: config.data_dir.clone(),
            source,
        })?;
        let index = SessionIndex::open(&config.data_dir)?;
        let state = AppState::new(config.keys, access_token, config.limits, store, index);
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartError::Bind { addr: config.listen, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: config.listen, source })?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let limits = state.limits();
        let connections = ConnectionLimits {
            max_connections: fit_connections(limits.max_connections),
            header_timeout: limits.header_timeout,
            buffer_bytes: limits.connection_buffer_bytes(),
        };
        if connections.max_connections < limits.max_connections {
            eprintln!(
                "reprise: serving at most {} connections at once (the open-file limit allows no more than --max-connections {})",
                connections.max_connections, limits.max_connections
            );
        }
        let task = tokio::spawn(connections::serve(listener, app, connections, stopped));
        Ok(Self { addr, state, stop: Some(stop), task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its shared state (store, index, limits).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The session index.
    pub fn index(&self) -> &SessionIndex {
        self.state.index()
    }

    /// The player's access token (the configured one, or the one generated at start).
    pub fn access_token(&self) -> &AccessToken {
        self.state.access_token()
    }

    /// Starts refusing uploads with 503 without stopping yet.
    pub fn begin_shutdown(&self) {
        self.state.begin_shutdown();
    }

    /// Refuses new uploads, stops accepting connections, lets requests in progress finish, and
    /// returns when every connection is closed.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        self.state.begin_shutdown();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.map_err(std::io::Error::other)
    }
}
