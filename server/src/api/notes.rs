//! `GET|POST /v1/sessions/{id}/notes` and `DELETE /v1/sessions/{id}/notes/{note_id}`: notes and
//! bookmarks on a session, behind the access token like the rest of the API. A note's text is
//! 1 to [`MAX_NOTE_CHARS`] characters; a bookmark's moment (`at_ms`) lies within the session's
//! recorded span; a session holds at most `index::notes::MAX_NOTES_PER_SESSION` (409 beyond).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use reprise_core::SessionId;
use serde::{Deserialize, Serialize};

use super::blocking;
use crate::error::ApiError;
use crate::index::notes::{Added, MAX_NOTES_PER_SESSION, Note};
use crate::state::AppState;

/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The largest request body taken, bytes (a note of the longest text in 4-byte characters fits).
pub const MAX_NOTE_BODY_BYTES: usize = 16 * 1024;

/// What `POST` takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// What it says.
    pub text: String,
    /// The moment it is about (a bookmark), Unix ms.
    #[serde(default)]
    pub at_ms: Option<i64>,
}

/// The answer of `GET`.
#[derive(Debug, Serialize)]
pub struct NoteList {
    /// The notes, oldest first.
    pub notes: Vec<Note>,
}

fn session_of(id: &str) -> Result<SessionId, ApiError> {
    id.parse().map_err(|_| ApiError::UnknownSession(id.to_owned()))
}

/// The session's index row, or 404.
fn known(state: &AppState, id: SessionId) -> Result<crate::index::SessionRow, ApiError> {
    state.index().session(id)?.ok_or_else(|| ApiError::UnknownSession(id.to_string()))
}

/// `GET /v1/sessions/{id}/notes`.
pub async fn list(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<NoteList>, ApiError> {
    let id = session_of(&id)?;
    blocking(move || {
        known(&state, id)?;
        Ok(Json(NoteList { notes: state.index().notes(id)? }))
    })
    .await
}

/// `POST /v1/sessions/{id}/notes`: 201 with the note stored.
pub async fn add(State(state): State<AppState>, Path(id): Path<String>, body: Body) -> Result<(StatusCode, Json<Note>), ApiError> {
    let id = session_of(&id)?;
    let bytes = axum::body::to_bytes(body, MAX_NOTE_BODY_BYTES)
        .await
        .map_err(|_| ApiError::BadBody(format!("the body is over {MAX_NOTE_BODY_BYTES} bytes, or was cut")))?;
    let new: NewNote = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::BadBody(format!("expected {{\"text\": \"...\", \"at_ms\": optional}}: {e}")))?;
    let text = new.text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiError::BadBody("the note's text is empty".into()));
    }
    let chars = text.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(ApiError::BadBody(format!("the note is {chars} characters; at most {MAX_NOTE_CHARS}")));
    }
    let note_id = new_note_id()?;
    blocking(move || {
        let row = known(&state, id)?;
        if let Some(at) = new.at_ms
            && !(row.start_ms..=row.end_ms).contains(&at)
        {
            return Err(ApiError::BadBody(format!(
                "at_ms {at} lies outside the session's recording ({} to {} ms)",
                row.start_ms, row.end_ms
            )));
        }
        let created_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        match state.index().add_note(id, Note { note_id, text, at_ms: new.at_ms, created_ms })? {
            Added::Stored(note) => Ok((StatusCode::CREATED, Json(note))),
            Added::Full => Err(ApiError::TooManyNotes(MAX_NOTES_PER_SESSION)),
        }
    })
    .await
}

/// `DELETE /v1/sessions/{id}/notes/{note_id}`: 204, or 404 when there is no such note.
pub async fn delete(State(state): State<AppState>, Path((id, note_id)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    let id = session_of(&id)?;
    blocking(move || {
        known(&state, id)?;
        if state.index().delete_note(id, &note_id)? { Ok(StatusCode::NO_CONTENT) } else { Err(ApiError::UnknownNote(note_id)) }
    })
    .await
}

/// 16 random hex digits.
fn new_note_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness for a note id: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
