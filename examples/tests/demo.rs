//! `reprise-demo` as tests and CI run it (`--exit`): the collector it starts holds both sessions,
//! every stored segment decodes, the Android session carries the gestures of the real traces, a
//! rage tap and a dead tap, and `demo.json` names what a script needs to reopen it.


use reprise_core::{GestureKind, Platform, Record, SessionId, StruggleKind, decode};
use reprise_fixtures::{data, gestures};
use reprise_examples::demo::{self, DemoOptions};
use reprise_server::{SegmentStore, SessionFilter};

/// A plain-HTTP client (the core brings rustls' ring provider; a second install is a no-op).
fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("client")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// Every record of a stored session, decoded segment by segment; also the bytes stored.
fn stored(store: &dyn SegmentStore, id: SessionId) -> (Vec<Record>, usize) {
    let mut records = Vec::new();
    let mut bytes = 0;
    for segment in store.list_session(id).expect("list") {
        let body = store.get(segment).expect("get").expect("stored");
        bytes += body.len();
        records.extend(decode(&body, Default::default()).expect("every stored segment decodes").records.records.into_iter().map(|r| r.record));
    }
    (records, bytes)
}

#[test]
fn the_demo_records_both_sessions_into_its_collector() {
    let out = tempfile::tempdir().expect("temp dir");
    let rt = runtime();
    let options = DemoOptions { listen: "127.0.0.1:0".parse().expect("addr"), out: out.path().to_owned(), fixtures: data::default_dir() };
    let demo = demo::run(&options, &rt).expect("the demo runs");
    let m = &demo.manifest;

    // The index holds exactly the two sessions, with their platforms and users.
    let rows = demo.server.index().sessions(&SessionFilter::default()).expect("index");
    assert_eq!(rows.len(), 2);
    let [android, ios] = [&m.sessions[0], &m.sessions[1]];
    let row = |id: &str| rows.iter().find(|r| r.session_id == id).unwrap_or_else(|| panic!("{id} indexed"));
    assert_eq!(row(&android.id).platform, reprise_server::index::platform_name(Platform::Android));
    assert_eq!(row(&ios.id).platform, reprise_server::index::platform_name(Platform::Ios));
    assert_eq!(row(&android.id).user_id.as_deref(), Some(android.user_id.as_str()));
    assert_eq!(row(&ios.id).user_id.as_deref(), Some(ios.user_id.as_str()));
    assert_ne!(row(&android.id).os_version, row(&ios.id).os_version);
    assert_ne!(row(&android.id).app_version, row(&ios.id).app_version);

    // Every stored segment decodes; the bytes reported are the bytes stored.
    let store = demo.server.state().store();
    let (records, bytes) = stored(store, android.id.parse().expect("id"));
    assert_eq!(bytes as i64, android.bytes);
    let (ios_records, ios_bytes) = stored(store, ios.id.parse().expect("id"));
    assert_eq!(ios_bytes as i64, ios.bytes);
    assert!(ios_records.iter().any(|r| matches!(r, Record::Keyframe(_))));

    // The Android session: the real strokes became gestures; the Flutter recording is its one
    // 3393 ms scroll (its length as recorded, see gesture_traces.rs).
    let (gestures, struggles) = gestures::of_records(&records);
    assert!(gestures.iter().any(|g| matches!(g.kind, GestureKind::Scroll { .. }) && g.duration_ms == 3393), "{gestures:#?}");
    assert!(gestures.iter().any(|g| matches!(g.kind, GestureKind::Fling { .. })));
    assert!(gestures.iter().filter(|g| matches!(g.kind, GestureKind::Tap)).count() >= 3);
    assert!(gestures.iter().all(|g| g.target.is_some()), "hit-tested against the recorded screens");
    let struggles: Vec<StruggleKind> = struggles.iter().map(|s| s.kind).collect();
    assert!(struggles.contains(&StruggleKind::RageTap) && struggles.contains(&StruggleKind::DeadTap), "{struggles:?}");
    let screen_views = records.iter().filter(|r| matches!(r, Record::ScreenView(_))).count();
    assert_eq!(screen_views, android.screens.len());
    assert!(android.gestures.get("rage-tap").is_some_and(|n| *n == 1), "the summary counts it: {:?}", android.gestures);

    // demo.json: the same manifest, with a token that is not the ingest key.
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("demo.json")).expect("demo.json")).expect("json");
    assert_eq!(written["token"], m.token.as_str());
    assert_eq!(written["sessions"][0]["id"], android.id.as_str());
    assert_eq!(written["sessions"][1]["user_id"], ios.user_id.as_str());
    assert_eq!(written["data_dir"].as_str().map(std::path::PathBuf::from), Some(m.data_dir.clone()));
    assert!(m.token.len() >= 16 && !m.ingest_key.contains(&m.token));
    assert!(m.url.contains(&format!("#token={}&session={}", m.token, android.id)));
    assert!(m.url.contains(&demo.server.addr().to_string()));
    for file in &m.files {
        let len = std::fs::metadata(file).map(|f| f.len()).unwrap_or(0);
        assert!(len > 0, "{} written", file.display());
    }
    let summary = demo::summary(&demo, false);
    assert!(summary.contains(&m.url) && summary.contains(&android.id) && summary.contains(&ios.id), "{summary}");
    // In words a person reads: no identifiers, the rage tap with what it hit, and no promise of a
    // player that --exit does not serve.
    assert!(summary.contains("found: 1 rage tap on FrameLayout #"), "the rage tap names its view: {summary}");
    assert!(!summary.contains("small_target") && !summary.contains("rage_tap"), "{summary}");
    assert!(summary.contains("run it without --exit") && !summary.contains("open the player"), "{summary}");
    assert!(demo::summary(&demo, true).contains("open the player: "));
    // frame.png carries its caption in a strip under the picture.
    let timeline = reprise_server::replay::Timeline::load(demo.server.state().store(), android.id.parse().expect("id")).expect("loads");
    let plain = reprise_server::render::render_png(&timeline, m.frame_ms, 2.0).expect("renders");
    let height = |png: &[u8]| image_height(png);
    let framed = std::fs::read(out.path().join("frame.png")).expect("frame.png");
    assert_eq!(height(&framed), height(&plain) + (2.0 * reprise_server::render::CAPTION_DP) as u32);

    // The token opens the player's API; the ingest key does not.
    let status = |key: &str| {
        let url = format!("http://{}/v1/sessions", demo.server.addr());
        rt.block_on(async { client().get(&url).bearer_auth(key).send().await.expect("request").status().as_u16() })
    };
    assert_eq!(status(&m.token), 200);
    assert_eq!(status(&m.ingest_key), 401);

    rt.block_on(demo.server.shutdown()).expect("shutdown");
}

#[test]
fn the_demo_refuses_a_folder_it_did_not_write() {
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::write(out.path().join("notes.txt"), "mine").expect("write");
    let rt = runtime();
    let options = DemoOptions { listen: "127.0.0.1:0".parse().expect("addr"), out: out.path().to_owned(), fixtures: data::default_dir() };
    let err = demo::run(&options, &rt).err().expect("refused");
    assert!(matches!(err, demo::DemoError::NotADemoFolder(_)), "{err}");
    assert!(out.path().join("notes.txt").exists(), "nothing removed");
}

#[test]
fn a_busy_port_falls_back_to_a_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy = taken.local_addr().expect("addr");
    let out = tempfile::tempdir().expect("temp dir");
    let rt = runtime();
    let options = DemoOptions { listen: busy, out: out.path().to_owned(), fixtures: data::default_dir() };
    let demo = demo::run(&options, &rt).expect("the demo runs");
    assert!(demo.fell_back);
    assert_ne!(demo.server.addr(), busy);
    assert!(demo::summary(&demo, true).contains("busy"));
    let token = demo.manifest.token.clone();
    rt.block_on(demo.server.shutdown()).expect("shutdown");
    // Run again in the same folder: new data, the same player token.
    let again = demo::run(&options, &rt).expect("runs again");
    assert_eq!(again.manifest.token, token, "a player link keeps its token from one run to the next");
    rt.block_on(again.server.shutdown()).expect("shutdown");
}

/// The height of a PNG, from its IHDR chunk.
fn image_height(png: &[u8]) -> u32 {
    u32::from_be_bytes([png[20], png[21], png[22], png[23]])
}

#[test]
fn the_demo_binary_finds_its_fixtures_at_run_time_and_says_so_when_it_cannot() {
    let bin = env!("CARGO_BIN_EXE_reprise-demo");
    let help = std::process::Command::new(bin).arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(!help.contains(env!("CARGO_MANIFEST_DIR")), "no build-time path in the help: {help}");
    assert!(help.contains("Example:"), "{help}");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(bin)
        .args(["--exit", "--listen", "127.0.0.1:0", "--out"])
        .arg(elsewhere.path().join("out"))
        .current_dir(elsewhere.path())
        .env_remove("REPRISE_FIXTURES")
        .output()
        .expect("runs");
    // From a folder outside the checkout, only a program built inside the checkout (the default
    // `target/`) still finds them; one in a shared target folder elsewhere says where it looked.
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace");
    if std::path::Path::new(bin).starts_with(checkout) {
        assert!(output.status.success(), "{output:?}");
    } else {
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot find the fixtures") && stderr.contains("--fixtures"), "{stderr}");
        assert!(!elsewhere.path().join("out").exists(), "nothing written");
    }
}
