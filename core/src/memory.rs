//! What a decoded record costs in memory: its own size plus what it owns on the heap, counted
//! from capacities. A reader of untrusted segments adds this up record by record as it decodes
//! ([`DecodeLimits::max_decoded_bytes`](crate::DecodeLimits)), so a small body that would expand
//! into a huge structure is refused before it is all built.

use std::mem::size_of;

pub use crate::heap::HeapSize;

use crate::details::NodeDetail;
use crate::diff::{Changed, Children, Diff};
use crate::event::{AttributeValue, CustomEvent};
use crate::frame::{Field, Frame, FrameNode, NodeProps};
use crate::gesture::{Gesture, Struggle, Target};
use crate::mask::Text;
use crate::record::{ClassDef, Record, SessionInfo, TimedRecord, UserInfo};
use crate::session::SessionMetadata;

/// At most how many bytes of memory one byte of record payload decodes into (the densest case:
/// a list of one-byte enum variants, each a 40-byte value, in a vector grown by doubling). A reader
/// counts decoded memory after each record, so one record may take this many times its payload
/// before it is refused; `core/tests/decode_memory.rs` measures it with a counting allocator.
pub const MAX_AMPLIFICATION: usize = 64;

impl TimedRecord {
    /// What this record holds in memory: its inline size and its heap.
    pub fn memory_bytes(&self) -> usize {
        size_of::<TimedRecord>() + self.record.heap_bytes()
    }
}

/// Types that own nothing on the heap.
macro_rules! inline_only {
    ($($t:ty),*) => { $(impl HeapSize for $t { fn heap_bytes(&self) -> usize { 0 } })* };
}

inline_only!(u32, crate::diff::Moved, crate::touch::PackedTouch);

impl HeapSize for Text {
    fn heap_bytes(&self) -> usize {
        match self {
            Text::Plain(s) => s.heap_bytes(),
            Text::Masked(shape) => shape.heap_bytes(),
        }
    }
}

impl HeapSize for NodeDetail {
    fn heap_bytes(&self) -> usize {
        self.id_name.heap_bytes()
    }
}

impl HeapSize for NodeProps {
    fn heap_bytes(&self) -> usize {
        self.text.heap_bytes() + self.description.heap_bytes()
    }
}

impl HeapSize for FrameNode {
    fn heap_bytes(&self) -> usize {
        self.props.heap_bytes()
    }
}

impl HeapSize for Frame {
    fn heap_bytes(&self) -> usize {
        self.nodes.heap_bytes()
    }
}

impl HeapSize for Field {
    fn heap_bytes(&self) -> usize {
        match self {
            Field::Text(t) | Field::Description(t) => t.heap_bytes(),
            _ => 0,
        }
    }
}

impl HeapSize for Changed {
    fn heap_bytes(&self) -> usize {
        self.fields.heap_bytes()
    }
}

impl HeapSize for Children {
    fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes()
    }
}

impl HeapSize for Diff {
    fn heap_bytes(&self) -> usize {
        self.removed.heap_bytes()
            + self.added.heap_bytes()
            + self.moved.heap_bytes()
            + self.changed.heap_bytes()
            + self.children.heap_bytes()
    }
}

impl HeapSize for AttributeValue {
    fn heap_bytes(&self) -> usize {
        match self {
            AttributeValue::String(s) => s.heap_bytes(),
            _ => 0,
        }
    }
}

impl HeapSize for UserInfo {
    fn heap_bytes(&self) -> usize {
        self.user_id.heap_bytes() + self.attributes.heap_bytes()
    }
}

impl HeapSize for SessionMetadata {
    fn heap_bytes(&self) -> usize {
        [
            &self.os_name,
            &self.os_version,
            &self.device_manufacturer,
            &self.device_model,
            &self.locale,
            &self.time_zone,
            &self.app_id,
            &self.app_version,
            &self.app_build,
            &self.sdk_version,
        ]
        .iter()
        .map(|s| s.heap_bytes())
        .sum()
    }
}

impl HeapSize for SessionInfo {
    fn heap_bytes(&self) -> usize {
        self.metadata.heap_bytes() + self.user.heap_bytes()
    }
}

impl HeapSize for ClassDef {
    fn heap_bytes(&self) -> usize {
        self.name.heap_bytes()
    }
}

impl HeapSize for Target {
    fn heap_bytes(&self) -> usize {
        self.label.heap_bytes()
    }
}

impl HeapSize for Gesture {
    fn heap_bytes(&self) -> usize {
        self.target.heap_bytes()
    }
}

impl HeapSize for Struggle {
    fn heap_bytes(&self) -> usize {
        self.target.heap_bytes()
    }
}

impl HeapSize for CustomEvent {
    fn heap_bytes(&self) -> usize {
        self.name.heap_bytes() + self.attributes.heap_bytes()
    }
}

impl HeapSize for Record {
    fn heap_bytes(&self) -> usize {
        match self {
            Record::Session(v) => v.heap_bytes(),
            Record::Classes(v) => v.heap_bytes(),
            Record::Keyframe(v) => v.heap_bytes(),
            Record::Diff(v) => v.heap_bytes(),
            Record::Touches(v) => v.samples.heap_bytes(),
            Record::ScreenView(v) => v.heap_bytes(),
            Record::Custom(v) => v.heap_bytes(),
            Record::Breadcrumb(v) => v.message.heap_bytes(),
            Record::Network(v) => v.method.heap_bytes() + v.url.heap_bytes(),
            Record::User(v) => v.heap_bytes(),
            Record::Gesture(v) => v.heap_bytes(),
            Record::Struggle(v) => v.heap_bytes(),
            Record::Details(v) => v.heap_bytes(),
            Record::Lifecycle(_) | Record::Viewport(_) | Record::Keyboard { .. } | Record::Connectivity(_) => 0,
        }
    }
}
