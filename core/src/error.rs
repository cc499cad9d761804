//! `DecodeError`, why bytes could not be read as a segment: raised by `segment.rs` (header, body)
//! and `record.rs` (record framing), which `segment.rs` imports. Every other error of the core
//! lives beside the code that raises it.

use thiserror::Error;

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
    /// The header's record count differs from the records found.
    #[error("header says {declared} records, body holds {actual}")]
    RecordCount {
        /// What the header declares.
        declared: u32,
        /// What the body holds.
        actual: u32,
    },
}
