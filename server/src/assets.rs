//! The web player's static files, embedded in the binary and served without the access token
//! (they hold no data; the API they call needs it): `/` and `/assets/...`.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

use crate::render::FONT_TTF;

/// One embedded file: its path, content type and bytes.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// A module of the player (`server/assets/player/`), served as `/assets/player/NAME`.
macro_rules! module {
    ($name:literal) => {
        Asset {
            path: concat!("/assets/player/", $name),
            content_type: "text/javascript; charset=utf-8",
            bytes: include_bytes!(concat!("../assets/player/", $name)),
        }
    };
}

const ASSETS: [Asset; 19] = [
    Asset { path: "/", content_type: "text/html; charset=utf-8", bytes: include_bytes!("../assets/index.html") },
    Asset { path: "/assets/player.js", content_type: "text/javascript; charset=utf-8", bytes: include_bytes!("../assets/player.js") },
    Asset { path: "/assets/painter.js", content_type: "text/javascript; charset=utf-8", bytes: include_bytes!("../assets/painter.js") },
    Asset { path: "/assets/player.css", content_type: "text/css; charset=utf-8", bytes: include_bytes!("../assets/player.css") },
    Asset { path: "/assets/favicon.svg", content_type: "image/svg+xml", bytes: include_bytes!("../assets/favicon.svg") },
    Asset { path: "/assets/font.ttf", content_type: "font/ttf", bytes: FONT_TTF },
    module!("api.js"),
    module!("details.js"),
    module!("dom.js"),
    module!("errors.js"),
    module!("eventlist.js"),
    module!("inspector.js"),
    module!("kinds.js"),
    module!("live.js"),
    module!("notes.js"),
    module!("playback.js"),
    module!("sessions.js"),
    module!("state.js"),
    module!("timeline.js"),
];

/// The routes of the static files.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for asset in &ASSETS {
        let (content_type, bytes) = (asset.content_type, asset.bytes);
        router = router.route(asset.path, get(move || async move { serve(content_type, bytes) }));
    }
    router.route("/favicon.ico", get(|| async { serve("image/svg+xml", include_bytes!("../assets/favicon.svg")) }))
}

fn serve(content_type: &'static str, bytes: &'static [u8]) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
