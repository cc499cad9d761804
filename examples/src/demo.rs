//! `reprise-demo`: the whole product in one command.
//!
//! Starts a collector on loopback with a fresh ingest key and player access token (both
//! [`AccessToken::generate`]: 32 random bytes as hex), records the
//! fixtures' two sessions ([`reprise_fixtures::scenario`]: an Android session over three real
//! RICO screens with real touches, a shorter iOS one) through the real [`Sdk`] (recorder, disk
//! queue under `OUT/data/device-*`, uploader over HTTP to that collector), waits until the index
//! holds them, writes the Android session's `replay.gif` and `frame.png` into `OUT`, and a
//! `demo.json` naming everything a script needs to reopen it (URL, token, ingest key, data
//! folder, session ids, screen times).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reprise_core::{RecorderConfig, RecorderError, Sdk, SdkConfig, SdkError, SessionId, UploadConfig};
use reprise_fixtures::gestures;
use reprise_fixtures::scenario::{self, ScenarioError, Session};
use serde::Serialize;
use thiserror::Error;
use tokio::runtime::Runtime;

use reprise_server::replay::timeline::Timeline;
use reprise_server::{AccessToken, ApiKeys, IndexError, ReplayLoadError, RunningServer, ServerConfig, StartError};

/// The app name the demo's ingest key is registered under.
pub const DEMO_APP: &str = "demo";
/// How long the SDK may take to deliver a session to the collector.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the demo waits for the collector to analyse what it uploaded.
const ANALYSIS_WAIT: Duration = Duration::from_secs(60);

/// Why the demo stopped.
#[derive(Debug, Error)]
pub enum DemoError {
    /// The fixtures were found nowhere.
    #[error(
        "cannot find the fixtures (tests/data with SOURCES.md) in or above {}: run it from the repository's checkout, or pass --fixtures DIR or REPRISE_FIXTURES",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" or ")
    )]
    NoFixtures(Vec<PathBuf>),
    /// A file or folder could not be written or read.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done.
        op: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// `--out` names a folder that holds something other than an earlier demo's output.
    #[error("{0} is not empty and holds no demo.json from an earlier `reprise demo`: choose another --out")]
    NotADemoFolder(PathBuf),
    /// The collector did not start.
    #[error(transparent)]
    Start(#[from] StartError),
    /// The fixtures could not be turned into the sessions.
    #[error("building the demo sessions: {0}")]
    Scenario(#[from] ScenarioError),
    /// The SDK did not start.
    #[error("starting the SDK: {0}")]
    Sdk(#[from] SdkError),
    /// The recorder refused an event.
    #[error("recording: {0}")]
    Recorder(#[from] RecorderError),
    /// The SDK did not deliver a session in time.
    #[error("the {label} session was not delivered: {left} segments still queued after {UPLOAD_TIMEOUT:?}")]
    NotDelivered {
        /// Which session.
        label: &'static str,
        /// Segments still queued.
        left: u64,
    },
    /// The index did not hold a delivered session.
    #[error("the collector's index does not hold the {0} session")]
    NotIndexed(&'static str),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The replay could not be drawn.
    #[error("rendering the replay: {0}")]
    Render(#[from] reprise_server::error::RenderError),
    /// A stored session did not load.
    #[error(transparent)]
    Replay(#[from] ReplayLoadError),
    /// The manifest could not be written.
    #[error("writing demo.json: {0}")]
    Json(#[from] serde_json::Error),
}

/// What to run the demo with.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Where the collector listens; a busy port falls back to a free one on the same address.
    pub listen: SocketAddr,
    /// Output folder: `replay.gif`, `frame.png`, `demo.json`, and `data/`.
    pub out: PathBuf,
    /// The fixtures folder (`tests/data`).
    pub fixtures: PathBuf,
}

/// One recorded session, as the collector holds it.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSession {
    /// `android` or `ios`.
    pub label: &'static str,
    /// The session id.
    pub id: String,
    /// Its user id.
    pub user_id: String,
    /// The screen views: (Unix ms, name).
    pub screens: Vec<ScreenAt>,
    /// Start and end (Unix ms) as recorded.
    pub start_ms: i64,
    /// End (Unix ms).
    pub end_ms: i64,
    /// Segments stored.
    pub segments: i64,
    /// Bytes the SDK sent: the sealed (compressed) segments, as stored.
    pub bytes: i64,
    /// Gestures and struggles recognized by the core, by short name (`tap`, `rage-tap`, ...).
    pub gestures: BTreeMap<&'static str, usize>,
    /// Findings in the index, by kind.
    pub findings: BTreeMap<String, usize>,
    /// What the first rage tap hit, in words (its label when shown, else its kind).
    pub rage_target: Option<String>,
}

/// A screen view.
#[derive(Debug, Clone, Serialize)]
pub struct ScreenAt {
    /// Unix milliseconds.
    pub time_ms: i64,
    /// The screen's name.
    pub name: String,
}

/// `demo.json`: what a script needs to reopen the demo's data with `reprise serve`.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// The player's URL with the token and the Android session.
    pub url: String,
    /// The address the collector listened on.
    pub listen: String,
    /// The player's access token.
    pub token: String,
    /// The app the ingest key belongs to.
    pub app: &'static str,
    /// The ingest key.
    pub ingest_key: String,
    /// The collector's data folder (`reprise serve --data`).
    pub data_dir: PathBuf,
    /// The moment `frame.png` shows (Unix ms).
    pub frame_ms: i64,
    /// The files written besides demo.json.
    pub files: Vec<PathBuf>,
    /// Both sessions, Android first.
    pub sessions: Vec<DemoSession>,
}

/// A demo that has recorded its sessions and still serves them.
pub struct Demo {
    /// The running collector.
    pub server: RunningServer,
    /// What was recorded and written.
    pub manifest: Manifest,
    /// Where `demo.json` is.
    pub manifest_path: PathBuf,
    /// Whether `--listen` was busy and another port was taken.
    pub fell_back: bool,
}

/// The fixtures folder: `REPRISE_FIXTURES` when set, else the first `tests/data` holding a
/// `SOURCES.md` in the current folder or above it, then in the program's folder or above it (a
/// build in the checkout). Never a path baked in at build time.
pub fn find_fixtures() -> Result<PathBuf, DemoError> {
    if let Some(dir) = std::env::var_os("REPRISE_FIXTURES") {
        return Ok(PathBuf::from(dir));
    }
    let mut starts = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_owned)) {
        starts.push(exe_dir);
    }
    for start in &starts {
        for dir in start.ancestors() {
            let candidate = dir.join("tests").join("data");
            if candidate.join("SOURCES.md").is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(DemoError::NoFixtures(starts))
}

/// Runs the demo up to serving: collector started on `runtime`, both sessions recorded and
/// indexed, files and `demo.json` written. The caller serves until it wants to stop.
pub fn run(options: &DemoOptions, runtime: &Runtime) -> Result<Demo, DemoError> {
    let data = prepare_out(&options.out)?;
    let collector_dir = data.join("collector");
    let ingest_key = format!("demo-{}", AccessToken::generate().map_err(StartError::from)?.as_str());
    // The player's token is kept beside the data (which each run replaces), so a link to the
    // player keeps working from one run to the next.
    let token = reprise_server::token_file::load_or_create_token(&options.out).map_err(StartError::from)?;
    let keys = ApiKeys::new([(DEMO_APP.to_owned(), ingest_key.clone())]).map_err(StartError::from)?;
    let mut config = ServerConfig::new(options.listen, &collector_dir, keys);
    config.access_token = Some(token.clone());
    let (server, fell_back) = start_server(config, runtime)?;

    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    let android = scenario::android(&options.fixtures, now - 10 * 60_000)?;
    let ios = scenario::ios(&options.fixtures, now - 4 * 60_000)?;
    let upload = UploadConfig { endpoint: format!("http://{}", server.addr()), api_key: ingest_key.clone(), ..Default::default() };
    let mut sessions = Vec::new();
    let mut ids = Vec::new();
    for (label, session) in [("android", &android), ("ios", &ios)] {
        ids.push(record(label, session, &data.join(format!("device-{label}")), upload.clone())?);
    }
    // The analysis runs behind the upload's answer: its findings are read once it is done.
    runtime.block_on(server.analysis_settled(ANALYSIS_WAIT))?;
    for ((label, session), &id) in [("android", &android), ("ios", &ios)].into_iter().zip(&ids) {
        sessions.push(describe(&server, label, id, session)?);
    }

    let timeline = Timeline::load(server.state().store(), ids[0])?;
    let frame_ms = frame_moment(&android);
    let caption = frame_caption(&android, &sessions[0], frame_ms);
    let files = render_files(&timeline, frame_ms, &caption, &options.out)?;
    let token = token.as_str().to_owned();
    let url = format!("http://{}/#token={token}&session={}", server.addr(), sessions[0].id);
    let manifest = Manifest {
        url,
        listen: server.addr().to_string(),
        token,
        app: DEMO_APP,
        ingest_key,
        data_dir: absolute(&collector_dir),
        frame_ms,
        files,
        sessions,
    };
    let manifest_path = options.out.join("demo.json");
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(&manifest_path, json).map_err(|source| DemoError::Io { op: "write", path: manifest_path.clone(), source })?;
    Ok(Demo { server, manifest, manifest_path, fell_back })
}

/// The summary printed after the run, in words; `serving` says whether the player stays up.
pub fn summary(demo: &Demo, serving: bool) -> String {
    let m = &demo.manifest;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    if demo.fell_back {
        line(format!("reprise-demo: the requested port was busy; listening on {} instead", m.listen));
    }
    line(format!("reprise-demo: collector on http://{} (data {})", m.listen, m.data_dir.display()));
    for s in &m.sessions {
        let screens: Vec<&str> = s.screens.iter().map(|x| x.name.as_str()).collect();
        let gestures: Vec<String> = s.gestures.iter().map(|(k, n)| counted(*n, gesture_words(k))).collect();
        line(format!(
            "  {} session {} (user {}): {:.0} s on {}",
            s.label,
            s.id,
            s.user_id,
            (s.end_ms - s.start_ms) as f64 / 1000.0,
            screens.join(", ")
        ));
        line(format!("    sent {} bytes in {} segment(s)", s.bytes, s.segments));
        line(format!("    gestures: {}", gestures.join(", ")));
        line(format!("    found: {}", findings_words(s)));
    }
    for f in &m.files {
        line(format!("  wrote {}", f.display()));
    }
    line(format!("  wrote {}", demo.manifest_path.display()));
    if serving {
        line(format!("open the player: {}", m.url));
    } else {
        line(format!("the player's link, live while reprise-demo serves (run it without --exit): {}", m.url));
    }
    out
}

/// "1 rage tap on a button, 29 small tap targets": a session's findings as a person reads them,
/// struggles first.
pub fn findings_words(s: &DemoSession) -> String {
    let mut parts = Vec::new();
    for kind in reprise_server::analysis::FindingKind::ALL.map(|k| k.name()) {
        let Some(&n) = s.findings.get(kind) else { continue };
        let mut part = counted(n, finding_words(kind));
        if kind == "rage_tap"
            && let Some(target) = &s.rage_target
        {
            part.push_str(&format!(" on {target}"));
        }
        parts.push(part);
    }
    if parts.is_empty() { "nothing to worry about".to_owned() } else { parts.join(", ") }
}

/// `n` things, singular or plural.
fn counted(n: usize, (one, many): (&str, &str)) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn finding_words(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "rage_tap" => ("rage tap", "rage taps"),
        "dead_tap" => ("dead tap", "dead taps"),
        "error_tap" => ("tap followed by an error", "taps followed by an error"),
        "freeze" => ("freeze", "freezes"),
        "crash" => ("crash", "crashes"),
        "scroll_thrash" => ("scroll thrash", "scroll thrashes"),
        "pinch_to_read" => ("pinch to read", "pinches to read"),
        "back_and_forth" => ("back-and-forth between screens", "back-and-forths between screens"),
        "form_abandonment" => ("abandoned form", "abandoned forms"),
        "truncated_text" => ("truncated text", "truncated texts"),
        "off_screen" => ("view off screen", "views off screen"),
        "clipped" => ("clipped view", "clipped views"),
        "overlap" => ("overlapping pair of views", "overlapping pairs of views"),
        "small_target" => ("small tap target", "small tap targets"),
        _ => ("other finding", "other findings"),
    }
}

fn gesture_words(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "tap" => ("tap", "taps"),
        "double-tap" => ("double tap", "double taps"),
        "long-press" => ("long press", "long presses"),
        "scroll" => ("scroll", "scrolls"),
        "fling" => ("fling", "flings"),
        "pinch" => ("pinch", "pinches"),
        "two-finger-pan" => ("two-finger pan", "two-finger pans"),
        "rage-tap" => ("rage tap", "rage taps"),
        "dead-tap" => ("dead tap", "dead taps"),
        _ => ("other gesture", "other gestures"),
    }
}

/// Writes the session's `replay.gif` and its `frame.png` at `frame_ms` (twice the dp size, as a
/// phone shows it, with `caption` below) into `out`; returns the files written.
fn render_files(timeline: &Timeline, frame_ms: i64, caption: &str, out: &Path) -> Result<Vec<PathBuf>, DemoError> {
    let gif = out.join("replay.gif");
    let png = out.join("frame.png");
    let files = [
        (&gif, reprise_server::render::render_gif(timeline, &reprise_server::render::GifOptions::default())?),
        (&png, reprise_server::render::render_png_captioned(timeline, frame_ms, 2.0, caption)?),
    ];
    for (path, bytes) in &files {
        std::fs::write(path, bytes).map_err(|source| DemoError::Io { op: "write", path: path.to_path_buf(), source })?;
    }
    Ok(vec![gif, png])
}

/// What `frame.png` says under the picture: the device, the screen, the moment and the finding
/// it shows.
fn frame_caption(session: &Session, described: &DemoSession, frame_ms: i64) -> String {
    let m = &session.metadata;
    let screen = session.screens.iter().rev().find(|(t, _)| *t <= frame_ms).map_or("", |(_, n)| n.as_str());
    let at = (frame_ms - session.start_ms) as f64 / 1000.0;
    let shown = if session.rage_tap_ms.is_some() {
        described.rage_target.as_deref().map_or_else(|| "a rage tap".to_owned(), |t| format!("a rage tap on {t}"))
    } else {
        "the first screen".to_owned()
    };
    format!("{} {}, {screen}, at {at:.1} s: {shown}", m.device_manufacturer, m.device_model)
}

/// The moment `frame.png` shows: 600 ms into the rage tap on the search results (the taps'
/// ripples over the grid), else 2 s after the first screen view.
fn frame_moment(session: &Session) -> i64 {
    let first = session.screens.first().map_or(session.start_ms, |(t, _)| *t);
    session.rage_tap_ms.map_or(first + 2000, |t| t + 600)
}

/// Creates `out` and returns its `data/` folder, emptied when it holds an earlier demo's data.
fn prepare_out(out: &Path) -> Result<PathBuf, DemoError> {
    let io = |op, path: &Path| {
        let path = path.to_owned();
        move |source| DemoError::Io { op, path, source }
    };
    let data = out.join("data");
    let has_entries = std::fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(false);
    if has_entries {
        if !out.join("demo.json").is_file() {
            return Err(DemoError::NotADemoFolder(out.to_owned()));
        }
        if data.exists() {
            std::fs::remove_dir_all(&data).map_err(io("remove", &data))?;
        }
    }
    std::fs::create_dir_all(&data).map_err(io("create", &data))?;
    Ok(data)
}

/// Starts the collector on `config.listen`, or on a free port of the same address when that one
/// is taken.
fn start_server(config: ServerConfig, runtime: &Runtime) -> Result<(RunningServer, bool), DemoError> {
    match runtime.block_on(RunningServer::start(config.clone())) {
        Ok(server) => Ok((server, false)),
        Err(StartError::Bind { source, .. }) if source.kind() == std::io::ErrorKind::AddrInUse => {
            let listen = SocketAddr::new(config.listen.ip(), 0);
            let server = runtime.block_on(RunningServer::start(ServerConfig { listen, ..config }))?;
            Ok((server, true))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records `session` through a fresh SDK whose queue lives in `device_dir`, and waits until it
/// is delivered.
fn record(label: &'static str, session: &Session, device_dir: &Path, upload: UploadConfig) -> Result<SessionId, DemoError> {
    let config = SdkConfig { data_dir: device_dir.to_owned(), recorder: RecorderConfig::default(), queue: Default::default(), upload: Some(upload) };
    let sdk = Sdk::start(config, session.metadata.clone(), session.start_ms)?;
    session.play(sdk.recorder(), |t, e| sdk.record(t, e))?;
    let id = sdk.session_id();
    let left = sdk.flush_and_upload(UPLOAD_TIMEOUT)?;
    sdk.shutdown()?;
    if left > 0 {
        return Err(DemoError::NotDelivered { label, left });
    }
    Ok(id)
}

/// What the collector holds of a delivered session.
fn describe(server: &RunningServer, label: &'static str, id: SessionId, session: &Session) -> Result<DemoSession, DemoError> {
    // Delivered means acknowledged, and the collector acknowledges after indexing; allow a
    // moment anyway.
    let deadline = Instant::now() + Duration::from_secs(10);
    let row = loop {
        if let Some(row) = server.index().session(id)? {
            break row;
        }
        if Instant::now() > deadline {
            return Err(DemoError::NotIndexed(label));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let timeline = Timeline::load(server.state().store(), id)?;
    let (recognized, struggles) = gestures::of_records(timeline.records.iter().map(|r| &r.record));
    let mut counts = BTreeMap::new();
    let names = recognized.iter().map(|g| gestures::kind_name(&g.kind)).chain(struggles.iter().map(|s| gestures::struggle_name(s.kind)));
    for name in names {
        *counts.entry(name).or_insert(0) += 1;
    }
    let mut findings = BTreeMap::new();
    for f in server.index().findings(id)? {
        *findings.entry(f.kind.clone()).or_insert(0) += 1;
    }
    // The view as the player names it: class, id name, and its label only when recorded plain.
    let names = reprise_server::replay::ViewNames::of(&timeline);
    let rage_target = struggles
        .iter()
        .find(|s| s.kind == reprise_core::StruggleKind::RageTap)
        .and_then(|s| s.target.as_ref())
        .map(|t| names.describe(t.id, t.kind, t.label.as_ref()));
    Ok(DemoSession {
        label,
        id: id.to_string(),
        user_id: session.user_id.clone(),
        screens: session.screens.iter().map(|(t, n)| ScreenAt { time_ms: *t, name: n.clone() }).collect(),
        start_ms: session.start_ms,
        end_ms: session.end_ms,
        segments: row.segments,
        bytes: row.bytes,
        gestures: counts,
        findings,
        rage_target,
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
