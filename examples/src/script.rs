//! The scripted session: about 60 s on three real RICO screens, with what a platform layer would
//! report meanwhile.
//!
//! Each screen gets 20 s: a screen view and its snapshot, an unchanged snapshot half a second
//! later, then one snapshot a second of its first list scrolled (back and forth, rows leaving and
//! coming back as a recycling list does), taps and 60 Hz drags, custom events and breadcrumbs.
//! The app goes to the background at 60 s.

use std::path::Path;

use reprise_core::{
    AttributeValue, Breadcrumb, CustomEvent, Event, Lifecycle, LogLevel, TouchAction, TouchSample, ViewTree,
};
use reprise_fixtures::{ParsedScreen, TreeEditor, data};

use crate::error::AppError;

/// The screens shown, in order: RICO id and screen name.
pub const SCENES: [(&str, &str); 3] = [("3363", "Language picker"), ("33618", "Search results"), ("33656", "News feed")];
/// How long each screen is shown.
pub const SCENE_MS: i64 = 20_000;
/// Scroll step per second, in pixels (12 dp at the RICO density of 3.5).
const SCROLL_STEP_PX: f32 = 42.0;
/// A touch frame at 60 Hz, in microseconds.
const FRAME_US: i64 = 16_667;

/// One timed call to the recorder.
pub struct Action {
    /// Unix milliseconds.
    pub time_ms: i64,
    /// What is recorded.
    pub event: Event,
}

/// The script: its actions in time order, the first screen (for the device metadata) and the
/// last tree recorded (to check replay against).
pub struct Script {
    /// Actions in time order.
    pub actions: Vec<Action>,
    /// The first screen.
    pub first: ParsedScreen,
    /// The last snapshot's tree.
    pub last_tree: ViewTree,
    /// When the script ends.
    pub end_ms: i64,
}

/// Builds the script from the fixtures in `dir`, starting at `t0` (Unix milliseconds).
pub fn build(dir: &Path, t0: i64) -> Result<Script, AppError> {
    let mut actions = Vec::new();
    let mut at = |time_ms: i64, event: Event| actions.push(Action { time_ms, event });
    let mut first = None;
    let mut last_tree = ViewTree::default();
    at(t0, Event::Lifecycle(Lifecycle::Start));
    for (scene, (id, name)) in SCENES.iter().enumerate() {
        let screen = data::load_rico(dir, id)?;
        let start = t0 + scene as i64 * SCENE_MS;
        at(start, Event::ScreenView { name: (*name).to_owned() });
        at(start, Event::Snapshot(screen.tree.clone()));
        at(start + 500, Event::Snapshot(screen.tree.clone()));
        let editor = TreeEditor::new(&screen.tree);
        let list = editor
            .find(|slot, node| node.flags.scrollable && editor.children(slot).len() >= 3)
            .ok_or_else(|| AppError::Script(format!("RICO {id} has no list to scroll")))?;
        for second in 1..SCENE_MS / 1000 {
            // Down for 8 s, back up for 8 s, and so on.
            let phase = second % 16;
            let steps = if phase < 8 { phase } else { 16 - phase };
            let mut scrolled = editor.clone();
            scrolled.scroll(list, steps as f32 * SCROLL_STEP_PX)?;
            last_tree = scrolled.to_tree();
            at(start + second * 1000, Event::Snapshot(last_tree.clone()));
        }
        // A tap on the list, then a drag up the list, in the screen's pixels.
        let frame = editor.node(list).map(|n| n.bounds).unwrap_or_default();
        let (cx, cy) = (frame.left + frame.width / 2.0, frame.top + frame.height / 3.0);
        at(start + 1_200, Event::Touches(tap(start + 1_200, cx, cy)));
        at(start + 3_000, Event::Touches(drag(start + 3_000, cx, frame.top + frame.height * 0.8, -frame.height * 0.5, 30)));
        first.get_or_insert(screen);
    }
    let custom = |name: &str, attributes: Vec<(&str, AttributeValue)>| {
        let attributes = attributes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Event::Custom(CustomEvent { name: name.to_owned(), attributes })
    };
    at(t0 + 19_500, custom("language_selected", vec![("language", AttributeValue::String("en".into())), ("onboarding", AttributeValue::Bool(true))]));
    at(t0 + 30_000, custom("search_filtered", vec![("results", AttributeValue::Int(24))]));
    at(t0 + 48_000, custom("article_opened", vec![("position", AttributeValue::Int(3)), ("read_s", AttributeValue::Float(7.5))]));
    let crumb = |level, message: &str| Event::Breadcrumb(Breadcrumb { level, message: message.to_owned() });
    at(t0 + 20_100, crumb(LogLevel::Info, "search request sent"));
    at(t0 + 35_000, crumb(LogLevel::Warning, "thumbnail decode took 220 ms"));
    at(t0 + 55_000, crumb(LogLevel::Error, "feed refresh failed: timeout"));
    let end_ms = t0 + SCENES.len() as i64 * SCENE_MS;
    at(end_ms, Event::Lifecycle(Lifecycle::Background));
    // Stable: events at the same time keep their order (a screen view before its snapshot).
    actions.sort_by_key(|a| a.time_ms);
    let first = first.ok_or_else(|| AppError::Script("no scene".into()))?;
    Ok(Script { actions, first, last_tree, end_ms })
}

fn sample(action: TouchAction, x: f32, y: f32, time_us: i64) -> TouchSample {
    TouchSample { pointer_id: 0, action, x, y, time_us, pressure: Some(0.6), size: Some(0.1) }
}

/// A tap: down, up 90 ms later a pixel away.
fn tap(time_ms: i64, x: f32, y: f32) -> Vec<TouchSample> {
    let t = time_ms * 1000;
    vec![sample(TouchAction::Down, x, y, t), sample(TouchAction::Up, x + 1.0, y, t + 90_000)]
}

/// A drag at 60 Hz: down, `frames` moves covering `dy` pixels (easing out), up.
fn drag(time_ms: i64, x: f32, y: f32, dy: f32, frames: i64) -> Vec<TouchSample> {
    let t = time_ms * 1000;
    let mut out = vec![sample(TouchAction::Down, x, y, t)];
    for i in 1..=frames {
        let p = i as f32 / frames as f32;
        let eased = 1.0 - (1.0 - p) * (1.0 - p);
        out.push(sample(TouchAction::Move, x + 3.0 * p, y + dy * eased, t + i * FRAME_US));
    }
    out.push(sample(TouchAction::Up, x + 3.0, y + dy, t + (frames + 1) * FRAME_US));
    out
}
