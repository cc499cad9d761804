//! `POST /v1/segments`: authenticate, check the headers and sizes, read the body within its limit,
//! decode and validate the segment, then store and index it. `docs/FORMAT.md` ("Upload protocol")
//! is the contract.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use reprise_core::segment::SegmentHeader;
use reprise_core::{DecodeLimits, Record, SegmentId, SessionId, decode};
use serde::Serialize;

use crate::analysis::analyze_segment;
use crate::error::IngestError;
use crate::index::SegmentSummary;
use crate::server::AppState;
use crate::store::PutOutcome;

/// The media type of a segment upload.
pub const SEGMENT_CONTENT_TYPE: &str = "application/vnd.reprise.segment";
/// Header carrying the segment id, `<session uuid>-<sequence as 8 digits>`.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Header carrying the session UUID.
pub const SESSION_HEADER: &str = "x-reprise-session";
/// Header carrying the segment's sequence number.
pub const SEQUENCE_HEADER: &str = "x-reprise-sequence";
/// Header carrying the SDK version (optional).
pub const SDK_HEADER: &str = "x-reprise-sdk";
/// Longest SDK version accepted in [`SDK_HEADER`].
const MAX_SDK_LEN: usize = 64;

/// The JSON answer to an accepted upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accepted {
    /// True when this request stored the segment; false when it was already stored.
    pub stored: bool,
    /// The segment id.
    pub segment: String,
}

/// What the upload's headers say about the segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadHeaders {
    /// The app of the API key.
    pub app: String,
    /// The segment id the client claims.
    pub id: SegmentId,
    /// The SDK version, when sent.
    pub sdk: Option<String>,
}

/// The handler of `POST /v1/segments`.
pub async fn post_segment(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match ingest(&state, &headers, body).await {
        Ok(accepted) => Json(accepted).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn ingest(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Accepted, IngestError> {
    if state.is_draining() {
        return Err(IngestError::ShuttingDown);
    }
    let upload = check_headers(state, headers)?;
    let limits = state.limits();
    if let Some(length) = content_length(headers)?
        && length > limits.max_body as u64 {
            return Err(IngestError::BodyTooLarge { limit: limits.max_body });
        }
    let bytes = tokio::time::timeout(limits.body_timeout, read_body(body, limits.max_body))
        .await
        .map_err(|_| IngestError::BodyTimeout(limits.body_timeout.as_secs()))??;
    // The semaphore is never closed, so acquiring fails only if that changes.
    let _permit = state.decodes().acquire().await.map_err(|_| IngestError::ShuttingDown)?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || store_segment(&state, upload, &bytes))
        .await
        .map_err(|e| IngestError::Storage(format!("ingest task failed: {e}")))?
}

/// Authentication, content type and the segment-identity headers, in that order.
pub fn check_headers(state: &AppState, headers: &HeaderMap) -> Result<UploadHeaders, IngestError> {
    let app = authenticate(state, headers)?;
    check_content_type(headers)?;
    let session: SessionId = required(headers, SESSION_HEADER)?
        .parse()
        .map_err(|e| bad(SESSION_HEADER, format!("not a UUID: {e}")))?;
    let sequence_text = required(headers, SEQUENCE_HEADER)?;
    if sequence_text.is_empty() || !sequence_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(SEQUENCE_HEADER, "not a decimal number".into()));
    }
    let sequence: u32 = sequence_text.parse().map_err(|_| bad(SEQUENCE_HEADER, "out of range".into()))?;
    let id = SegmentId { session, sequence };
    let key = required(headers, IDEMPOTENCY_KEY)?;
    if !key.eq_ignore_ascii_case(&id.to_string()) {
        return Err(bad(IDEMPOTENCY_KEY, format!("must be {id}, the session and sequence headers as a segment id")));
    }
    let sdk = match optional(headers, SDK_HEADER)? {
        Some(v) if v.is_empty() || v.len() > MAX_SDK_LEN => {
            return Err(bad(SDK_HEADER, format!("must be 1 to {MAX_SDK_LEN} characters")));
        }
        v => v.map(str::to_owned),
    };
    Ok(UploadHeaders { app, id, sdk })
}

/// The credential of an `Authorization: Bearer <credential>` header (scheme in any case): `None`
/// without such a header, `Some("")` when its value is not text (it then matches nothing).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?;
    let Ok(value) = value.to_str() else { return Some("") };
    let (scheme, credential) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| credential.trim())
}

fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<String, IngestError> {
    let key = bearer(headers).ok_or(IngestError::MissingKey)?;
    state.keys().app_for(key).map(str::to_owned).ok_or(IngestError::UnknownKey)
}

fn check_content_type(headers: &HeaderMap) -> Result<(), IngestError> {
    let value = headers.get(header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let value = value.unwrap_or_default();
    let media_type = value.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case(SEGMENT_CONTENT_TYPE) {
        Ok(())
    } else {
        Err(IngestError::ContentType(value))
    }
}

fn content_length(headers: &HeaderMap) -> Result<Option<u64>, IngestError> {
    match optional(headers, header::CONTENT_LENGTH.as_str())? {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| bad("content-length", "not a number".into())),
    }
}

fn required<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, IngestError> {
    optional(headers, name)?.ok_or(IngestError::MissingHeader(name))
}

fn optional<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<&'a str>, IngestError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(|s| Some(s.trim())).map_err(|_| bad(name, "not visible ASCII".into())),
    }
}

fn bad(name: &'static str, reason: String) -> IngestError {
    IngestError::BadHeader { name, reason }
}

/// Reads the whole body, failing as soon as it grows past `limit` (chunked or not).
async fn read_body(mut body: Body, limit: usize) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| IngestError::BodyRead(e.to_string()))?;
        if let Ok(data) = frame.into_data() {
            append(&mut out, &data, limit)?;
        }
    }
    Ok(out)
}

fn append(out: &mut Vec<u8>, data: &Bytes, limit: usize) -> Result<(), IngestError> {
    if out.len() + data.len() > limit {
        return Err(IngestError::BodyTooLarge { limit });
    }
    out.extend_from_slice(data);
    Ok(())
}

/// Validates the segment against its headers and the limits, then stores and indexes it.
/// Blocking: decompression, file and SQLite work.
fn store_segment(state: &AppState, upload: UploadHeaders, bytes: &[u8]) -> Result<Accepted, IngestError> {
    let summary = validate(upload, bytes, state.limits().max_raw)?;
    let id = summary.id;
    let outcome = state.store().put_if_absent(id, bytes).map_err(|e| IngestError::Storage(e.to_string()))?;
    // Indexing is idempotent, so a duplicate is indexed too: that repairs the index if an earlier
    // attempt stored the segment and failed before indexing it.
    state.index().record(&summary).map_err(|e| IngestError::Storage(e.to_string()))?;
    Ok(Accepted { stored: outcome == PutOutcome::Stored, segment: id.to_string() })
}

/// Checks a segment completely and summarises it for the index: header (magic, version,
/// lengths, checksum), agreement with the upload headers, decompression within `max_raw`, every
/// record, the record count, and a Session record first.
pub fn validate(upload: UploadHeaders, bytes: &[u8], max_raw: usize) -> Result<SegmentSummary, IngestError> {
    let header = SegmentHeader::read(bytes)?;
    let id = header.id();
    if id.session != upload.id.session {
        return Err(IngestError::Mismatch {
            name: "X-Reprise-Session",
            header: upload.id.session.to_string(),
            segment: id.session.to_string(),
        });
    }
    if id.sequence != upload.id.sequence {
        return Err(IngestError::Mismatch {
            name: "X-Reprise-Sequence",
            header: upload.id.sequence.to_string(),
            segment: id.sequence.to_string(),
        });
    }
    let decoded = decode(bytes, DecodeLimits { max_raw_bytes: max_raw })?;
    let mut records = decoded.records.records.iter();
    let session = match records.next().map(|r| &r.record) {
        Some(Record::Session(info)) => info.clone(),
        _ => return Err(IngestError::Invalid("the first record must be the Session record")),
    };
    let mut user_id = session.user.user_id.clone();
    for record in records {
        if let Record::User(user) = &record.record
            && user.user_id.is_some() {
                user_id.clone_from(&user.user_id);
            }
    }
    // The analysis only adds findings: a bug in it must never refuse (or, answering 500, make
    // the SDK retry forever) a segment that is valid. It is stored without findings instead.
    let findings = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze_segment(id.session, id.sequence, decoded)))
        .unwrap_or_else(|_| {
            eprintln!("reprise: analysis of segment {id} failed; stored without findings");
            Vec::new()
        });
    Ok(SegmentSummary {
        id,
        app: upload.app,
        session,
        user_id,
        sdk_header: upload.sdk,
        start_ms: header.start_ms,
        end_ms: header.end_ms(),
        records: header.record_count,
        bytes: bytes.len() as u64,
        raw_bytes: u64::from(header.raw_len),
        findings,
    })
}
