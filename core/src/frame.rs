//! The recorded form of a view hierarchy: [`Frame`] and its [`FrameNode`]s with their
//! [`NodeProps`], what keyframes carry, diffs compare and replay rebuilds.
//!
//! A platform tree becomes a `Snapshot` in `capture.rs`; the worker
//! then gives it small stable ids and interned class names (`ids.rs`), making a [`Frame`].

use serde::{Deserialize, Serialize};

use crate::details::ClipInset;
use crate::mask::Text;
use crate::view::NodeKind;

/// Node flag bits, as recorded in [`NodeProps::flags`].
pub mod flag {
    /// Reacts to taps.
    pub const CLICKABLE: u16 = 1;
    /// Scrolls its content.
    pub const SCROLLABLE: u16 = 1 << 1;
    /// Can take focus.
    pub const FOCUSABLE: u16 = 1 << 2;
    /// Accepts input.
    pub const ENABLED: u16 = 1 << 3;
    /// Drawn on screen.
    pub const VISIBLE: u16 = 1 << 4;
    /// Clips its children to its bounds.
    pub const CLIPS_CHILDREN: u16 = 1 << 5;
    /// A secure text entry.
    pub const PASSWORD: u16 = 1 << 6;
    /// An image recorded as a placeholder.
    pub const IMAGE_PLACEHOLDER: u16 = 1 << 7;
    /// A view the app hid: an empty box, its subtree not recorded.
    pub const HIDDEN: u16 = 1 << 8;
}

/// What a node looks like, apart from where it is and what class it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeProps {
    /// What the node is.
    pub kind: NodeKind,
    /// Width in dp.
    pub width: i32,
    /// Height in dp.
    pub height: i32,
    /// [`flag`] bits.
    pub flags: u16,
    /// Opacity, 0 to 255.
    pub alpha: u8,
    /// Background colour, ARGB.
    pub background: Option<u32>,
    /// Text colour, ARGB.
    pub text_color: Option<u32>,
    /// Corner radius in dp.
    pub corner_radius: u16,
    /// Font size in dp.
    pub font_size: u16,
    /// Text, masked or not.
    pub text: Option<Text>,
    /// Content description, masked or not.
    pub description: Option<Text>,
    /// Horizontal scroll offset in dp.
    pub scroll_x: i32,
    /// Vertical scroll offset in dp.
    pub scroll_y: i32,
}

impl NodeProps {
    /// Whether the node has a flag.
    pub fn has(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }

    /// The fields of `next` that differ from `self`, in wire order.
    pub fn changes_to(&self, next: &NodeProps) -> Vec<Field> {
        let mut out = Vec::new();
        if self.kind != next.kind {
            out.push(Field::Kind(next.kind));
        }
        if (self.width, self.height) != (next.width, next.height) {
            out.push(Field::Size(next.width, next.height));
        }
        if self.flags != next.flags {
            out.push(Field::Flags(next.flags));
        }
        if self.alpha != next.alpha {
            out.push(Field::Alpha(next.alpha));
        }
        if self.background != next.background {
            out.push(Field::Background(next.background));
        }
        if self.text_color != next.text_color {
            out.push(Field::TextColor(next.text_color));
        }
        if self.corner_radius != next.corner_radius {
            out.push(Field::CornerRadius(next.corner_radius));
        }
        if self.font_size != next.font_size {
            out.push(Field::FontSize(next.font_size));
        }
        if self.text != next.text {
            out.push(Field::Text(next.text.clone()));
        }
        if self.description != next.description {
            out.push(Field::Description(next.description.clone()));
        }
        if (self.scroll_x, self.scroll_y) != (next.scroll_x, next.scroll_y) {
            out.push(Field::Scroll(next.scroll_x, next.scroll_y));
        }
        out
    }

    /// Applies one changed field.
    pub fn apply(&mut self, field: Field) {
        match field {
            Field::Kind(v) => self.kind = v,
            Field::Size(w, h) => (self.width, self.height) = (w, h),
            Field::Flags(v) => self.flags = v,
            Field::Alpha(v) => self.alpha = v,
            Field::Background(v) => self.background = v,
            Field::TextColor(v) => self.text_color = v,
            Field::CornerRadius(v) => self.corner_radius = v,
            Field::FontSize(v) => self.font_size = v,
            Field::Text(v) => self.text = v,
            Field::Description(v) => self.description = v,
            Field::Scroll(x, y) => (self.scroll_x, self.scroll_y) = (x, y),
            Field::Class(_) => {}
        }
    }
}

/// One changed property of a node, as a diff carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    /// New class (interned id).
    Class(u32),
    /// New kind.
    Kind(NodeKind),
    /// New width and height in dp.
    Size(i32, i32),
    /// New flag bits.
    Flags(u16),
    /// New opacity.
    Alpha(u8),
    /// New background colour.
    Background(Option<u32>),
    /// New text colour.
    TextColor(Option<u32>),
    /// New corner radius.
    CornerRadius(u16),
    /// New font size.
    FontSize(u16),
    /// New text.
    Text(Option<Text>),
    /// New content description.
    Description(Option<Text>),
    /// New scroll offsets.
    Scroll(i32, i32),
}

/// A node of a [`Frame`]: a small stable id, its parent's id and its class's interned id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameNode {
    /// The node's id, stable for the session while the platform view lives (1 and up).
    pub id: u32,
    /// The parent's id; 0 for the root.
    pub parent: u32,
    /// Interned class name id.
    pub class: u32,
    /// Left edge in dp, relative to the parent.
    pub x: i32,
    /// Top edge in dp, relative to the parent.
    pub y: i32,
    /// Everything else.
    pub props: NodeProps,
    /// The padded box its children are clipped to (from the node's details, format 1.2): filled
    /// in by [`Replayer::frame`](crate::Replayer::frame), never part of a keyframe or diff.
    #[serde(skip)]
    pub clip: Option<ClipInset>,
}

/// A whole hierarchy with core ids: what a keyframe carries and what replay rebuilds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Frame {
    /// Nodes in pre-order, the root first.
    pub nodes: Vec<FrameNode>,
}

impl Frame {
    /// The id of the root node, if any.
    pub fn root(&self) -> Option<u32> {
        self.nodes.first().map(|n| n.id)
    }
}
