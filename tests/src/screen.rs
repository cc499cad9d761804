//! A parsed fixture screen: the view tree a platform layer would hand the core, and the device
//! it came from.

use reprise_core::{NetworkType, Orientation, Platform, SessionMetadata, ViewTree};

/// One real screen, ready for [`reprise_core::Snapshot::capture`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedScreen {
    /// A readable name: the activity for RICO, the file's kind for iOS.
    pub name: String,
    /// The view tree in absolute screen pixels, parents before children.
    pub tree: ViewTree,
    /// Pixels per dp (point) to capture it with.
    pub density: f32,
    /// Screen width in pixels.
    pub width_px: u32,
    /// Screen height in pixels.
    pub height_px: u32,
    /// The platform the screen was recorded on.
    pub platform: Platform,
}

impl ParsedScreen {
    /// Session metadata describing the device the screen was recorded on (app fields generic).
    pub fn metadata(&self) -> SessionMetadata {
        let (os_name, os_version, manufacturer, model) = match self.platform {
            Platform::Ios => ("iOS", "10.3", "Apple", "iPhone"),
            _ => ("Android", "6.0", "Google", "Nexus 6P"),
        };
        SessionMetadata {
            platform: self.platform,
            os_name: os_name.into(),
            os_version: os_version.into(),
            device_manufacturer: manufacturer.into(),
            device_model: model.into(),
            screen_width_px: self.width_px,
            screen_height_px: self.height_px,
            density: self.density,
            orientation: Orientation::Portrait,
            locale: "en-US".into(),
            time_zone: "UTC".into(),
            app_id: "com.example.fixtures".into(),
            app_version: "1.0".into(),
            app_build: "1".into(),
            sdk_version: "0.1.0".into(),
            network: NetworkType::Wifi,
        }
    }
}
