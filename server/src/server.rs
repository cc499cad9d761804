//! The HTTP server: routes, the header-size guard, `/healthz`, start and graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::admin;
use crate::analysis_worker;
use crate::api;
use crate::assets;
use crate::connections::{self, ConnectionLimits, fit_connections};
use crate::config::{AccessToken, IndexLocation, ServerConfig, check_limits};
use crate::token_file::load_or_create_token;
use crate::error::{IngestError, StartError, StoreError};
use crate::index::SessionIndex;
use crate::index::postgres::PostgresDb;
use crate::ingest::post_segment;
use crate::state::AppState;
use crate::store::{DirStore, S3Store, SegmentStore, StoreLocation};
use crate::sweeper;

/// The collector's routes: `POST /v1/segments`, `GET /healthz`, the replay API under
/// `/v1/sessions` (behind the access token), the player's static files, and JSON 404/405 for the
/// rest, all behind the header-size guard.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/segments", post(post_segment))
        .route("/healthz", get(healthz))
        .merge(api::routes(state.clone()))
        .merge(admin::routes(state.clone()))
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
    let reader = state.clone();
    let backlog = tokio::task::spawn_blocking(move || reader.index().analysis_backlog()).await.ok().and_then(Result::ok);
    let counters = json!({
        "truncated_fields": state.counters().truncated_fields.load(Ordering::Relaxed),
        "busy": state.counters().busy.load(Ordering::Relaxed),
        "analysis_pending": backlog.map(|b| b.pending),
        "analysis_failed": backlog.map(|b| b.failed),
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

/// Checks the limits and the configured token, then binds the address.
async fn bind(config: &ServerConfig) -> Result<tokio::net::TcpListener, StartError> {
    check_limits(&config.limits)?;
    if let Some(token) = &config.access_token {
        token.check_against(&config.keys)?;
    }
    tokio::net::TcpListener::bind(config.listen).await.map_err(|source| StartError::Bind { addr: config.listen, source })
}

/// A collector running on a Tokio runtime.
pub struct RunningServer {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    upkeep: JoinHandle<()>,
    analyst: JoinHandle<()>,
}

impl RunningServer {
    /// Binds the configured address, then opens the configured store and index (the data
    /// directory's by default) and starts serving. Nothing is written before the address is bound.
    pub async fn start(config: ServerConfig) -> Result<Self, StartError> {
        let listener = bind(&config).await?;
        let store: Arc<dyn SegmentStore> = match &config.store {
            StoreLocation::Embedded => Arc::new(DirStore::open(&config.data_dir)?),
            StoreLocation::S3(s3) => Arc::new(S3Store::open(s3)?),
        };
        Self::serve_on(listener, config, store).await
    }

    /// Starts serving with the given segment store (the configured one is not opened).
    pub async fn start_with_store(config: ServerConfig, store: Arc<dyn SegmentStore>) -> Result<Self, StartError> {
        let listener = bind(&config).await?;
        Self::serve_on(listener, config, store).await
    }

    async fn serve_on(listener: tokio::net::TcpListener, config: ServerConfig, store: Arc<dyn SegmentStore>) -> Result<Self, StartError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StoreError::Io {
            op: "create",
            path: config.data_dir.clone(),
            source,
        })?;
        let access_token = match config.access_token {
            Some(token) => token,
            None => load_or_create_token(&config.data_dir)?,
        };
        access_token.check_against(&config.keys)?;
        let index = match &config.index {
            IndexLocation::Embedded => SessionIndex::open(&config.data_dir)?,
            IndexLocation::Postgres(url) => SessionIndex::over(PostgresDb::connect(url)?),
        };
        if let Some(admin) = &config.admin_token {
            admin.check_admin(&access_token, &config.keys)?;
        }
        let state = AppState::new(config.keys, access_token, config.admin_token, config.retention, config.limits, store, index);
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
        let upkeep = sweeper::spawn(state.clone());
        let analyst = analysis_worker::spawn(state.clone());
        Ok(Self { addr, state, stop: Some(stop), task, upkeep, analyst })
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

    /// Waits until the analysis queue is empty (every indexed segment analysed), or `timeout`
    /// passed: what a test or the demo does before it reads findings.
    pub async fn analysis_settled(&self, timeout: std::time::Duration) -> Result<(), crate::error::IndexError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let reader = self.state.clone();
            let backlog = tokio::task::spawn_blocking(move || reader.index().analysis_backlog())
                .await
                .map_err(|_| crate::error::IndexError::Closed)??;
            if backlog.pending == 0 || tokio::time::Instant::now() >= deadline {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
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
        self.upkeep.abort();
        self.analyst.abort();
        self.task.await.map_err(std::io::Error::other)
    }
}
