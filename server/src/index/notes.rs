//! Notes and bookmarks people leave on a session: text, a creation time, and optionally a moment
//! (`at_ms`, which makes the note a bookmark). They live in the index beside the session's row,
//! at most [`MAX_NOTES_PER_SESSION`] per session: the insert counts in the same statement, so a
//! full session refuses the next note whatever else is being written.

use reprise_core::SessionId;
use serde::Serialize;

use super::SessionIndex;
use super::database::Stmt;
use crate::error::IndexError;

/// Most notes (bookmarks included) one session holds.
pub const MAX_NOTES_PER_SESSION: usize = 200;

/// A note on a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Its id (16 hex digits, random).
    pub note_id: String,
    /// What it says.
    pub text: String,
    /// The moment it is about, Unix ms: set, the note is a bookmark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<i64>,
    /// When it was written, Unix ms.
    pub created_ms: i64,
}

/// Whether a note was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// It was stored.
    Stored(Note),
    /// The session holds [`MAX_NOTES_PER_SESSION`] notes already.
    Full,
}

/// A note is numbered after the session's last (`seq`), so that notes written in one millisecond
/// still list in the order they were written.
const INSERT: &str = "INSERT INTO notes (session_id, note_id, seq, text, at_ms, created_ms) \
     SELECT ?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM notes WHERE session_id = ?1), ?3, ?4, ?5 \
     WHERE (SELECT count(*) FROM notes WHERE session_id = ?1) < ?6";
const INSERT_NO_MOMENT: &str = "INSERT INTO notes (session_id, note_id, seq, text, at_ms, created_ms) \
     SELECT ?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM notes WHERE session_id = ?1), ?3, NULL, ?4 \
     WHERE (SELECT count(*) FROM notes WHERE session_id = ?1) < ?5";
/// Two writers at once may draw one `seq` (PostgreSQL reads the last under its own snapshot): the
/// time and the id then break the tie, so the order is still the same on every read.
const LIST: &str =
    "SELECT note_id, text, at_ms, created_ms FROM notes WHERE session_id = ?1 ORDER BY seq, created_ms, note_id";
const DELETE: &str = "DELETE FROM notes WHERE session_id = ?1 AND note_id = ?2";

impl SessionIndex {
    /// Adds `note` to `session` unless it holds [`MAX_NOTES_PER_SESSION`] already.
    pub fn add_note(&self, session: SessionId, note: Note) -> Result<Added, IndexError> {
        let limit = (MAX_NOTES_PER_SESSION as i64).into();
        let mut params = vec![session.to_string().into(), note.note_id.as_str().into(), note.text.as_str().into()];
        let sql = match note.at_ms {
            Some(at) => {
                params.push(at.into());
                INSERT
            }
            None => INSERT_NO_MOMENT,
        };
        params.extend([note.created_ms.into(), limit]);
        let stmt = Stmt::new(sql, params);
        Ok(if self.db.execute(stmt)? == 1 { Added::Stored(note) } else { Added::Full })
    }

    /// The notes of `session`, in the order they were written.
    pub fn notes(&self, session: SessionId) -> Result<Vec<Note>, IndexError> {
        let rows = self.db.query(Stmt::new(LIST, vec![session.to_string().into()]))?;
        rows.iter()
            .map(|row| Ok(Note { note_id: row.text(0)?, text: row.text(1)?, at_ms: row.opt_int(2)?, created_ms: row.int(3)? }))
            .collect()
    }

    /// Deletes note `note_id` of `session`; whether there was one.
    pub fn delete_note(&self, session: SessionId, note_id: &str) -> Result<bool, IndexError> {
        Ok(self.db.execute(Stmt::new(DELETE, vec![session.to_string().into(), note_id.into()]))? == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(n: usize, at_ms: Option<i64>) -> Note {
        Note { note_id: format!("{n:016x}"), text: format!("note {n}"), at_ms, created_ms: 1_000 + n as i64 }
    }

    #[test]
    fn notes_are_kept_listed_deleted_and_bounded_per_session() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = crate::index::tests::test_index(dir.path());
        let (a, b) = (SessionId::new_v7(1_700_000_000_000), SessionId::new_v7(1_700_000_000_001));
        for n in 0..MAX_NOTES_PER_SESSION {
            let at = (n % 2 == 0).then_some(5_000 + n as i64);
            assert_eq!(index.add_note(a, note(n, at)).expect("add"), Added::Stored(note(n, at)));
        }
        assert_eq!(index.add_note(a, note(999, None)).expect("add"), Added::Full, "the limit holds without a moment");
        assert_eq!(index.add_note(a, note(998, Some(1))).expect("add"), Added::Full, "and with one");
        assert!(matches!(index.add_note(b, note(0, None)).expect("add"), Added::Stored(_)), "another session has its own");
        let listed = index.notes(a).expect("list");
        assert_eq!(listed.len(), MAX_NOTES_PER_SESSION);
        assert_eq!((listed[0].at_ms, listed[1].at_ms), (Some(5_000), None));
        assert!(index.delete_note(a, &note(0, None).note_id).expect("delete"));
        assert!(!index.delete_note(a, &note(0, None).note_id).expect("delete"), "gone already");
        assert!(!index.delete_note(b, &note(1, None).note_id).expect("delete"), "not that session's");
        assert!(matches!(index.add_note(a, note(999, None)).expect("add"), Added::Stored(_)), "room again after a delete");
    }

    #[test]
    fn notes_written_in_one_millisecond_list_in_the_order_they_were_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = crate::index::tests::test_index(dir.path());
        let session = SessionId::new_v7(1_700_000_000_000);
        // Ids that sort against the writing order, one creation time for all.
        let same_ms = |n: usize| Note { created_ms: 1_000, ..note(100 - n, (n == 1).then_some(7)) };
        for n in 0..4 {
            assert!(matches!(index.add_note(session, same_ms(n)).expect("add"), Added::Stored(_)));
        }
        let ids = |notes: Vec<Note>| notes.into_iter().map(|n| n.note_id).collect::<Vec<_>>();
        assert_eq!(ids(index.notes(session).expect("list")), ids((0..4).map(same_ms).collect()));
        assert!(index.delete_note(session, &same_ms(3).note_id).expect("delete"));
        assert!(index.delete_note(session, &same_ms(0).note_id).expect("delete"));
        index.add_note(session, same_ms(4)).expect("add");
        let expected = [1, 2, 4].map(same_ms).to_vec();
        assert_eq!(ids(index.notes(session).expect("list")), ids(expected), "after deletes, a new note still lists last");
    }
}
