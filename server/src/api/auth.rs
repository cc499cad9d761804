//! The access token guard of the replay API: `Authorization: Bearer <token>`, compared in
//! constant time. Ingest keys do not open it.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::bearer::bearer;
use crate::state::AppState;

/// Lets the request through only with the player's access token.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match bearer(request.headers()) {
        None => ApiError::MissingToken.into_response(),
        Some(token) if state.access_token().matches(token) => next.run(request).await,
        Some(_) => ApiError::BadToken.into_response(),
    }
}
