//! The typed errors of the core.

use std::time::Duration;

use thiserror::Error;

/// A configuration setting out of range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// The sample rate must be between 0 and 1.
    #[error("sample rate must be between 0 and 1, got {0}")]
    SampleRate(f64),
    /// The keyframe interval is too short.
    #[error("keyframe interval must be at least 100 ms, got {0:?}")]
    KeyframeInterval(Duration),
    /// The segment size is out of range.
    #[error("segment size must be between 4 KiB and 16 MiB, got {0} bytes")]
    SegmentSize(usize),
    /// The segment age is too short.
    #[error("segment age must be at least 1 s, got {0:?}")]
    SegmentAge(Duration),
    /// The memory budget cannot hold a segment and pending events.
    #[error("buffer of {buffer} bytes must be at least twice the segment size of {segment} bytes")]
    BufferTooSmall {
        /// The configured buffer size.
        buffer: usize,
        /// The configured segment size.
        segment: usize,
    },
    /// The zstd level is out of range.
    #[error("zstd level must be between 1 and 19, got {0}")]
    ZstdLevel(i32),
    /// The inactivity timeout is zero.
    #[error("inactivity timeout must be more than zero")]
    InactivityTimeout,
    /// The maximum session duration is too short.
    #[error("maximum session duration must be at least 60 s, got {0:?}")]
    SessionDuration(Duration),
    /// The maximum text length is zero.
    #[error("maximum text length must be at least 1 character")]
    MaxTextChars,
    /// The maximum node count is zero.
    #[error("maximum node count must be at least 1")]
    MaxNodes,
    /// A gesture setting is out of range.
    #[error(transparent)]
    Gesture(#[from] crate::gesture::GestureConfigError),
}

/// A view tree whose structure cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnapshotError {
    /// The tree has no nodes.
    #[error("the view tree is empty")]
    Empty,
    /// The first node has a parent.
    #[error("the first node must be the root and have no parent")]
    RootHasParent,
    /// A node other than the first has no parent.
    #[error("node {index} has no parent, but only the first node may be a root")]
    SecondRoot {
        /// The node's index.
        index: u32,
    },
    /// A parent comes at or after its child: a forward reference, a self-reference or a cycle.
    #[error("node {index} names node {parent} as parent, but a parent must come before its child (a cycle?)")]
    ParentAfterChild {
        /// The node's index.
        index: u32,
        /// The parent index it named.
        parent: u32,
    },
}

/// Why bytes could not be read as a segment. Decoding never panics, whatever the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Fewer bytes than a header and checksum.
    #[error("segment too short: {0} bytes")]
    TooShort(usize),
    /// The bytes do not start with the segment magic.
    #[error("not a Reprise segment (bad magic)")]
    BadMagic,
    /// A major format version this reader does not know.
    #[error("unsupported segment format version {major}.{minor}; this reader understands {supported}.x")]
    UnsupportedVersion {
        /// The segment's major version.
        major: u8,
        /// The segment's minor version.
        minor: u8,
        /// The major version this reader understands.
        supported: u8,
    },
    /// The body length in the header does not match the bytes.
    #[error("segment length mismatch: header says {declared} body bytes, {actual} present")]
    Length {
        /// What the header declares.
        declared: usize,
        /// What is there.
        actual: usize,
    },
    /// The checksum does not match: the segment is corrupt.
    #[error("segment checksum mismatch: stored {stored:08x}, computed {computed:08x}")]
    Checksum {
        /// The CRC32 stored in the segment.
        stored: u32,
        /// The CRC32 of the bytes.
        computed: u32,
    },
    /// The body would decompress to more than the reader allows.
    #[error("segment body of {declared} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The size declared or reached.
        declared: usize,
        /// The limit.
        limit: usize,
    },
    /// The body is not a valid zstd frame, or does not match its declared size.
    #[error("segment body does not decompress: {0}")]
    Decompress(String),
    /// A record's framing is cut short.
    #[error("record {index} is truncated")]
    Truncated {
        /// The record's position in the segment.
        index: u32,
    },
    /// A record of a known kind does not decode.
    #[error("record {index} (kind {kind}) is malformed: {reason}")]
    Record {
        /// The record's position in the segment.
        index: u32,
        /// Its kind.
        kind: u64,
        /// What the record decoder said.
        reason: String,
    },
    /// More records than the reader accepts.
    #[error("segment holds {declared} records; the limit is {limit}")]
    TooManyRecords {
        /// What the header declares (or how many were found so far).
        declared: u32,
        /// The limit.
        limit: u32,
    },
    /// One record's payload is larger than the reader accepts.
    #[error("record {index} has {len} bytes; the limit is {limit}")]
    RecordTooLarge {
        /// Its position.
        index: u32,
        /// Its payload size.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The decoded records would hold more memory than the reader accepts.
    #[error("decoding record {index} would hold more than {limit} bytes of records")]
    DecodedTooLarge {
        /// The record that crossed the limit.
        index: u32,
        /// The limit.
        limit: usize,
    },
    /// The header's record count differs from the records found.
    #[error("header says {declared} records, body holds {actual}")]
    RecordCount {
        /// What the header declares.
        declared: u32,
        /// What the body holds.
        actual: u32,
    },
}

/// A record that cannot be applied to the replayed state.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplayError {
    /// A diff arrived before any keyframe.
    #[error("diff without a preceding keyframe")]
    NoKeyframe,
    /// A diff names a node the state does not have.
    #[error("diff names unknown node {0}")]
    UnknownNode(u32),
    /// A keyframe or diff leaves the tree without a root, or with a node reachable twice.
    #[error("tree structure is inconsistent: {0}")]
    Structure(String),
}

/// Why a segment could not be handed to its sink.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SinkError {
    /// The sink has no room.
    #[error("sink is full")]
    Full,
    /// Writing failed.
    #[error("sink I/O error: {0}")]
    Io(String),
}

/// Why a recorder call could not do what it was asked.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RecorderError {
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// The snapshot's structure is invalid; nothing of it was recorded.
    #[error("invalid snapshot: {0}")]
    Snapshot(#[from] SnapshotError),
    /// The recorder was shut down.
    #[error("the recorder is shut down")]
    ShutDown,
    /// The background worker did not answer in time.
    #[error("the recorder's worker did not answer within {0:?}")]
    Timeout(Duration),
    /// The background worker could not start.
    #[error("could not start the recorder's worker: {0}")]
    Worker(String),
}
