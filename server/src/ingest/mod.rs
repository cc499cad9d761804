//! `POST /v1/segments`: authenticate, check the headers and sizes; before reading the body, refuse
//! another app's session and a sequence far past the session's, and answer a segment already
//! stored without decoding it again; read the body within its limit and the bodies-in-flight
//! permits; decode and validate it ([`validate`]) within the decode permits; claim the session,
//! store the segment once and index the copy that was stored. `docs/FORMAT.md` ("Upload
//! protocol") is the contract.

pub mod validate;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use reprise_core::{SegmentId, SessionId};
use serde::Serialize;

pub use validate::validate;

use crate::bearer::bearer;
use crate::error::IngestError;
use crate::index::{Owner, SegmentSummary};
use crate::state::AppState;
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
    /// Somebody watches the session live: the SDK seals short segments for a while. Sent as the
    /// `x-reprise-live: 1` header too (what the SDK reads); absent from the JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub live: bool,
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
        Ok(accepted) => {
            let live = accepted.live;
            let mut response = Json(accepted).into_response();
            if live {
                response.headers_mut().insert(reprise_core::live::LIVE_HEADER, axum::http::HeaderValue::from_static("1"));
            }
            response
        }
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
        && length > limits.max_body as u64
    {
        return Err(IngestError::BodyTooLarge { limit: limits.max_body });
    }
    let Checked { known, owned, live } = {
        let (state, upload) = (state.clone(), upload.clone());
        blocking(move || precheck(&state, &upload)).await?
    };
    let segment = upload.id.to_string();
    match known {
        Known::Stored => return Ok(Accepted { stored: false, segment, live }),
        Known::Unindexed => {
            index_from_store(state, &upload).await?;
            return Ok(Accepted { stored: false, segment, live });
        }
        Known::New => {}
    }
    // Bodies are bounded before they are read: at most `bodies_in_flight` at once, the rest
    // come back later.
    let Ok(_body) = state.bodies().try_acquire() else {
        state.counters().busy.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(IngestError::Busy);
    };
    let bytes: std::sync::Arc<[u8]> = tokio::time::timeout(limits.body_timeout, read_body(body, limits.max_body))
        .await
        .map_err(|_| IngestError::BodyTimeout(limits.body_timeout.as_secs()))??
        .into();
    // Decoding and analysing hold the decoded records: at most `concurrent_decodes` at once. The
    // permit is given back before the store's fsyncs, which hold only the body (counted by its
    // own permit).
    let summary = {
        let _permit = state.decodes().acquire().await.map_err(|_| IngestError::ShuttingDown)?;
        let (upload, bytes) = (upload.clone(), bytes.clone());
        blocking(move || validate(&upload, &bytes, &limits)).await?
    };
    let outcome = {
        let (state, upload) = (state.clone(), upload.clone());
        blocking(move || store_segment(&state, &upload, summary, &bytes, owned)).await?
    };
    if outcome == PutOutcome::Duplicate {
        // Another upload of this id won the race, maybe with other bytes: the index describes
        // the copy that is stored, whoever indexes first.
        index_from_store(state, &upload).await?;
    }
    Ok(Accepted { stored: outcome == PutOutcome::Stored, segment, live })
}

/// Indexes the stored copy of the upload's segment, under a decode permit (decoding it costs
/// what decoding an upload does).
async fn index_from_store(state: &AppState, upload: &UploadHeaders) -> Result<(), IngestError> {
    let _permit = state.decodes().acquire().await.map_err(|_| IngestError::ShuttingDown)?;
    let (state, upload) = (state.clone(), upload.clone());
    blocking(move || index_stored_copy(&state, &upload)).await
}

/// What ingest knows of a segment before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// Not stored yet: read, validate, store.
    New,
    /// Stored and indexed: a retry, answered at once.
    Stored,
    /// Stored but not indexed (a crash came between the two): indexed from the stored copy.
    Unindexed,
}

/// What the pre-check found.
struct Checked {
    known: Known,
    /// The session is the uploading app's already (no claim needed).
    owned: bool,
    /// Somebody watches the session live.
    live: bool,
}

/// Before the body: the session must not be erased, must be the uploading app's (or nobody's
/// yet), the sequence not far past what the session holds; then whether the segment is new,
/// stored, or stored but not indexed, and whether the session is watched live.
fn precheck(state: &AppState, upload: &UploadHeaders) -> Result<Checked, IngestError> {
    let id = upload.id;
    let session = state.index().session_state(id).map_err(storage)?;
    if session.erased {
        return Err(IngestError::SessionErased);
    }
    check_owner(&session.owner, &upload.app)?;
    let owned = session.owner != Owner::Unclaimed;
    let gap = state.limits().max_sequence_gap;
    let allowed = session.highest_sequence.map_or(0, |h| h.saturating_add(1)).saturating_add(gap);
    if id.sequence > allowed {
        return Err(IngestError::SequenceTooFar { sequence: id.sequence, allowed });
    }
    let known = if session.indexed {
        Known::Stored
    } else if state.store().contains(id).map_err(storage)? {
        Known::Unindexed
    } else {
        Known::New
    };
    Ok(Checked { known, owned, live: session.watched })
}

fn check_owner(owner: &Owner, app: &str) -> Result<(), IngestError> {
    match owner {
        Owner::App(owner) if owner != app => Err(IngestError::ForeignSession),
        _ => Ok(()),
    }
}

/// Runs blocking work (decoding, files, SQLite) off the async executor.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IngestError> + Send + 'static) -> Result<T, IngestError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| IngestError::Storage(format!("ingest task failed: {e}")))?
}

fn storage(e: impl std::fmt::Display) -> IngestError {
    IngestError::Storage(e.to_string())
}

/// Authentication, content type and the segment-identity headers, in that order.
pub fn check_headers(state: &AppState, headers: &HeaderMap) -> Result<UploadHeaders, IngestError> {
    let app = authenticate(state, headers)?;
    check_content_type(headers)?;
    // A segment is compressed already; a body encoded again would be stored as it came.
    if let Some(encoding) = headers.get(header::CONTENT_ENCODING)
        && !encoding.as_bytes().eq_ignore_ascii_case(b"identity")
    {
        return Err(IngestError::ContentEncoding(String::from_utf8_lossy(encoding.as_bytes()).into_owned()));
    }
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

/// Claims the session for the app unless the pre-check found it already the app's, stores the
/// segment, and indexes it when this upload stored it. Blocking: file and SQLite work.
fn store_segment(
    state: &AppState,
    upload: &UploadHeaders,
    summary: SegmentSummary,
    bytes: &[u8],
    owned: bool,
) -> Result<PutOutcome, IngestError> {
    if !owned {
        let owner = state.index().claim(upload.id.session, &upload.app).map_err(storage)?;
        if owner == Owner::Unclaimed {
            return Err(IngestError::SessionErased);
        }
        check_owner(&owner, &upload.app)?;
    }
    let outcome = state.store().put_if_absent(upload.id, bytes).map_err(storage)?;
    if outcome == PutOutcome::Stored {
        count_truncated(state, &summary);
        let counted = state.index().record(&summary).map_err(storage)?;
        if counted {
            state.analysis_wake().notify_one();
        } else if state.index().is_erased(upload.id.session).map_err(storage)? {
            // Erased while this upload was on its way: its tombstone kept the segment out of the
            // index, and the copy just stored goes too.
            state.store().delete(upload.id).map_err(storage)?;
            return Err(IngestError::SessionErased);
        }
    }
    Ok(outcome)
}

/// Indexes a stored segment from its stored bytes (idempotent: nothing changes when it is
/// indexed already).
fn index_stored_copy(state: &AppState, upload: &UploadHeaders) -> Result<(), IngestError> {
    let id = upload.id;
    let Some(stored) = state.store().get(id).map_err(storage)? else {
        return Err(IngestError::Storage(format!("segment {id} was listed but cannot be read")));
    };
    match validate(upload, &stored, &state.limits()) {
        Ok(summary) => {
            if state.index().record(&summary).map_err(storage)? {
                count_truncated(state, &summary);
                state.analysis_wake().notify_one();
            }
            Ok(())
        }
        Err(e) => {
            // Stored by an earlier version under other rules: kept, replayed as it can be.
            eprintln!("reprise: stored segment {id} no longer validates ({e}); not indexed");
            Ok(())
        }
    }
}

fn count_truncated(state: &AppState, summary: &SegmentSummary) {
    let counter = &state.counters().truncated_fields;
    counter.fetch_add(u64::from(summary.truncated_fields), std::sync::atomic::Ordering::Relaxed);
}
