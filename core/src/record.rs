//! The records inside a segment body, and their framing.
//!
//! Each record is framed as `kind` (varint), `dt` (zigzag varint: milliseconds since the previous
//! record, or since the segment start for the first), `len` (varint) and `len` bytes of postcard
//! payload. A reader skips kinds it does not know, and ignores payload bytes after the fields it
//! knows, so a minor version can add record kinds and append fields.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::details::{ClipInset, NodeDetail};
use crate::diff::Diff;
use crate::decoding::{DecodeError, DecodeLimits};
use crate::heap::HeapSize;
use crate::event::{AttributeValue, Breadcrumb, CustomEvent, Lifecycle, NetworkRequest, NetworkType, Orientation};
use crate::frame::Frame;
use crate::gesture::{Gesture, Struggle};
use crate::session::SessionMetadata;
use crate::touch::TouchTrack;
use crate::varint;

/// Who the user is and what the app said about the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UserInfo {
    /// The app's id for the user.
    pub user_id: Option<String>,
    /// Session attributes, in the order set.
    pub attributes: Vec<(String, AttributeValue)>,
}

/// The session a segment belongs to; the first record of every segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// When the session started, Unix milliseconds.
    pub started_ms: i64,
    /// Device, OS and app.
    pub metadata: SessionMetadata,
    /// User and attributes as of this segment's start.
    pub user: UserInfo,
}

/// A class name definition; a segment defines each class before its first use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDef {
    /// The interned id.
    pub id: u32,
    /// The platform class name.
    pub name: String,
}

/// A viewport change, in dp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ViewportInfo {
    /// Width in dp.
    pub width: u32,
    /// Height in dp.
    pub height: u32,
    /// Pixels per dp.
    pub density: f32,
    /// Orientation.
    pub orientation: Orientation,
}

/// One record of a session's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Record {
    /// Session and device metadata (kind 1).
    Session(SessionInfo),
    /// Class names used by following snapshots (kind 2).
    Classes(Vec<ClassDef>),
    /// A whole view hierarchy (kind 3).
    Keyframe(Frame),
    /// Changes since the previous hierarchy (kind 4).
    Diff(Diff),
    /// Raw touch samples, quantized and delta-encoded (kind 5).
    Touches(TouchTrack),
    /// The user reached a screen (kind 6).
    ScreenView(String),
    /// App lifecycle transition (kind 7).
    Lifecycle(Lifecycle),
    /// Viewport change (kind 8).
    Viewport(ViewportInfo),
    /// Keyboard shown (with its height in dp) or hidden (kind 9).
    Keyboard {
        /// Whether it is shown.
        visible: bool,
        /// Height in dp.
        height: u32,
    },
    /// App-defined event (kind 10).
    Custom(CustomEvent),
    /// Log line or error (kind 11).
    Breadcrumb(Breadcrumb),
    /// Network request summary (kind 12).
    Network(NetworkRequest),
    /// Connectivity change (kind 13).
    Connectivity(NetworkType),
    /// User id or attributes changed (kind 14).
    User(UserInfo),
    /// A recognized gesture (kind 15).
    Gesture(Gesture),
    /// A rage or dead tap (kind 16).
    Struggle(Struggle),
    /// Id names, toggle states, progress and elevation of the nodes of the keyframe or diff just
    /// before it (kind 17, format 1.1; clip insets since 1.2; see `details.rs`).
    Details(Vec<NodeDetail>),
}

/// A record with its time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedRecord {
    /// Unix milliseconds.
    pub time_ms: i64,
    /// The record.
    pub record: Record,
}

impl Record {
    /// The kind number written in the frame.
    pub fn kind(&self) -> u64 {
        match self {
            Record::Session(_) => 1,
            Record::Classes(_) => 2,
            Record::Keyframe(_) => 3,
            Record::Diff(_) => 4,
            Record::Touches(_) => 5,
            Record::ScreenView(_) => 6,
            Record::Lifecycle(_) => 7,
            Record::Viewport(_) => 8,
            Record::Keyboard { .. } => 9,
            Record::Custom(_) => 10,
            Record::Breadcrumb(_) => 11,
            Record::Network(_) => 12,
            Record::Connectivity(_) => 13,
            Record::User(_) => 14,
            Record::Gesture(_) => 15,
            Record::Struggle(_) => 16,
            Record::Details(_) => 17,
        }
    }

    fn write_payload(&self, out: &mut Vec<u8>) -> Result<(), postcard::Error> {
        fn put<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<(), postcard::Error> {
            postcard::to_io(value, out).map(|_| ())
        }
        match self {
            Record::Session(v) => put(v, out),
            Record::Classes(v) => put(v, out),
            Record::Keyframe(v) => put(v, out),
            Record::Diff(v) => put(v, out),
            Record::Touches(v) => put(v, out),
            Record::ScreenView(v) => put(v, out),
            Record::Lifecycle(v) => put(v, out),
            Record::Viewport(v) => put(v, out),
            Record::Keyboard { visible, height } => put(&(visible, height), out),
            Record::Custom(v) => put(v, out),
            Record::Breadcrumb(v) => put(v, out),
            Record::Network(v) => put(v, out),
            Record::Connectivity(v) => put(v, out),
            Record::User(v) => put(v, out),
            Record::Gesture(v) => put(v, out),
            Record::Struggle(v) => put(v, out),
            Record::Details(v) => {
                put(v, out)?;
                // Format 1.2: the clip insets after the 1.1 details, which a 1.1 reader ignores.
                let clips: Vec<(u32, ClipInset)> = v.iter().filter_map(|d| d.clip.map(|c| (d.id, c))).collect();
                if clips.is_empty() { Ok(()) } else { put(&clips, out) }
            }
        }
    }

    /// Decodes a payload of a known kind; `Ok(None)` for a kind this reader does not know.
    fn read_payload(kind: u64, payload: &[u8]) -> Result<Option<Record>, postcard::Error> {
        use postcard::from_bytes as get;
        Ok(Some(match kind {
            1 => Record::Session(get(payload)?),
            2 => Record::Classes(get(payload)?),
            3 => Record::Keyframe(get(payload)?),
            4 => Record::Diff(get(payload)?),
            5 => Record::Touches(get(payload)?),
            6 => Record::ScreenView(get(payload)?),
            7 => Record::Lifecycle(get(payload)?),
            8 => Record::Viewport(get(payload)?),
            9 => {
                let (visible, height) = get(payload)?;
                Record::Keyboard { visible, height }
            }
            10 => Record::Custom(get(payload)?),
            11 => Record::Breadcrumb(get(payload)?),
            12 => Record::Network(get(payload)?),
            13 => Record::Connectivity(get(payload)?),
            14 => Record::User(get(payload)?),
            15 => Record::Gesture(get(payload)?),
            16 => Record::Struggle(get(payload)?),
            17 => Record::Details(read_details(payload)?),
            _ => return Ok(None),
        }))
    }
}

/// Kind 17's payload: the 1.1 details, then (format 1.2, when present) each clip inset with its
/// node's id. A clip of an id the details do not list is dropped.
fn read_details(payload: &[u8]) -> Result<Vec<NodeDetail>, postcard::Error> {
    let (mut details, rest): (Vec<NodeDetail>, &[u8]) = postcard::take_from_bytes(payload)?;
    if rest.is_empty() {
        return Ok(details);
    }
    let clips: Vec<(u32, ClipInset)> = postcard::from_bytes(rest)?;
    let index: FxHashMap<u32, usize> = details.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    for (id, clip) in clips {
        if let Some(&i) = index.get(&id) {
            details[i].clip = Some(clip);
        }
    }
    Ok(details)
}

/// Appends one framed record; `scratch` is reused between calls to avoid allocating.
pub fn write_record(
    out: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
    prev_time_ms: i64,
    record: &TimedRecord,
) -> Result<(), postcard::Error> {
    scratch.clear();
    record.record.write_payload(scratch)?;
    varint::put(out, record.record.kind());
    varint::put_signed(out, record.time_ms.saturating_sub(prev_time_ms));
    varint::put(out, scratch.len() as u64);
    out.extend_from_slice(scratch);
    Ok(())
}

/// The records of a segment body, and how many of unknown kinds were skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Records {
    /// The records this reader understands, in order.
    pub records: Vec<TimedRecord>,
    /// How many records of unknown kinds were skipped.
    pub skipped: u32,
}

/// Reads every framed record of a body whose first record's time is relative to `start_ms`, within
/// `limits`: at most `limits.max_records` records (room for `expected` is made up front, capped
/// by the limit), no payload over `limits.max_record_bytes`, and decoded records holding at most
/// `limits.max_decoded_bytes`, counted as each record is built.
pub fn read_records(body: &[u8], start_ms: i64, expected: u32, limits: DecodeLimits) -> Result<Records, DecodeError> {
    // Every record takes at least 3 bytes of framing, so a lying count cannot reserve much.
    let room = (expected.min(limits.max_records) as usize)
        .min(body.len() / 3)
        .min(limits.max_decoded_bytes / std::mem::size_of::<TimedRecord>());
    let mut out = Records { records: Vec::with_capacity(room), skipped: 0 };
    let mut held = out.records.capacity() * std::mem::size_of::<TimedRecord>();
    let mut pos = 0usize;
    let mut time = start_ms;
    let mut index = 0u32;
    while pos < body.len() {
        if index >= limits.max_records {
            return Err(DecodeError::TooManyRecords { declared: index.saturating_add(1), limit: limits.max_records });
        }
        let truncated = DecodeError::Truncated { index };
        let kind = varint::get(body, &mut pos).ok_or(truncated.clone())?;
        let dt = varint::get_signed(body, &mut pos).ok_or(truncated.clone())?;
        let len = varint::get(body, &mut pos).ok_or(truncated.clone())?;
        let end = usize::try_from(len).ok().and_then(|l| pos.checked_add(l)).filter(|&e| e <= body.len());
        let end = end.ok_or(truncated)?;
        if end - pos > limits.max_record_bytes {
            return Err(DecodeError::RecordTooLarge { index, len: end - pos, limit: limits.max_record_bytes });
        }
        time = time.saturating_add(dt);
        let payload = &body[pos..end];
        pos = end;
        match Record::read_payload(kind, payload) {
            Ok(Some(record)) => {
                let record = TimedRecord { time_ms: time, record };
                // The vector's own slots are counted once, as allocated.
                held = held.saturating_add(record.record.heap_bytes());
                if out.records.len() == out.records.capacity() {
                    held = held.saturating_add(out.records.capacity().max(4) * std::mem::size_of::<TimedRecord>());
                }
                if held > limits.max_decoded_bytes {
                    return Err(DecodeError::DecodedTooLarge { index, limit: limits.max_decoded_bytes });
                }
                out.records.push(record);
            }
            Ok(None) => out.skipped += 1,
            Err(e) => return Err(DecodeError::Record { index, kind, reason: e.to_string() }),
        }
        index = index.saturating_add(1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(id: u32, elevation: u16, clip: Option<ClipInset>) -> NodeDetail {
        NodeDetail { id, elevation, clip, ..NodeDetail::default() }
    }

    fn payload(record: &Record) -> Vec<u8> {
        let mut out = Vec::new();
        record.write_payload(&mut out).expect("encodes");
        out
    }

    #[test]
    fn clip_insets_ride_after_the_1_1_details_which_a_1_1_reader_reads_unchanged() {
        let padded = ClipInset { left: 0, top: 16, right: 0, bottom: 8 };
        let details = vec![detail(3, 2, None), detail(7, 0, Some(padded))];
        let bytes = payload(&Record::Details(details.clone()));
        assert_eq!(Record::read_payload(17, &bytes).expect("decodes"), Some(Record::Details(details.clone())));
        // A 1.1 reader decodes the list it knows and ignores the bytes after it.
        let old: Vec<NodeDetail> = postcard::from_bytes(&bytes).expect("a 1.1 reader decodes");
        assert_eq!(old, details.iter().map(|d| NodeDetail { clip: None, ..d.clone() }).collect::<Vec<_>>());
        // Without any clip the payload is the 1.1 one, byte for byte.
        let plain = vec![detail(3, 2, None)];
        assert_eq!(payload(&Record::Details(plain.clone())), postcard::to_allocvec(&plain).expect("encodes"));
    }

    #[test]
    fn a_clip_for_a_node_the_details_do_not_list_is_dropped_and_a_torn_list_is_an_error() {
        let mut bytes = postcard::to_allocvec(&vec![detail(3, 2, None)]).expect("encodes");
        let clips = vec![(99u32, ClipInset { top: 4, ..ClipInset::default() })];
        bytes.extend(postcard::to_allocvec(&clips).expect("encodes"));
        assert_eq!(Record::read_payload(17, &bytes).expect("decodes"), Some(Record::Details(vec![detail(3, 2, None)])));
        bytes.pop();
        assert!(Record::read_payload(17, &bytes).is_err());
    }
}
