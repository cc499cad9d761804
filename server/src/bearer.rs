//! The credential of an `Authorization: Bearer` header, shared by ingest (API keys) and the
//! replay API (the access token).

use axum::http::{HeaderMap, header};

/// The credential of an `Authorization: Bearer <credential>` header (scheme in any case): `None`
/// without such a header, `Some("")` when its value is not text (it then matches nothing).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?;
    let Ok(value) = value.to_str() else { return Some("") };
    let (scheme, credential) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| credential.trim())
}
