//! The demo's sessions: real screens and real touches, arranged into two plausible app sessions.
//!
//! What is real:
//! - every hierarchy is a real screen: RICO Android screens (`tests/data/rico`) and Apple's
//!   UICatalog as dumped on an iPhone (`tests/data/ios-canvas-highlighter/example.js`);
//! - every touch sample comes from a real recording (`tests/data/traces`): taps from the Galaxy S
//!   `getevent` traces, the slow scroll of the Flutter engine's recording and flings recorded by
//!   hand on a Pixel for AOSP's `VelocityTracker` tests. Each stroke keeps its own timing, jitter
//!   and shape; it is moved (start point and start time) onto the spot it is used for, and its
//!   distances are kept in dp (trace pixels / trace density x screen density), so its speed in
//!   dp/s is the one the finger had.
//!
//! What is arranged:
//! - the flow: the Android session stitches three screens of three different apps (a language
//!   picker, eBay search results, a team's schedule) into one session of one app, because RICO
//!   holds no single app with a scrolling list on several screens;
//! - when each stroke happens and where it lands (on a list, a button, a title);
//! - how the hierarchy answers: while a finger drags a list, a snapshot every 100 ms moves the
//!   list's content with the finger; after a fling it glides on and slows down (exponential
//!   decay, time constant 325 ms) for 1.2 s. A list's rows repeat below its real content so a long
//!   scroll never runs out of rows (the repeated rows are copies of the real ones);
//! - the struggles: four real taps, 380 ms apart, on the "Follow" button of the search results
//!   while its request fails (a rage tap), and a real tap on the schedule screen's title, which is
//!   not interactive, with no change after it (a dead tap);
//! - the custom events, breadcrumbs, the failed network request, the metadata (OS and app
//!   versions, user ids) and the attributes.

use std::path::Path;

use reprise_core::{
    AttributeValue, Breadcrumb, CustomEvent, Event, GestureConfig, GestureKind, GestureRecord, Lifecycle, LogLevel,
    NetworkRequest, Platform, Recorder, RecorderError, SessionMetadata, TouchAction, TouchSample, ViewTree,
};
use thiserror::Error;

use crate::edit::{EditError, TreeEditor};
use crate::error::ParseError;
use crate::traces::{self, GALAXY_S};
use crate::{data, gestures};

/// The Android session's user id.
pub const ANDROID_USER: &str = "ana.silva-7731";
/// The iOS session's user id.
pub const IOS_USER: &str = "kenji.sato-2208";
/// Pixels per dp assumed for the Pixel ("sailfish") of AOSP's recorded flings (1080x1920, 420 dpi).
const PIXEL_DENSITY: f32 = 2.625;
/// Pixels per dp assumed for the Flutter recording, whose device is unknown: a 2.625 phone, like
/// the Pixel.
const FLUTTER_DENSITY: f32 = 2.625;
/// Snapshots while a list follows a finger or glides.
const FOLLOW_STEP_MS: i64 = 100;
/// Time constant of a fling's glide.
const GLIDE_TAU_S: f32 = 0.325;
/// How long a fling's glide is recorded.
const GLIDE_MS: i64 = 1200;
/// Time between the taps of the rage tap.
const RAGE_TAP_GAP_MS: i64 = 380;

/// Why a scenario could not be built from the fixtures.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// A fixture could not be read or parsed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A screen could not be edited.
    #[error(transparent)]
    Edit(#[from] EditError),
    /// Something the scenario needs is not in the fixtures.
    #[error("the fixtures lack {0}")]
    Missing(String),
}

/// One timed call to the recorder.
#[derive(Debug, Clone)]
pub struct Step {
    /// Unix milliseconds.
    pub time_ms: i64,
    /// What is recorded.
    pub event: Event,
}

/// A session to record: the device, the user and the timed events.
#[derive(Debug, Clone)]
pub struct Session {
    /// The device and app.
    pub metadata: SessionMetadata,
    /// The user id set on the recorder.
    pub user_id: String,
    /// User attributes set on the recorder.
    pub attributes: Vec<(String, AttributeValue)>,
    /// When the session starts (Unix milliseconds).
    pub start_ms: i64,
    /// When it ends (the app goes to the background).
    pub end_ms: i64,
    /// The events in time order.
    pub steps: Vec<Step>,
    /// The screen views, in order: (time, name).
    pub screens: Vec<(i64, String)>,
    /// The last snapshot's tree.
    pub last_tree: ViewTree,
    /// When the arranged rage tap's first tap lands, if the session has one.
    pub rage_tap_ms: Option<i64>,
    /// When the arranged dead tap lands, if the session has one.
    pub dead_tap_ms: Option<i64>,
}

impl Session {
    /// Records the session on `recorder` through `record` (the recorder's own `record`, or an
    /// SDK's, which also routes lifecycle events to its uploader): sets the user, then each step.
    ///
    /// The steps' clock is simulated, so without pacing the recorder would get a minute of
    /// snapshots in a few milliseconds and drop some as overload (as it should). A real app takes
    /// a few snapshots a second: pace like one by letting the worker take each snapshot before
    /// the next (for at most a second).
    pub fn play(
        &self,
        recorder: &Recorder,
        mut record: impl FnMut(i64, Event) -> Result<(), RecorderError>,
    ) -> Result<(), RecorderError> {
        recorder.set_user_id(Some(self.user_id.clone()));
        for (key, value) in &self.attributes {
            recorder.set_attribute(key.clone(), value.clone());
        }
        let mut snapshots = 0;
        for step in &self.steps {
            let is_snapshot = matches!(step.event, Event::Snapshot(_));
            record(step.time_ms, step.event.clone())?;
            if is_snapshot {
                snapshots += 1;
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
                while std::time::Instant::now() < deadline {
                    let s = recorder.stats();
                    if s.snapshots + s.dropped_overload_snapshots >= snapshots {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
            }
        }
        Ok(())
    }
}

/// A real touch sequence (first finger down to last finger up) of a trace, in the trace
/// device's pixels.
#[derive(Debug, Clone)]
pub struct Stroke {
    samples: Vec<TouchSample>,
    density: f32,
}

impl Stroke {
    /// Splits a trace's samples into strokes; `density` is the trace device's pixels per dp.
    pub fn split(samples: &[TouchSample], density: f32) -> Vec<Stroke> {
        let mut out = Vec::new();
        let mut current = Vec::new();
        for s in samples {
            current.push(*s);
            if matches!(s.action, TouchAction::Up | TouchAction::Cancel) {
                out.push(Stroke { samples: std::mem::take(&mut current), density });
            }
        }
        out
    }

    /// The stroke moved onto a screen of `density`: its first sample at (`x`, `y`) pixels and at
    /// `start_ms`, every distance kept in dp and every interval kept.
    pub fn place(&self, x: f32, y: f32, density: f32, start_ms: i64) -> Vec<TouchSample> {
        let Some(first) = self.samples.first() else { return Vec::new() };
        let scale = density / self.density;
        self.samples
            .iter()
            .map(|s| TouchSample {
                x: x + (s.x - first.x) * scale,
                y: y + (s.y - first.y) * scale,
                time_us: start_ms * 1000 + (s.time_us - first.time_us),
                ..*s
            })
            .collect()
    }
}

/// The real strokes the scenarios use.
struct Strokes {
    /// Single taps of the Galaxy S.
    taps: Vec<Stroke>,
    /// The Flutter engine's 3.4 s scroll upwards.
    scroll: Stroke,
    /// A fast fling upwards (AOSP `SailfishFlingUpFast1`).
    fling_up: Stroke,
    /// A slow fling downwards (AOSP `SailfishFlingDownSlow1`).
    fling_down: Stroke,
    /// A medium fling upwards (AOSP `SailfishFlingUpFaster1`).
    fling_up_medium: Stroke,
}

impl Strokes {
    fn load(fixtures: &Path) -> Result<Self, ScenarioError> {
        let mut taps = Vec::new();
        for file in ["Phone/phone-single-touch.txt", "Phone/phone-three-touches.txt", "Phone/phone-openCalender.txt"] {
            let samples = traces::getevent_samples(fixtures, file, GALAXY_S)?;
            let strokes = Stroke::split(&samples, GALAXY_S.density);
            // Taps only: the strokes the core itself calls taps.
            taps.extend(strokes.into_iter().filter(|s| {
                gestures::names(&gestures::run(&s.samples, s.density, GestureConfig::default())) == ["tap"]
            }));
        }
        if taps.len() < 6 {
            return Err(ScenarioError::Missing(format!("six real taps (found {})", taps.len())));
        }
        let flutter = traces::flutter(&traces::read(fixtures, "flutter-scroll-record/scrollingRecord.json")?);
        let scroll = Stroke::split(&flutter, FLUTTER_DENSITY)
            .into_iter()
            .next()
            .ok_or_else(|| ScenarioError::Missing("the Flutter scroll".into()))?;
        let flings = traces::aosp_flings(&traces::read(fixtures, "aosp-velocitytracker/VelocityTracker_test.cpp")?);
        let fling = |name: &str| {
            flings
                .iter()
                .find(|f| f.name == name)
                .map(|f| Stroke { samples: f.touches(), density: PIXEL_DENSITY })
                .ok_or_else(|| ScenarioError::Missing(format!("the AOSP fling {name}")))
        };
        Ok(Strokes {
            taps,
            scroll,
            fling_up: fling("SailfishFlingUpFast1")?,
            fling_down: fling("SailfishFlingDownSlow1")?,
            fling_up_medium: fling("SailfishFlingUpFaster1")?,
        })
    }

    fn tap(&self, i: usize) -> &Stroke {
        &self.taps[i % self.taps.len()]
    }
}

/// Accumulates a session's steps.
struct Builder {
    steps: Vec<Step>,
    screens: Vec<(i64, String)>,
    last_tree: ViewTree,
    density: f32,
}

impl Builder {
    fn new(density: f32) -> Self {
        Self { steps: Vec::new(), screens: Vec::new(), last_tree: ViewTree::default(), density }
    }

    fn at(&mut self, time_ms: i64, event: Event) {
        self.steps.push(Step { time_ms, event });
    }

    fn snapshot(&mut self, time_ms: i64, tree: ViewTree) {
        self.last_tree = tree.clone();
        self.at(time_ms, Event::Snapshot(tree));
    }

    fn screen(&mut self, time_ms: i64, name: &str, tree: &ViewTree) {
        self.screens.push((time_ms, name.to_owned()));
        self.at(time_ms, Event::ScreenView { name: name.to_owned() });
        self.snapshot(time_ms, tree.clone());
    }

    /// A stroke at (`x`, `y`) pixels at `time_ms`; returns the samples recorded.
    fn touch(&mut self, stroke: &Stroke, x: f32, y: f32, time_ms: i64) -> Vec<TouchSample> {
        let samples = stroke.place(x, y, self.density, time_ms);
        self.at(time_ms, Event::Touches(samples.clone()));
        samples
    }

    /// A stroke dragging `list`, which follows the finger and, when the core calls the stroke a
    /// fling, glides on. `offset` is the list's scroll before; returns it after.
    fn drag_list(&mut self, list: &ListScroll, stroke: &Stroke, x: f32, y: f32, time_ms: i64, offset: f32) -> Result<f32, ScenarioError> {
        let samples = self.touch(stroke, x, y, time_ms);
        let (Some(first), Some(last)) = (samples.first().copied(), samples.last().copied()) else { return Ok(offset) };
        let mut t = time_ms + FOLLOW_STEP_MS;
        while t * 1000 <= last.time_us {
            let finger = samples.iter().take_while(|s| s.time_us <= t * 1000).last().unwrap_or(&first);
            self.snapshot(t, list.at(offset + first.y - finger.y)?);
            t += FOLLOW_STEP_MS;
        }
        let moved = first.y - last.y;
        let end_ms = last.time_us.div_euclid(1000);
        self.snapshot(end_ms, list.at(offset + moved)?);
        let records = gestures::run(&samples, self.density, GestureConfig::default());
        let velocity_px = records.iter().find_map(|r| match r {
            GestureRecord::Gesture(g) => match g.kind {
                GestureKind::Fling { vy, .. } => Some(vy as f32 * self.density),
                _ => None,
            },
            GestureRecord::Struggle(_) => None,
        });
        let mut glide = 0.0;
        if let Some(v) = velocity_px {
            for step in 1..=GLIDE_MS / FOLLOW_STEP_MS {
                let s = (step * FOLLOW_STEP_MS) as f32 / 1000.0;
                // Content moves against the finger's velocity: up when the finger flings up.
                glide = -v * GLIDE_TAU_S * (1.0 - (-s / GLIDE_TAU_S).exp());
                self.snapshot(end_ms + step * FOLLOW_STEP_MS, list.at(offset + moved + glide)?);
            }
        }
        Ok(list.clamp(offset + moved + glide))
    }

    fn custom(&mut self, time_ms: i64, name: &str, attributes: Vec<(&str, AttributeValue)>) {
        let attributes = attributes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        self.at(time_ms, Event::Custom(CustomEvent { name: name.to_owned(), attributes }));
    }

    fn crumb(&mut self, time_ms: i64, level: LogLevel, message: &str) {
        self.at(time_ms, Event::Breadcrumb(Breadcrumb { level, message: message.to_owned() }));
    }

    fn finish(mut self, metadata: SessionMetadata, user_id: &str, attributes: Vec<(&str, AttributeValue)>, start_ms: i64, end_ms: i64) -> Session {
        self.at(end_ms, Event::Lifecycle(Lifecycle::Background));
        // Stable: events at the same time keep their order (a screen view before its snapshot).
        self.steps.sort_by_key(|s| s.time_ms);
        Session {
            metadata,
            user_id: user_id.to_owned(),
            attributes: attributes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            start_ms,
            end_ms,
            steps: self.steps,
            screens: self.screens,
            last_tree: self.last_tree,
            rage_tap_ms: None,
            dead_tap_ms: None,
        }
    }
}

/// A screen's list, its real rows repeated below it so that it can scroll far.
struct ListScroll {
    editor: TreeEditor,
    list: usize,
    /// Largest scroll the repeated rows allow.
    max: f32,
}

impl ListScroll {
    /// The first list of `tree` on screen (scrollable or clickable, at least three rows), its rows
    /// repeated `copies` times below them.
    fn of(tree: &ViewTree, copies: usize) -> Result<Self, ScenarioError> {
        let mut editor = TreeEditor::new(tree);
        let list = editor
            .find(|slot, node| {
                let on_screen = node.flags.visible && node.bounds.left >= 0.0 && node.bounds.height > 0.0;
                on_screen && (node.flags.scrollable || node.flags.clickable) && editor.children(slot).len() >= 3
            })
            .ok_or_else(|| ScenarioError::Missing("a list with three rows".into()))?;
        // The scenario scrolls it, so it is a scrolling container (RICO records some lists only
        // as clickable): rows cut at its edges are then scrolled content, not a layout defect.
        if let Some(node) = editor.node_mut(list) {
            node.flags.scrollable = true;
        }
        let frame = editor.node(list).map(|n| n.bounds).unwrap_or_default();
        let rows = editor.children(list).to_vec();
        let bottom = rows
            .iter()
            .filter_map(|&r| editor.node(r).map(|n| n.bounds.top + n.bounds.height))
            .fold(frame.top, f32::max);
        let content = bottom - frame.top;
        for copy in 1..=copies {
            for &row in &rows {
                editor.copy_subtree(row, list, 0.0, content * copy as f32, copy as u64)?;
            }
        }
        let max = (content * (copies + 1) as f32 - frame.height).max(0.0);
        Ok(Self { editor, list, max })
    }

    fn clamp(&self, offset: f32) -> f32 {
        offset.clamp(0.0, self.max)
    }

    /// The screen with the list scrolled by `offset` pixels (rows outside the list removed).
    fn at(&self, offset: f32) -> Result<ViewTree, ScenarioError> {
        let mut editor = self.editor.clone();
        editor.scroll(self.list, self.clamp(offset))?;
        Ok(editor.to_tree())
    }

    /// The list's bounds.
    fn frame(&self) -> reprise_core::PxRect {
        self.editor.node(self.list).map(|n| n.bounds).unwrap_or_default()
    }
}

/// Centre of the first node whose text is `text`, in pixels.
fn centre_of(tree: &ViewTree, text: &str) -> Result<(f32, f32), ScenarioError> {
    tree.nodes
        .iter()
        .find(|n| n.text.as_deref() == Some(text) && n.flags.visible)
        .map(|n| (n.bounds.left + n.bounds.width / 2.0, n.bounds.top + n.bounds.height / 2.0))
        .ok_or_else(|| ScenarioError::Missing(format!("a view with the text {text:?}")))
}

/// The Android session, about 30 s from `t0` (Unix ms) on a Nexus 6P: a language picker whose
/// list is dragged, then tapped and confirmed; eBay search results flung through and back, then
/// a rage tap on "Follow" while its request fails; a team's schedule scrolled slowly (the real
/// Flutter scroll), then a dead tap on its title.
pub fn android(fixtures: &Path, t0: i64) -> Result<Session, ScenarioError> {
    let strokes = Strokes::load(fixtures)?;
    let picker = data::load_rico(fixtures, "3363")?;
    let search = data::load_rico(fixtures, "33618")?;
    let schedule = data::load_rico(fixtures, "33656")?;
    let mut b = Builder::new(picker.density);
    b.at(t0, Event::Lifecycle(Lifecycle::Foreground));

    // 1. The language picker: drag the list (a slow real fling), tap a language, confirm.
    let s1 = t0 + 500;
    b.screen(s1, "Language picker", &picker.tree);
    let list = ListScroll::of(&picker.tree, 2)?;
    let f = list.frame();
    let (cx, low) = (f.left + f.width / 2.0, f.top + f.height * 0.75);
    let offset = b.drag_list(&list, &strokes.fling_up_medium, cx, low, s1 + 1500, 0.0)?;
    b.drag_list(&list, &strokes.fling_down, cx, f.top + f.height * 0.3, s1 + 3500, offset)?;
    b.touch(strokes.tap(0), cx, f.top + f.height * 0.2, s1 + 5500);
    let (ok_x, ok_y) = centre_of(&picker.tree, "OK")?;
    b.touch(strokes.tap(1), ok_x, ok_y, s1 + 6800);
    b.custom(s1 + 7000, "language_selected", vec![("language", AttributeValue::String("en".into())), ("onboarding", AttributeValue::Bool(true))]);

    // 2. Search results: fling down the grid and back, then the rage tap on "Follow".
    let s2 = t0 + 8000;
    b.screen(s2, "Search results", &search.tree);
    b.crumb(s2 + 100, LogLevel::Info, "search request sent: q=car");
    let grid = ListScroll::of(&search.tree, 3)?;
    let f = grid.frame();
    let cx = f.left + f.width / 2.0;
    let offset = b.drag_list(&grid, &strokes.fling_up, cx, f.top + f.height * 0.8, s2 + 1500, 0.0)?;
    b.drag_list(&grid, &strokes.fling_down, cx, f.top + f.height * 0.3, s2 + 4000, offset)?;
    b.snapshot(s2 + 6000, grid.at(0.0)?);
    let (fx, fy) = centre_of(&search.tree, "Follow")?;
    let rage_ms = s2 + 6500;
    for i in 0..4 {
        b.touch(strokes.tap(2 + i), fx, fy, rage_ms + i as i64 * RAGE_TAP_GAP_MS);
    }
    b.at(
        rage_ms + 2400,
        Event::Network(NetworkRequest {
            method: "POST".into(),
            url: "https://api.shop.example/v1/saved-searches".into(),
            status: Some(503),
            duration_ms: 2400,
            request_bytes: Some(212),
            response_bytes: Some(87),
        }),
    );
    b.crumb(rage_ms + 2450, LogLevel::Error, "follow search failed: HTTP 503");

    // 3. The schedule: the real slow scroll, then a dead tap on the title.
    let s3 = t0 + 19_000;
    b.screen(s3, "Schedule", &schedule.tree);
    let list = ListScroll::of(&schedule.tree, 3)?;
    let f = list.frame();
    b.drag_list(&list, &strokes.scroll, f.left + f.width / 2.0, f.top + f.height * 0.85, s3 + 1500, 0.0)?;
    let (tx, ty) = centre_of(&schedule.tree, "Schedule")?;
    let dead_ms = s3 + 6000;
    b.touch(strokes.tap(6), tx, ty, dead_ms);
    b.custom(s3 + 9500, "schedule_viewed", vec![("month", AttributeValue::String("Mar".into())), ("games", AttributeValue::Int(4))]);
    let end = s3 + 11_000;

    let metadata = SessionMetadata { app_id: "com.example.shop".into(), app_version: "2.4.1".into(), app_build: "241".into(), ..picker.metadata() };
    let attributes = vec![("plan", AttributeValue::String("free".into())), ("beta", AttributeValue::Bool(false))];
    let session = b.finish(metadata, ANDROID_USER, attributes, t0, end);
    Ok(Session { rage_tap_ms: Some(rage_ms), dead_tap_ms: Some(dead_ms), ..session })
}

/// The iOS session, about 12 s from `t0` on an iPhone SE running UICatalog: the table flung
/// through and back, a tap on a row.
pub fn ios(fixtures: &Path, t0: i64) -> Result<Session, ScenarioError> {
    let strokes = Strokes::load(fixtures)?;
    let catalog = data::load_ios_flat(fixtures)?;
    let mut b = Builder::new(catalog.density);
    b.at(t0, Event::Lifecycle(Lifecycle::Foreground));
    let s1 = t0 + 300;
    b.screen(s1, "UICatalog", &catalog.tree);
    let table = ListScroll::of(&catalog.tree, 2)?;
    let f = table.frame();
    let cx = f.left + f.width / 2.0;
    let offset = b.drag_list(&table, &strokes.fling_up_medium, cx, f.top + f.height * 0.8, s1 + 1500, 0.0)?;
    b.drag_list(&table, &strokes.fling_down, cx, f.top + f.height * 0.2, s1 + 4500, offset)?;
    b.snapshot(s1 + 6500, table.at(0.0)?);
    let (px, py) = centre_of(&catalog.tree, "Pickers")?;
    b.touch(strokes.tap(1), px, py, s1 + 7500);
    b.custom(s1 + 7700, "catalog_item_opened", vec![("item", AttributeValue::String("Pickers".into()))]);
    b.crumb(s1 + 9000, LogLevel::Warning, "picker data loaded slowly: 820 ms");
    let end = s1 + 11_000;
    let metadata = SessionMetadata {
        platform: Platform::Ios,
        os_version: "10.3.3".into(),
        device_model: "iPhone SE".into(),
        app_id: "com.example.uicatalog".into(),
        app_version: "3.0.2".into(),
        app_build: "302".into(),
        locale: "ja-JP".into(),
        time_zone: "Asia/Tokyo".into(),
        ..catalog.metadata()
    };
    let attributes = vec![("plan", AttributeValue::String("pro".into()))];
    Ok(b.finish(metadata, IOS_USER, attributes, t0, end))
}
