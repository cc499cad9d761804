//! What the platform layers report besides view snapshots: touches, screens, lifecycle and the
//! rest of a session's timeline.

use serde::{Deserialize, Serialize};

use crate::view::ViewTree;

/// What a pointer did in one raw sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TouchAction {
    /// The first pointer touched down.
    Down,
    /// A pointer moved.
    Move,
    /// The last pointer lifted.
    Up,
    /// The platform cancelled the gesture (a parent took the touches, the window lost focus).
    Cancel,
    /// An additional pointer touched down.
    PointerDown,
    /// A pointer other than the last lifted.
    PointerUp,
}

/// One raw pointer sample, forwarded unchanged by the platform layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TouchSample {
    /// The platform's pointer id, stable while the pointer is down.
    pub pointer_id: u32,
    /// What happened.
    pub action: TouchAction,
    /// X in pixels, absolute on screen.
    pub x: f32,
    /// Y in pixels, absolute on screen.
    pub y: f32,
    /// When, in microseconds since the Unix epoch.
    pub time_us: i64,
    /// Pressure from 0 to 1, when the platform has it.
    pub pressure: Option<f32>,
    /// Touch size, when the platform has it.
    pub size: Option<f32>,
}

/// An app lifecycle transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Lifecycle {
    /// The app process started.
    Start,
    /// The app came to the foreground.
    Foreground,
    /// The app went to the background: the open segment is sealed.
    Background,
    /// The app is terminating.
    Terminate,
}

/// Screen orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Orientation {
    /// Taller than wide.
    #[default]
    Portrait,
    /// Wider than tall.
    Landscape,
}

/// The visible area changed: a rotation, a window resize, a split screen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Pixels per dp (Android density, iOS screen scale).
    pub density: f32,
    /// Orientation.
    pub orientation: Orientation,
}

/// A typed value of a custom event or session attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AttributeValue {
    /// Text.
    String(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
    /// A flag.
    Bool(bool),
}

/// An event the app defines, with typed attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomEvent {
    /// The event's name.
    pub name: String,
    /// Its attributes, in the order given.
    pub attributes: Vec<(String, AttributeValue)>,
}

/// Severity of a breadcrumb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LogLevel {
    /// Debugging detail.
    Debug,
    /// Ordinary information.
    Info,
    /// Something unexpected.
    Warning,
    /// An error, shown as an error marker on the replay timeline.
    Error,
}

/// A log line or error the app reports, shown on the replay timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breadcrumb {
    /// Severity.
    pub level: LogLevel,
    /// The message.
    pub message: String,
}

/// The summary of one network request the app made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NetworkRequest {
    /// HTTP method.
    pub method: String,
    /// The URL; the core removes its query string, fragment and credentials before recording.
    pub url: String,
    /// HTTP status, absent when the request failed before a response.
    pub status: Option<u16>,
    /// Duration in milliseconds.
    pub duration_ms: u32,
    /// Request body size in bytes, when known.
    pub request_bytes: Option<u64>,
    /// Response body size in bytes, when known.
    pub response_bytes: Option<u64>,
}

impl NetworkRequest {
    /// The URL without query string, fragment or user credentials.
    pub fn redacted_url(url: &str) -> String {
        let end = url.find(['?', '#']).unwrap_or(url.len());
        let url = &url[..end];
        match url.find("://") {
            Some(scheme_end) => {
                let rest = &url[scheme_end + 3..];
                let authority_end = rest.find('/').unwrap_or(rest.len());
                match rest[..authority_end].rfind('@') {
                    Some(at) => format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]),
                    None => url.to_owned(),
                }
            }
            None => url.to_owned(),
        }
    }
}

/// The kind of network the device is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NetworkType {
    /// Not known.
    #[default]
    Unknown,
    /// Offline.
    Offline,
    /// Wi-Fi.
    Wifi,
    /// Mobile data.
    Cellular,
    /// Wired.
    Ethernet,
    /// Something else (VPN, Bluetooth).
    Other,
}

/// One thing the app reports to the recorder.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The view hierarchy now.
    Snapshot(ViewTree),
    /// Raw pointer samples, in the order the platform delivered them.
    Touches(Vec<TouchSample>),
    /// The user reached a new screen (activity, fragment, view controller): forces a keyframe.
    ScreenView {
        /// The screen's name.
        name: String,
    },
    /// An app lifecycle transition.
    Lifecycle(Lifecycle),
    /// The visible area changed: forces a keyframe.
    Viewport(Viewport),
    /// The soft keyboard appeared or went away.
    Keyboard {
        /// Whether it is now shown.
        visible: bool,
        /// Its height in pixels.
        height_px: f32,
    },
    /// An app-defined event.
    Custom(CustomEvent),
    /// A log line or error.
    Breadcrumb(Breadcrumb),
    /// A network request summary.
    Network(NetworkRequest),
    /// The network changed.
    Connectivity(NetworkType),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_query_fragment_and_credentials() {
        assert_eq!(
            NetworkRequest::redacted_url("https://bob:pw@api.example.com/v1/u?token=abc#x"),
            "https://api.example.com/v1/u"
        );
        assert_eq!(NetworkRequest::redacted_url("/relative/path?q=1"), "/relative/path");
        assert_eq!(NetworkRequest::redacted_url("https://a.b/c@d"), "https://a.b/c@d");
    }
}
