//! The view hierarchy as a platform layer hands it over: a flat list of nodes, each naming its
//! parent by index, in device pixels and absolute screen coordinates.
//!
//! A flat list keeps every walk over the tree iterative (a 5,000-level tree cannot overflow a
//! stack) and makes a parent cycle impossible to express: a parent must come before its child.

use serde::{Deserialize, Serialize};

/// What a node is, as far as replay and privacy care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NodeKind {
    /// A layout or plain view that holds other views.
    #[default]
    Container,
    /// Static text (a label, a TextView).
    Text,
    /// Editable text (an EditText, a UITextField).
    Input,
    /// An image (an ImageView, a UIImageView).
    Image,
    /// A button or other control.
    Button,
    /// A scrolling container (a RecyclerView, a UIScrollView).
    Scroll,
    /// Embedded web content, never captured.
    WebView,
    /// Anything else.
    Other,
}

impl NodeKind {
    /// Every kind, in wire order.
    pub const ALL: [NodeKind; 8] = [
        NodeKind::Container,
        NodeKind::Text,
        NodeKind::Input,
        NodeKind::Image,
        NodeKind::Button,
        NodeKind::Scroll,
        NodeKind::WebView,
        NodeKind::Other,
    ];
}

/// An app's privacy choice for one view; it applies to the view's whole subtree until a
/// descendant makes another choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PrivacyOverride {
    /// Follow the parent, or the session's mode at the root.
    #[default]
    Inherit,
    /// Mask this view's text and images whatever the mode.
    Mask,
    /// Show this view's text and images whatever the mode (password inputs stay masked).
    Unmask,
    /// Record this view as an empty box and nothing below it.
    Hide,
}

/// A rectangle in device pixels, absolute in screen coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PxRect {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Width; a negative width is recorded as zero.
    pub width: f32,
    /// Height; a negative height is recorded as zero.
    pub height: f32,
}

/// Distances in from each side of a node's bounds, in device pixels (Android's padding).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PxInsets {
    /// From the left edge.
    pub left: f32,
    /// From the top edge.
    pub top: f32,
    /// From the right edge.
    pub right: f32,
    /// From the bottom edge.
    pub bottom: f32,
}

impl PxRect {
    /// A rectangle from its left, top, width and height.
    pub const fn new(left: f32, top: f32, width: f32, height: f32) -> Self {
        Self { left, top, width, height }
    }

    /// A rectangle from its left, top, right and bottom edges.
    pub fn from_edges(left: f32, top: f32, right: f32, bottom: f32) -> Self {
        Self { left, top, width: right - left, height: bottom - top }
    }
}

/// Boolean properties of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NodeFlags {
    /// Reacts to taps.
    pub clickable: bool,
    /// Scrolls its content.
    pub scrollable: bool,
    /// Can take focus.
    pub focusable: bool,
    /// Accepts input (a disabled button is not enabled).
    pub enabled: bool,
    /// Drawn on screen (Android VISIBLE, iOS `!isHidden`).
    pub visible: bool,
    /// Clips its children to its bounds.
    pub clips_children: bool,
    /// A secure text entry: always masked, length included.
    pub password: bool,
}

impl NodeFlags {
    /// The flags of an ordinary visible, enabled view.
    pub const fn visible() -> Self {
        Self {
            clickable: false,
            scrollable: false,
            focusable: false,
            enabled: true,
            visible: true,
            clips_children: false,
            password: false,
        }
    }
}

/// One view as the platform sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ViewNode {
    /// The platform's identity for the view object (a pointer or identity hash); stable for as
    /// long as the view lives. The core maps it to a small id of its own.
    pub identity: u64,
    /// Index of the parent in [`ViewTree::nodes`]; `None` only for the root at index 0.
    pub parent: Option<u32>,
    /// What the view is.
    pub kind: NodeKind,
    /// Index of the platform class name in [`ViewTree::classes`] (`classIndex` across the FFI).
    #[cfg_attr(feature = "uniffi", uniffi(name = "class_index"))]
    pub class: u32,
    /// Bounds in pixels, absolute on screen.
    pub bounds: PxRect,
    /// Boolean properties.
    pub flags: NodeFlags,
    /// Opacity from 0 to 1.
    pub alpha: f32,
    /// Background colour as ARGB, when the view has a solid one.
    pub background_color: Option<u32>,
    /// Text colour as ARGB, for text views.
    pub text_color: Option<u32>,
    /// Corner radius in pixels.
    pub corner_radius: f32,
    /// Font size in pixels, for text views.
    pub font_size: f32,
    /// The text shown, subject to masking.
    pub text: Option<String>,
    /// The accessibility label (content description), subject to masking.
    pub content_description: Option<String>,
    /// Horizontal scroll offset in pixels, for scrolling views.
    pub scroll_x: f32,
    /// Vertical scroll offset in pixels, for scrolling views.
    pub scroll_y: f32,
    /// The app's privacy choice for this view.
    pub privacy: PrivacyOverride,
    /// The developer's name for the view, shown by the player's inspector: the resource entry
    /// name on Android (`submit` for `@+id/submit`), the accessibility identifier on iOS. Code,
    /// not user data: never masked. Absent (`null`/`nil`) by default.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub id_name: Option<String>,
    /// A checkbox's, switch's or radio button's state; recorded only where inputs are not
    /// masked. Absent for views that have none.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub checked: Option<bool>,
    /// A progress bar's or slider's position from 0 to 1; recorded only where inputs are not
    /// masked. Absent for views that have none.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub progress: Option<f32>,
    /// Elevation above the parent in pixels (Android `View.getZ()`); 0 by default.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub elevation: f32,
    /// The box the node's children are drawn in, as insets from its bounds in pixels: Android's
    /// padding when `clipToPadding` is on (a `RecyclerView` with padding, say). Absent
    /// (`null`/`nil`, the default): children are clipped, if at all, to the bounds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clip_insets: Option<PxInsets>,
}

impl ViewNode {
    /// A visible, opaque node with the given identity, parent, kind and bounds; other properties
    /// empty.
    pub fn new(identity: u64, parent: Option<u32>, kind: NodeKind, bounds: PxRect) -> Self {
        Self {
            identity,
            parent,
            kind,
            class: 0,
            bounds,
            flags: NodeFlags::visible(),
            alpha: 1.0,
            background_color: None,
            text_color: None,
            corner_radius: 0.0,
            font_size: 0.0,
            text: None,
            content_description: None,
            scroll_x: 0.0,
            scroll_y: 0.0,
            privacy: PrivacyOverride::Inherit,
            id_name: None,
            checked: None,
            progress: None,
            elevation: 0.0,
            clip_insets: None,
        }
    }
}

/// A whole view hierarchy at one moment: the root first, every parent before its children
/// (pre-order or breadth-first both do), siblings in drawing order (back to front). Class names are
/// listed once and named by index, so a platform layer passes each distinct class once per tree.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ViewTree {
    /// Platform class names (`android.widget.TextView`, `UILabel`), named by [`ViewNode::class`].
    pub classes: Vec<String>,
    /// The nodes; `nodes[0]` is the root and every parent comes before its children.
    pub nodes: Vec<ViewNode>,
}

impl ViewTree {
    /// A tree from its class names and nodes, parents first.
    pub fn new(classes: Vec<String>, nodes: Vec<ViewNode>) -> Self {
        Self { classes, nodes }
    }

    /// The index of a class name, adding it if new (a linear search: trees have few classes).
    pub fn class(&mut self, name: &str) -> u32 {
        let index = match self.classes.iter().position(|c| c == name) {
            Some(index) => index,
            None => {
                self.classes.push(name.to_owned());
                self.classes.len() - 1
            }
        };
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    /// The class name of a node; empty when its index is out of range.
    pub fn class_name(&self, node: &ViewNode) -> &str {
        self.classes.get(node.class as usize).map_or("", String::as_str)
    }

    /// Appends a node and returns its index, for building a tree parent first.
    pub fn push(&mut self, node: ViewNode) -> u32 {
        self.nodes.push(node);
        u32::try_from(self.nodes.len() - 1).unwrap_or(u32::MAX)
    }
}
