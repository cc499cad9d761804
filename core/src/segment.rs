//! The segment: the unit that is sealed, persisted, uploaded and stored.
//!
//! A fixed 52-byte little-endian header, a zstd frame holding the framed records, and a CRC32
//! (IEEE) of everything before it. `docs/FORMAT.md` is the specification.

use crate::decoding::{DecodeError, DecodeLimits};
use crate::record::{Records, read_records};
use crate::session::SessionId;

/// The first four bytes of every segment.
pub const MAGIC: [u8; 4] = *b"RPRS";
/// The format's major version: a reader rejects any other.
pub const FORMAT_MAJOR: u8 = 1;
/// The format's minor version: additions a reader of the same major version can skip.
pub const FORMAT_MINOR: u8 = 2;
/// Size of the fixed header.
pub const HEADER_LEN: usize = 52;
/// Size of the trailing checksum.
pub const CRC_LEN: usize = 4;
/// Header flag: the segment holds a keyframe.
pub const FLAG_KEYFRAME: u16 = 1;

/// What the header of a segment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentHeader {
    /// Major format version.
    pub major: u8,
    /// Minor format version.
    pub minor: u8,
    /// Flag bits ([`FLAG_KEYFRAME`]).
    pub flags: u16,
    /// The session.
    pub session: SessionId,
    /// Position of the segment in its session, from 0.
    pub sequence: u32,
    /// Time of the earliest record, Unix milliseconds.
    pub start_ms: i64,
    /// Time from the earliest to the latest record.
    pub duration_ms: u32,
    /// Number of records.
    pub record_count: u32,
    /// Size of the body once decompressed.
    pub raw_len: u32,
    /// Size of the compressed body.
    pub body_len: u32,
}

impl SegmentHeader {
    /// Whether the segment holds a keyframe.
    pub fn has_keyframe(&self) -> bool {
        self.flags & FLAG_KEYFRAME != 0
    }

    /// The segment's identity, which is also its idempotency key.
    pub fn id(&self) -> SegmentId {
        SegmentId { session: self.session, sequence: self.sequence }
    }

    /// Time of the latest record.
    pub fn end_ms(&self) -> i64 {
        self.start_ms.saturating_add(i64::from(self.duration_ms))
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&MAGIC);
        out.push(self.major);
        out.push(self.minor);
        out.extend_from_slice(&self.flags.to_le_bytes());
        out.extend_from_slice(&self.session.0);
        out.extend_from_slice(&self.sequence.to_le_bytes());
        out.extend_from_slice(&self.start_ms.to_le_bytes());
        out.extend_from_slice(&self.duration_ms.to_le_bytes());
        out.extend_from_slice(&self.record_count.to_le_bytes());
        out.extend_from_slice(&self.raw_len.to_le_bytes());
        out.extend_from_slice(&self.body_len.to_le_bytes());
    }

    /// Reads and checks the header of `bytes`: magic, version, lengths and checksum.
    pub fn read(bytes: &[u8]) -> Result<SegmentHeader, DecodeError> {
        if bytes.len() < HEADER_LEN + CRC_LEN {
            return Err(DecodeError::TooShort(bytes.len()));
        }
        if bytes[0..4] != MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let (major, minor) = (bytes[4], bytes[5]);
        if major != FORMAT_MAJOR {
            return Err(DecodeError::UnsupportedVersion { major, minor, supported: FORMAT_MAJOR });
        }
        let mut r = Reader { bytes, pos: 6 };
        let flags = u16::from_le_bytes(r.take());
        let session = SessionId(r.take());
        let sequence = u32::from_le_bytes(r.take());
        let start_ms = i64::from_le_bytes(r.take());
        let duration_ms = u32::from_le_bytes(r.take());
        let record_count = u32::from_le_bytes(r.take());
        let raw_len = u32::from_le_bytes(r.take());
        let body_len = u32::from_le_bytes(r.take());
        let actual = bytes.len() - HEADER_LEN - CRC_LEN;
        if body_len as usize != actual {
            return Err(DecodeError::Length { declared: body_len as usize, actual });
        }
        let split = bytes.len() - CRC_LEN;
        let mut stored = [0u8; 4];
        stored.copy_from_slice(&bytes[split..]);
        let stored = u32::from_le_bytes(stored);
        let computed = crc32fast::hash(&bytes[..split]);
        if stored != computed {
            return Err(DecodeError::Checksum { stored, computed });
        }
        Ok(SegmentHeader {
            major,
            minor,
            flags,
            session,
            sequence,
            start_ms,
            duration_ms,
            record_count,
            raw_len,
            body_len,
        })
    }
}

/// Reads fixed-size fields from a slice whose length was checked beforehand.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.pos..self.pos + N]);
        self.pos += N;
        out
    }
}

/// A segment's identity: its session and sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegmentId {
    /// The session.
    pub session: SessionId,
    /// The position in the session.
    pub sequence: u32,
}

impl std::fmt::Display for SegmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:08}", self.session, self.sequence)
    }
}

/// Text that is not a segment id (`<session uuid>-<sequence>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a segment id: {0:?}")]
pub struct SegmentIdError(pub String);

impl std::str::FromStr for SegmentId {
    type Err = SegmentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || SegmentIdError(s.to_owned());
        let (session, sequence) = s.rsplit_once('-').ok_or_else(error)?;
        Ok(SegmentId {
            session: session.parse().map_err(|_| error())?,
            sequence: sequence.parse().map_err(|_| error())?,
        })
    }
}

/// A sealed segment: its header and its complete bytes, ready to persist and upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedSegment {
    /// The header, as written in `bytes`.
    pub header: SegmentHeader,
    /// The whole segment.
    pub bytes: Vec<u8>,
}

impl SealedSegment {
    /// Compresses `raw` (framed records) at `level` and wraps it in a header and checksum.
    pub(crate) fn seal(
        mut header: SegmentHeader,
        raw: &[u8],
        compressor: &mut zstd::bulk::Compressor<'static>,
    ) -> std::io::Result<SealedSegment> {
        let body = compressor.compress(raw)?;
        header.raw_len = raw.len() as u32;
        header.body_len = body.len() as u32;
        let mut bytes = Vec::with_capacity(HEADER_LEN + body.len() + CRC_LEN);
        header.write(&mut bytes);
        bytes.extend_from_slice(&body);
        let crc = crc32fast::hash(&bytes);
        bytes.extend_from_slice(&crc.to_le_bytes());
        Ok(SealedSegment { header, bytes })
    }
}

/// A decoded segment.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedSegment {
    /// The header.
    pub header: SegmentHeader,
    /// The records, and how many of unknown kinds were skipped.
    pub records: Records,
}

/// Decodes a segment, checking everything; never panics, whatever the bytes.
pub fn decode(bytes: &[u8], limits: DecodeLimits) -> Result<DecodedSegment, DecodeError> {
    let header = SegmentHeader::read(bytes)?;
    if header.record_count > limits.max_records {
        return Err(DecodeError::TooManyRecords { declared: header.record_count, limit: limits.max_records });
    }
    let raw = decompress_body(&header, bytes, limits)?;
    let records = read_records(&raw, header.start_ms, header.record_count, limits)?;
    let actual = records.records.len() as u32 + records.skipped;
    if actual != header.record_count {
        return Err(DecodeError::RecordCount { declared: header.record_count, actual });
    }
    Ok(DecodedSegment { header, records })
}

/// Decompresses the body of a segment whose header was read, within the limits: the declared
/// size is checked before any allocation and the output may not exceed it.
pub fn decompress_body(header: &SegmentHeader, bytes: &[u8], limits: DecodeLimits) -> Result<Vec<u8>, DecodeError> {
    let declared = header.raw_len as usize;
    if declared > limits.max_raw_bytes {
        return Err(DecodeError::TooLarge { declared, limit: limits.max_raw_bytes });
    }
    // The header may come from elsewhere than these bytes: check before slicing.
    let end = HEADER_LEN.saturating_add(header.body_len as usize);
    let body = bytes
        .get(HEADER_LEN..end)
        .ok_or(DecodeError::Length { declared: header.body_len as usize, actual: bytes.len().saturating_sub(HEADER_LEN + CRC_LEN) })?;
    let raw = zstd::bulk::decompress(body, declared).map_err(|e| DecodeError::Decompress(e.to_string()))?;
    if raw.len() != declared {
        return Err(DecodeError::Decompress(format!("{} bytes, header says {declared}", raw.len())));
    }
    Ok(raw)
}
