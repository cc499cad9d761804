//! The open segment: framed records accumulating until the segment is sealed.

use crate::record::{TimedRecord, write_record};
use crate::segment::{FLAG_KEYFRAME, FORMAT_MAJOR, FORMAT_MINOR, SealedSegment, SegmentHeader};
use crate::session::SessionId;

/// Accumulates framed records and seals them into a segment (one zstd frame for all of them, so
/// records compress against each other).
pub struct SegmentBuilder {
    raw: Vec<u8>,
    scratch: Vec<u8>,
    count: u32,
    start_ms: i64,
    last_ms: i64,
    end_ms: i64,
    keyframe: bool,
    compressor: zstd::bulk::Compressor<'static>,
}

impl SegmentBuilder {
    /// A builder compressing at `level`.
    pub fn new(level: i32) -> std::io::Result<Self> {
        Ok(Self {
            raw: Vec::new(),
            scratch: Vec::new(),
            count: 0,
            start_ms: 0,
            last_ms: 0,
            end_ms: 0,
            keyframe: false,
            compressor: zstd::bulk::Compressor::new(level)?,
        })
    }

    /// Appends a record. The first record's time becomes the segment's start.
    pub fn push(&mut self, record: &TimedRecord) -> Result<(), postcard::Error> {
        if self.count == 0 {
            self.start_ms = record.time_ms;
            self.last_ms = record.time_ms;
            self.end_ms = record.time_ms;
        }
        write_record(&mut self.raw, &mut self.scratch, self.last_ms, record)?;
        self.last_ms = record.time_ms;
        self.end_ms = self.end_ms.max(record.time_ms);
        self.count += 1;
        self.keyframe |= matches!(record.record, crate::record::Record::Keyframe(_));
        Ok(())
    }

    /// Uncompressed bytes held.
    pub fn raw_len(&self) -> usize {
        self.raw.len()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Time of the first record held.
    pub fn start_ms(&self) -> Option<i64> {
        (self.count > 0).then_some(self.start_ms)
    }

    /// Whether a keyframe was pushed since the last seal.
    pub fn has_keyframe(&self) -> bool {
        self.keyframe
    }

    /// Seals what is held into a segment of `session` at `sequence`, and empties the builder.
    /// `None` when empty.
    pub fn seal(&mut self, session: SessionId, sequence: u32) -> std::io::Result<Option<SealedSegment>> {
        if self.count == 0 {
            return Ok(None);
        }
        let header = SegmentHeader {
            major: FORMAT_MAJOR,
            minor: FORMAT_MINOR,
            flags: if self.keyframe { FLAG_KEYFRAME } else { 0 },
            session,
            sequence,
            start_ms: self.start_ms,
            duration_ms: u32::try_from(self.end_ms.saturating_sub(self.start_ms)).unwrap_or(u32::MAX),
            record_count: self.count,
            raw_len: 0,
            body_len: 0,
        };
        let sealed = SealedSegment::seal(header, &self.raw, &mut self.compressor);
        self.clear();
        sealed.map(Some)
    }

    /// Drops what is held.
    pub fn clear(&mut self) {
        self.raw.clear();
        self.count = 0;
        self.keyframe = false;
    }
}

impl std::fmt::Debug for SegmentBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentBuilder").field("raw_len", &self.raw.len()).field("count", &self.count).finish()
    }
}
