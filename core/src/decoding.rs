//! What a reader of untrusted segment bytes accepts and why it refuses them: [`DecodeLimits`] and
//! [`DecodeError`], shared by `segment.rs` (header and body) and `record.rs` (the records, which
//! `segment.rs` reads through it).

use thiserror::Error;

/// Limits a reader applies to untrusted segments. Together they bound what decoding one segment
/// may hold: the body (`max_raw_bytes` once decompressed) and the records built from it
/// (`max_decoded_bytes`, counted with [`TimedRecord::memory_bytes`](crate::TimedRecord::memory_bytes)
/// after each record, so at most one record of `max_record_bytes` beyond it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest decompressed body accepted.
    pub max_raw_bytes: usize,
    /// Most records one segment may declare and hold.
    pub max_records: u32,
    /// Largest payload of one record.
    pub max_record_bytes: usize,
    /// Most memory the decoded records may hold, by [`TimedRecord::memory_bytes`](crate::TimedRecord::memory_bytes).
    pub max_decoded_bytes: usize,
}

impl DecodeLimits {
    /// The default largest decompressed body: 16 MiB (the recorder's own ceiling for a segment).
    pub const DEFAULT_MAX_RAW_BYTES: usize = 16 * 1024 * 1024;
    /// The default most records per segment.
    pub const DEFAULT_MAX_RECORDS: u32 = 1 << 20;
    /// The default largest record payload: 16 MiB.
    pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;
    /// The default most decoded memory per segment: 512 MiB.
    pub const DEFAULT_MAX_DECODED_BYTES: usize = 512 * 1024 * 1024;
}

impl Default for DecodeLimits {
    /// Limits for segments this process wrote itself or already trusts; a collector sets its own.
    fn default() -> Self {
        Self {
            max_raw_bytes: Self::DEFAULT_MAX_RAW_BYTES,
            max_records: Self::DEFAULT_MAX_RECORDS,
            max_record_bytes: Self::DEFAULT_MAX_RECORD_BYTES,
            max_decoded_bytes: Self::DEFAULT_MAX_DECODED_BYTES,
        }
    }
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
