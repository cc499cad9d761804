//! Where segments are kept: the [`SegmentStore`] trait, [`DirStore`] (a local directory, the
//! default) and [`S3Store`] (an S3-compatible object store that several collectors share),
//! chosen by [`StoreLocation`].
//!
//! The trait is the shape an object store has (a conditional "put if absent", a get, a listing
//! by prefix, a delete). Its methods block and may be called from any thread; the HTTP layer
//! calls them from `spawn_blocking`. Both stores lay segments out alike:
//! `segments/<session-uuid>/<sequence as 8 digits>.seg`, as files or as object keys.

pub mod dir;
pub mod s3;

use reprise_core::{SegmentId, SessionId};

use crate::error::StoreError;

pub use dir::DirStore;
pub use s3::{S3Config, S3Store};

/// The folder (or key prefix) that holds every session's segments.
pub const SEGMENTS: &str = "segments";

/// What a put did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The segment was new and is now durably stored.
    Stored,
    /// A segment with this id was already stored; nothing was written.
    Duplicate,
}

/// A durable home for segments, keyed by segment id.
pub trait SegmentStore: Send + Sync + 'static {
    /// Stores `bytes` under `id` unless something is stored there already. When this returns
    /// [`PutOutcome::Stored`] the bytes survive a crash or power loss. Of concurrent puts of one
    /// id, exactly one returns `Stored`.
    fn put_if_absent(&self, id: SegmentId, bytes: &[u8]) -> Result<PutOutcome, StoreError>;

    /// The bytes stored under `id`, if any.
    fn get(&self, id: SegmentId) -> Result<Option<Vec<u8>>, StoreError>;

    /// The ids stored for `session`, by sequence.
    fn list_session(&self, session: SessionId) -> Result<Vec<SegmentId>, StoreError>;

    /// The sessions that have at least one stored segment, sorted (for the commands that read a
    /// whole store: `reprise inspect`).
    fn sessions(&self) -> Result<Vec<SessionId>, StoreError>;

    /// Whether a segment is stored under `id`, without reading it.
    fn contains(&self, id: SegmentId) -> Result<bool, StoreError>;

    /// Removes the segment stored under `id`; removing one that is not there is not an error.
    /// Returns whether something was removed.
    fn delete(&self, id: SegmentId) -> Result<bool, StoreError>;

    /// Where the segments are, for messages (never a secret).
    fn describe(&self) -> String;

    /// Whether a segment could be stored now: `Err` when the store cannot write (a full disk, a
    /// read-only mount, an unreachable service).
    fn check_writable(&self) -> Result<(), StoreError>;
}

/// Where segments are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StoreLocation {
    /// The embedded default: files under `segments/` in the data directory.
    #[default]
    Embedded,
    /// An S3-compatible bucket.
    S3(Box<S3Config>),
}

/// The key of a segment relative to the store's root: `segments/<session>/<sequence>.seg`.
pub fn segment_key(id: SegmentId) -> String {
    format!("{SEGMENTS}/{}/{}", id.session, file_name(id.sequence))
}

/// The key prefix of a session's segments: `segments/<session>/`.
pub fn session_prefix(session: SessionId) -> String {
    format!("{SEGMENTS}/{session}/")
}

/// The file (or last key part) of a segment: its sequence as 8 digits, `.seg`.
pub fn file_name(sequence: u32) -> String {
    format!("{sequence:08}.seg")
}

/// The session of a key relative to the store's root (`segments/<session>/...`), if it is one.
pub fn session_of_key(key: &str) -> Option<SessionId> {
    key.strip_prefix(SEGMENTS)?.strip_prefix('/')?.split('/').next()?.parse().ok()
}

/// The sequence of a segment file name (`00000042.seg`); temporary files do not parse.
pub fn parse_file_name(name: &str) -> Option<u32> {
    let digits = name.strip_suffix(".seg")?;
    if digits.len() < 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_parse_only_segments() {
        assert_eq!(parse_file_name("00000042.seg"), Some(42));
        assert_eq!(parse_file_name("4294967295.seg"), Some(u32::MAX));
        assert_eq!(parse_file_name(".00000042.1.0.tmp"), None);
        assert_eq!(parse_file_name("42.seg"), None);
    }

    #[test]
    fn keys_follow_the_directory_layout() {
        let id = SegmentId { session: SessionId::new_v7(1_700_000_000_000), sequence: 42 };
        assert_eq!(segment_key(id), format!("segments/{}/00000042.seg", id.session));
        assert!(segment_key(id).starts_with(&session_prefix(id.session)));
        assert_eq!(session_of_key(&segment_key(id)), Some(id.session));
        assert_eq!(session_of_key("segments/not-a-uuid/00000001.seg"), None);
        assert_eq!(session_of_key("probe/x"), None);
    }
}
