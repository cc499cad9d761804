//! The admin endpoints, behind their own token (`--admin-token`; closed without one):
//!
//! - `DELETE /v1/admin/users/{user_id}[?app=APP]` erases every session of a user (the right to
//!   erasure) and reports what was deleted;
//! - `DELETE /v1/admin/sessions/{id}` erases one session.
//!
//! `crate::erasure` says how a session is erased; this collector also drops it from its replay
//! cache at once (the others do when they see its tombstone).

use axum::extract::{Path, RawQuery, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::delete;
use axum::{Json, Router};
use reprise_core::SessionId;

use crate::api::blocking;
use crate::api::params::{Params, SessionPath};
use crate::bearer::bearer;
use crate::erasure::{self, ErasureReport};
use crate::error::ApiError;
use crate::index::ErasureReason;
use crate::state::AppState;

/// Longest user id an erasure request takes (the SDK's own limit on user ids is lower).
pub const MAX_USER_ID_LEN: usize = 1024;

/// The admin routes, each requiring the admin token.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/admin/users/{user_id}", delete(erase_user))
        .route("/v1/admin/sessions/{id}", delete(erase_session))
        .route_layer(middleware::from_fn_with_state(state, require_admin))
        .layer(middleware::map_response(crate::api::no_store))
}

/// Lets the request through only with the admin token; 403 when none is configured.
async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(admin) = state.admin_token() else { return ApiError::AdminClosed.into_response() };
    match bearer(request.headers()) {
        None => ApiError::MissingToken.into_response(),
        Some(token) if admin.matches(token) => next.run(request).await,
        Some(_) => ApiError::BadToken.into_response(),
    }
}

async fn erase_user(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<ErasureReport>, ApiError> {
    let params = Params::parse(query.as_deref(), &["app"])?;
    if user_id.is_empty() || user_id.len() > MAX_USER_ID_LEN {
        return Err(ApiError::bad("user_id", format!("must be 1 to {MAX_USER_ID_LEN} bytes")));
    }
    let app = params.text("app");
    let worker = state.clone();
    let report = blocking(move || Ok(erasure::erase_user(worker.store(), worker.index(), &user_id, app.as_deref())?)).await?;
    forget(&state, &report);
    Ok(Json(report))
}

async fn erase_session(State(state): State<AppState>, SessionPath(id): SessionPath) -> Result<Json<ErasureReport>, ApiError> {
    let session: SessionId = id.parse().map_err(|_| ApiError::UnknownSession(id.clone()))?;
    let worker = state.clone();
    let report = blocking(move || {
        if worker.index().session(session)?.is_none() && !worker.index().is_erased(session)? {
            return Err(ApiError::UnknownSession(session.to_string()));
        }
        Ok(erasure::erase_sessions(worker.store(), worker.index(), &[session], ErasureReason::Request)?)
    })
    .await?;
    forget(&state, &report);
    Ok(Json(report))
}

/// Drops the erased sessions from this collector's replay cache.
pub fn forget(state: &AppState, report: &ErasureReport) {
    for erased in &report.sessions {
        if let Ok(id) = erased.session_id.parse() {
            state.timelines().forget(id);
        }
    }
}
