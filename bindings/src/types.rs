//! Records and enums crossing the boundary, mirroring the core's types, with conversions.
//! The core has no FFI types: everything UniFFI sees is declared here.

use std::time::Duration;

use reprise_core as core;

/// What a touch sample reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TouchAction {
    /// The first pointer went down.
    Down,
    /// Pointers moved.
    Move,
    /// The last pointer went up.
    Up,
    /// The gesture was cancelled.
    Cancel,
    /// Another pointer went down.
    PointerDown,
    /// A pointer other than the last went up.
    PointerUp,
}

/// One raw pointer sample, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct TouchSample {
    /// The platform's pointer id.
    pub pointer_id: u32,
    /// What happened.
    pub action: TouchAction,
    /// x in pixels.
    pub x: f32,
    /// y in pixels.
    pub y: f32,
    /// The event time in microseconds (Unix or uptime, as long as it is monotonic).
    pub time_us: i64,
    /// Pressure, when known.
    pub pressure: Option<f32>,
    /// Contact size, when known.
    pub size: Option<f32>,
}

/// What a view is, as far as replay and masking care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NodeKind {
    /// A layout or plain view.
    Container,
    /// Static text.
    Text,
    /// Editable text.
    Input,
    /// An image.
    Image,
    /// A button.
    Button,
    /// A scrolling container.
    Scroll,
    /// A web view.
    WebView,
    /// Anything else.
    Other,
}

/// An app's privacy choice for a view and its subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PrivacyOverride {
    /// Follow the parent and the rules.
    Inherit,
    /// Always mask.
    Mask,
    /// Show (passwords stay masked).
    Unmask,
    /// Leave the view and its subtree out.
    Hide,
}

/// A rectangle in pixels, in window coordinates.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct PxRect {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// One view of a snapshot. Parents come before their children.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ViewNode {
    /// A platform identity stable across snapshots (e.g. System.identityHashCode).
    pub identity: u64,
    /// The parent's index in `nodes`; `None` for the root.
    pub parent: Option<u32>,
    /// What it is.
    pub kind: NodeKind,
    /// The class name's index in `classes`.
    pub class_index: u32,
    /// Bounds in window pixels.
    pub bounds: PxRect,
    /// Reacts to taps.
    pub clickable: bool,
    /// Scrolls.
    pub scrollable: bool,
    /// Can take focus.
    pub focusable: bool,
    /// Enabled.
    pub enabled: bool,
    /// Visible.
    pub visible: bool,
    /// Clips its children.
    pub clips_children: bool,
    /// A password input.
    pub password: bool,
    /// Opacity, 0 to 1.
    pub alpha: f32,
    /// ARGB background colour.
    pub background_color: Option<u32>,
    /// ARGB text colour.
    pub text_color: Option<u32>,
    /// Corner radius in pixels.
    pub corner_radius: f32,
    /// Font size in pixels.
    pub font_size: f32,
    /// Text (masked in the core before the call returns).
    pub text: Option<String>,
    /// Accessibility description (masked like text).
    pub content_description: Option<String>,
    /// Horizontal scroll offset.
    pub scroll_x: f32,
    /// Vertical scroll offset.
    pub scroll_y: f32,
    /// The app's privacy choice.
    pub privacy: PrivacyOverride,
}

/// A view hierarchy: a class-name table and the nodes, parents first.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ViewTree {
    /// Class names, referenced by index.
    pub classes: Vec<String>,
    /// The nodes, parents before children.
    pub nodes: Vec<ViewNode>,
}

/// App lifecycle transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Lifecycle {
    /// The app started.
    Start,
    /// It came to the foreground.
    Foreground,
    /// It went to the background (what was recorded is persisted).
    Background,
    /// It is terminating.
    Terminate,
}

/// Screen orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Orientation {
    /// Portrait.
    Portrait,
    /// Landscape.
    Landscape,
}

/// The kind of network the device is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NetworkType {
    /// Not known.
    Unknown,
    /// No network: uploads pause.
    Offline,
    /// Wi-Fi.
    Wifi,
    /// Cellular.
    Cellular,
    /// Ethernet.
    Ethernet,
    /// Anything else.
    Other,
}

/// The platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Platform {
    /// Android.
    Android,
    /// iOS.
    Ios,
    /// Anything else.
    Other,
}

/// Breadcrumb severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// Debug.
    Debug,
    /// Info.
    Info,
    /// Warning.
    Warning,
    /// Error.
    Error,
}

/// How much text is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MaskMode {
    /// All text, descriptions and inputs (the default).
    MaskAll,
    /// Editable text only.
    MaskInputs,
    /// Only passwords and views the app marked.
    Allow,
}

/// A custom event's or user's attribute value.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum AttributeValue {
    /// Text.
    Text {
        /// The value.
        value: String,
    },
    /// An integer.
    Int {
        /// The value.
        value: i64,
    },
    /// A float.
    Float {
        /// The value.
        value: f64,
    },
    /// A boolean.
    Bool {
        /// The value.
        value: bool,
    },
}

/// A named attribute.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Attribute {
    /// The key.
    pub key: String,
    /// The value.
    pub value: AttributeValue,
}

/// A summary of one network request (the URL loses its query, fragment and credentials).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NetworkRequest {
    /// HTTP method.
    pub method: String,
    /// URL.
    pub url: String,
    /// HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// Duration.
    pub duration_ms: u32,
    /// Request body size.
    pub request_bytes: Option<u64>,
    /// Response body size.
    pub response_bytes: Option<u64>,
}

/// The device and app a session runs on.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionMetadata {
    /// The platform.
    pub platform: Platform,
    /// OS name.
    pub os_name: String,
    /// OS version.
    pub os_version: String,
    /// Device manufacturer.
    pub device_manufacturer: String,
    /// Device model.
    pub device_model: String,
    /// Screen width in pixels.
    pub screen_width_px: u32,
    /// Screen height in pixels.
    pub screen_height_px: u32,
    /// Pixels per dp (point).
    pub density: f32,
    /// Orientation at start.
    pub orientation: Orientation,
    /// Locale tag.
    pub locale: String,
    /// Time zone id.
    pub time_zone: String,
    /// App id (package name, bundle id).
    pub app_id: String,
    /// App version.
    pub app_version: String,
    /// App build.
    pub app_build: String,
    /// SDK version.
    pub sdk_version: String,
    /// Network at start.
    pub network: NetworkType,
}

/// Where and how to upload.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UploadOptions {
    /// Collector base URL (HTTPS, except loopback).
    pub endpoint: String,
    /// The app's API key.
    pub api_key: String,
    /// Most requests in flight.
    pub max_concurrency: u32,
    /// First retry delay.
    pub initial_backoff_ms: u64,
    /// Longest retry delay.
    pub max_backoff_ms: u64,
    /// Time limit of one request.
    pub request_timeout_ms: u64,
}

/// Everything the SDK needs to start.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Config {
    /// The app's private data directory; the queue lives under `reprise/queue` in it.
    pub data_dir: String,
    /// How text is masked.
    pub mask_mode: MaskMode,
    /// Record images as their bounds only (false) or allow them (true).
    pub allow_images: bool,
    /// Share of sessions recorded, 0 to 1.
    pub sample_rate: f64,
    /// Keyframe interval.
    pub keyframe_interval_ms: u64,
    /// Longest time a segment stays open.
    pub max_segment_age_ms: u64,
    /// Disk queue cap.
    pub max_queue_bytes: u64,
    /// Oldest age of a queued segment.
    pub max_queue_age_ms: u64,
    /// Upload settings; `None` records and persists only.
    pub upload: Option<UploadOptions>,
}

/// Counters of the recorder, queue and uploader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Stats {
    /// Events accepted.
    pub events: u64,
    /// Records written.
    pub records: u64,
    /// Snapshots processed.
    pub snapshots: u64,
    /// Keyframes written.
    pub keyframes: u64,
    /// Diffs written.
    pub diffs: u64,
    /// Snapshots equal to the previous one.
    pub unchanged_snapshots: u64,
    /// Segments sealed.
    pub segments: u64,
    /// Sealed bytes.
    pub compressed_bytes: u64,
    /// Events dropped under overload (snapshots and others).
    pub dropped_overload: u64,
    /// Snapshots refused as invalid.
    pub dropped_invalid_snapshots: u64,
    /// Events dropped by an internal error.
    pub dropped_internal: u64,
    /// Events recorded while paused (ignored).
    pub ignored_paused: u64,
    /// Segments waiting in the disk queue.
    pub queued_segments: u64,
    /// Bytes in the disk queue.
    pub queued_bytes: u64,
    /// Segments the collector accepted.
    pub uploaded_segments: u64,
    /// Upload retries.
    pub upload_retries: u64,
}

/// What a flush did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct FlushResult {
    /// Segments persisted to the disk queue.
    pub persisted: u32,
    /// Segments the queue refused (dropped and counted).
    pub failed: u32,
}

impl From<TouchSample> for core::TouchSample {
    fn from(s: TouchSample) -> Self {
        core::TouchSample {
            pointer_id: s.pointer_id,
            action: match s.action {
                TouchAction::Down => core::TouchAction::Down,
                TouchAction::Move => core::TouchAction::Move,
                TouchAction::Up => core::TouchAction::Up,
                TouchAction::Cancel => core::TouchAction::Cancel,
                TouchAction::PointerDown => core::TouchAction::PointerDown,
                TouchAction::PointerUp => core::TouchAction::PointerUp,
            },
            x: s.x,
            y: s.y,
            time_us: s.time_us,
            pressure: s.pressure,
            size: s.size,
        }
    }
}

impl From<NodeKind> for core::NodeKind {
    fn from(k: NodeKind) -> Self {
        match k {
            NodeKind::Container => core::NodeKind::Container,
            NodeKind::Text => core::NodeKind::Text,
            NodeKind::Input => core::NodeKind::Input,
            NodeKind::Image => core::NodeKind::Image,
            NodeKind::Button => core::NodeKind::Button,
            NodeKind::Scroll => core::NodeKind::Scroll,
            NodeKind::WebView => core::NodeKind::WebView,
            NodeKind::Other => core::NodeKind::Other,
        }
    }
}

impl From<PrivacyOverride> for core::PrivacyOverride {
    fn from(p: PrivacyOverride) -> Self {
        match p {
            PrivacyOverride::Inherit => core::PrivacyOverride::Inherit,
            PrivacyOverride::Mask => core::PrivacyOverride::Mask,
            PrivacyOverride::Unmask => core::PrivacyOverride::Unmask,
            PrivacyOverride::Hide => core::PrivacyOverride::Hide,
        }
    }
}

impl From<ViewNode> for core::ViewNode {
    fn from(n: ViewNode) -> Self {
        core::ViewNode {
            identity: n.identity,
            parent: n.parent,
            kind: n.kind.into(),
            class: n.class_index,
            bounds: core::PxRect::new(n.bounds.left, n.bounds.top, n.bounds.width, n.bounds.height),
            flags: core::NodeFlags {
                clickable: n.clickable,
                scrollable: n.scrollable,
                focusable: n.focusable,
                enabled: n.enabled,
                visible: n.visible,
                clips_children: n.clips_children,
                password: n.password,
            },
            alpha: n.alpha,
            background_color: n.background_color,
            text_color: n.text_color,
            corner_radius: n.corner_radius,
            font_size: n.font_size,
            text: n.text,
            content_description: n.content_description,
            scroll_x: n.scroll_x,
            scroll_y: n.scroll_y,
            privacy: n.privacy.into(),
        }
    }
}

impl From<ViewTree> for core::ViewTree {
    fn from(t: ViewTree) -> Self {
        core::ViewTree::new(t.classes, t.nodes.into_iter().map(Into::into).collect())
    }
}

impl From<Lifecycle> for core::Lifecycle {
    fn from(l: Lifecycle) -> Self {
        match l {
            Lifecycle::Start => core::Lifecycle::Start,
            Lifecycle::Foreground => core::Lifecycle::Foreground,
            Lifecycle::Background => core::Lifecycle::Background,
            Lifecycle::Terminate => core::Lifecycle::Terminate,
        }
    }
}

impl From<Orientation> for core::Orientation {
    fn from(o: Orientation) -> Self {
        match o {
            Orientation::Portrait => core::Orientation::Portrait,
            Orientation::Landscape => core::Orientation::Landscape,
        }
    }
}

impl From<NetworkType> for core::NetworkType {
    fn from(n: NetworkType) -> Self {
        match n {
            NetworkType::Unknown => core::NetworkType::Unknown,
            NetworkType::Offline => core::NetworkType::Offline,
            NetworkType::Wifi => core::NetworkType::Wifi,
            NetworkType::Cellular => core::NetworkType::Cellular,
            NetworkType::Ethernet => core::NetworkType::Ethernet,
            NetworkType::Other => core::NetworkType::Other,
        }
    }
}

impl From<LogLevel> for core::LogLevel {
    fn from(l: LogLevel) -> Self {
        match l {
            LogLevel::Debug => core::LogLevel::Debug,
            LogLevel::Info => core::LogLevel::Info,
            LogLevel::Warning => core::LogLevel::Warning,
            LogLevel::Error => core::LogLevel::Error,
        }
    }
}

impl From<AttributeValue> for core::AttributeValue {
    fn from(v: AttributeValue) -> Self {
        match v {
            AttributeValue::Text { value } => core::AttributeValue::String(value),
            AttributeValue::Int { value } => core::AttributeValue::Int(value),
            AttributeValue::Float { value } => core::AttributeValue::Float(value),
            AttributeValue::Bool { value } => core::AttributeValue::Bool(value),
        }
    }
}

impl From<NetworkRequest> for core::NetworkRequest {
    fn from(r: NetworkRequest) -> Self {
        core::NetworkRequest {
            method: r.method,
            url: r.url,
            status: r.status,
            duration_ms: r.duration_ms,
            request_bytes: r.request_bytes,
            response_bytes: r.response_bytes,
        }
    }
}

impl From<SessionMetadata> for core::SessionMetadata {
    fn from(m: SessionMetadata) -> Self {
        core::SessionMetadata {
            platform: match m.platform {
                Platform::Android => core::Platform::Android,
                Platform::Ios => core::Platform::Ios,
                Platform::Other => core::Platform::Other,
            },
            os_name: m.os_name,
            os_version: m.os_version,
            device_manufacturer: m.device_manufacturer,
            device_model: m.device_model,
            screen_width_px: m.screen_width_px,
            screen_height_px: m.screen_height_px,
            density: m.density,
            orientation: m.orientation.into(),
            locale: m.locale,
            time_zone: m.time_zone,
            app_id: m.app_id,
            app_version: m.app_version,
            app_build: m.app_build,
            sdk_version: m.sdk_version,
            network: m.network.into(),
        }
    }
}

impl From<UploadOptions> for core::UploadConfig {
    fn from(u: UploadOptions) -> Self {
        core::UploadConfig {
            endpoint: u.endpoint,
            api_key: u.api_key,
            max_concurrency: u.max_concurrency as usize,
            initial_backoff: Duration::from_millis(u.initial_backoff_ms),
            max_backoff: Duration::from_millis(u.max_backoff_ms),
            request_timeout: Duration::from_millis(u.request_timeout_ms),
            ..Default::default()
        }
    }
}

impl From<Config> for core::SdkConfig {
    fn from(c: Config) -> Self {
        let mut recorder = core::RecorderConfig::default();
        recorder.privacy.mode = match c.mask_mode {
            MaskMode::MaskAll => core::MaskMode::MaskAll,
            MaskMode::MaskInputs => core::MaskMode::MaskInputs,
            MaskMode::Allow => core::MaskMode::Allow,
        };
        recorder.privacy.allow_images = c.allow_images;
        recorder.sample_rate = c.sample_rate;
        recorder.keyframe_interval = Duration::from_millis(c.keyframe_interval_ms);
        recorder.max_segment_age = Duration::from_millis(c.max_segment_age_ms);
        core::SdkConfig {
            data_dir: c.data_dir.into(),
            recorder,
            queue: core::QueueConfig { max_bytes: c.max_queue_bytes, max_age: Duration::from_millis(c.max_queue_age_ms) },
            upload: c.upload.map(Into::into),
        }
    }
}

impl Stats {
    pub(crate) fn from_core(s: core::SdkStats, ignored_paused: u64) -> Self {
        Stats {
            events: s.recorder.events,
            records: s.recorder.records,
            snapshots: s.recorder.snapshots,
            keyframes: s.recorder.keyframes,
            diffs: s.recorder.diffs,
            unchanged_snapshots: s.recorder.unchanged_snapshots,
            segments: s.recorder.segments,
            compressed_bytes: s.recorder.compressed_bytes,
            dropped_overload: s.recorder.dropped_overload_snapshots + s.recorder.dropped_overload_events,
            dropped_invalid_snapshots: s.recorder.dropped_invalid_snapshots,
            dropped_internal: s.recorder.dropped_internal,
            ignored_paused,
            queued_segments: s.queue.segments,
            queued_bytes: s.queue.bytes,
            uploaded_segments: s.upload.delivered,
            upload_retries: s.upload.retries,
        }
    }
}
