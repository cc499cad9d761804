//! The replay API over real HTTP on loopback, on sessions recorded from real RICO screens and a
//! real iOS tree: the list and each filter, a session's detail, its events, its frames (equal to
//! the shared drawing of the timeline), the token rules (401), bad parameters (400), unknown
//! sessions (404), the static files, and a new segment showing up in a decoded session.

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;

use common::*;
use reprise_core::{Record, TimedRecord};
use reprise_server::api::events::{INACTIVITY_MS, inactivity};
use reprise_server::index::device;
use reprise_server::replay::{Overlays, Timeline, draw_frame};
use reprise_server::{AccessToken, RunningServer, SessionFilter, SessionRow};
use serde_json::{Value, json};

const TOKEN: &str = "player-token-for-tests-7d3e";

/// The three sessions of the tests: Android over three screens (user "alice-01"), Android over
/// two screens with a rage tap (user "bob-77"), and one iOS screen with another app version.
struct World {
    _data: tempfile::TempDir,
    server: RunningServer,
    client: reqwest::Client,
    alice: RecordedSession,
    bob: RecordedSession,
    ios: RecordedSession,
}

async fn world() -> World {
    let alice = record_session(T0, &["3363", "33618", "33656"], Some("alice-01"));
    let rage = &mut |writer: &mut reprise_core::SessionWriter, screen: usize, t: i64| {
        if screen == 0 {
            for k in 0..4 {
                writer.touches(&tap(t + 300 + k * 150, 300.0, 300.0));
            }
        }
    };
    let parsed = rico_screens(&["33618", "3363"]);
    let bob = record_screens(T0 + 100_000, &parsed, metadata(&parsed[0]), Some("bob-77"), 1, rage);
    let ios_screen = reprise_fixtures::data::load_ios_flat(&reprise_fixtures::data::default_dir()).expect("iOS tree");
    let ios_meta = reprise_core::SessionMetadata { app_version: "2.5.0".into(), locale: "ja-JP".into(), ..metadata(&ios_screen) };
    let ios = record_screens(T0 + 200_000, &[ios_screen], ios_meta, None, 1, &mut |_, _, _| {});

    let data = tempfile::tempdir().expect("temp dir");
    let mut config = config(data.path());
    config.access_token = Some(AccessToken::new(TOKEN).expect("token"));
    let server = RunningServer::start(config).await.expect("starts");
    let client = client();
    for session in [&alice, &bob, &ios] {
        for segment in &session.segments {
            let reply = Upload::of(&segment.bytes).send(&client, server.addr()).await;
            assert_eq!(reply.status, 200, "{reply:?}");
        }
    }
    settled(&server).await;
    World { _data: data, server, client, alice, bob, ios }
}

async fn get(client: &reqwest::Client, addr: SocketAddr, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = client.get(format!("http://{addr}{path}"));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

impl World {
    async fn api(&self, path: &str) -> Value {
        let (status, body) = get(&self.client, self.server.addr(), path, Some(TOKEN)).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    async fn listed(&self, query: &str) -> Vec<String> {
        let body = self.api(&format!("/v1/sessions?{query}")).await;
        body["sessions"].as_array().expect("sessions").iter().map(|s| s["session_id"].as_str().expect("id").to_owned()).collect()
    }

    fn rows(&self) -> Vec<SessionRow> {
        self.server.index().sessions(&SessionFilter::default()).expect("rows")
    }

    fn timeline(&self, session: &RecordedSession) -> Timeline {
        Timeline::load(self.server.state().store(), session.id).expect("loads")
    }
}

/// A value as it reads back from JSON text (f32 fields print in their shortest form).
fn wire(value: &impl serde::Serialize) -> Value {
    serde_json::from_str(&serde_json::to_string(value).expect("serializes")).expect("parses")
}

fn ids(sessions: &[&RecordedSession]) -> Vec<String> {
    sessions.iter().map(|s| s.id.to_string()).collect()
}

#[tokio::test]
async fn the_list_and_each_filter_narrow_as_they_should() {
    let w = world().await;
    let (alice, bob, ios) = (&w.alice, &w.bob, &w.ios);
    // Most recent first.
    assert_eq!(w.listed("").await, ids(&[ios, bob, alice]));

    let body = w.api("/v1/sessions").await;
    let facet = |name: &str| -> Vec<String> {
        body["facets"][name].as_array().expect("facet").iter().map(|v| v.as_str().expect("text").to_owned()).collect()
    };
    let distinct = |f: fn(&reprise_core::SessionMetadata) -> String| -> Vec<String> {
        [alice, bob, ios].iter().map(|s| f(&s.metadata)).collect::<BTreeSet<_>>().into_iter().collect()
    };
    assert_eq!(facet("platform"), ["android", "ios"]);
    assert_eq!(facet("os_version"), distinct(|m| m.os_version.clone()));
    assert_eq!(facet("device_model"), distinct(|m| m.device_model.clone()));
    assert_eq!(facet("app_version"), distinct(|m| m.app_version.clone()));
    assert_eq!(facet("app_version").len(), 2);

    assert_eq!(w.listed("platform=ios").await, ids(&[ios]));
    assert_eq!(w.listed("platform=android").await, ids(&[bob, alice]));
    let query = |name: &str, value: &str| format!("{name}={}", value.replace(' ', "%20"));
    assert_eq!(w.listed(&query("os_version", &ios.metadata.os_version)).await, ids(&[ios]));
    assert_eq!(w.listed(&query("device_model", &alice.metadata.device_model)).await, ids(&[bob, alice]));
    assert_eq!(w.listed("app_version=2.5.0").await, ids(&[ios]));
    assert_eq!(w.listed("user_id=bob-77").await, ids(&[bob]));
    assert_eq!(w.listed("user_search=ALI").await, ids(&[alice]), "search ignores case");
    assert_eq!(w.listed("user_search=-").await, ids(&[bob, alice]));
    // Durations: 30, 20 and 10 screens-seconds, less the half second before going to background.
    assert_eq!(w.listed("min_duration_s=25").await, ids(&[alice]));
    assert_eq!(w.listed("max_duration_s=15").await, ids(&[ios]));
    assert_eq!(w.listed("min_duration_s=15&max_duration_s=25.5").await, ids(&[bob]));
    assert_eq!(w.listed("limit=1").await, ids(&[ios]));
    assert_eq!(w.listed("platform=android&user_search=b&limit=5").await, ids(&[bob]));
    // Empty values (an untouched form field) filter nothing.
    assert_eq!(w.listed("platform=&user_search=&has_rage_taps=").await.len(), 3);

    // The struggle and layout filters keep exactly the sessions whose counts say so.
    let rows = w.rows();
    for (flag, count) in [
        ("has_rage_taps", (|r: &SessionRow| r.rage_taps) as fn(&SessionRow) -> i64),
        ("has_dead_taps", |r| r.dead_taps),
        ("has_layout_issues", |r| r.layout_issues),
    ] {
        let expected: Vec<String> = rows.iter().filter(|r| count(r) > 0).map(|r| r.session_id.clone()).collect();
        assert_eq!(w.listed(&format!("{flag}=true")).await, expected, "{flag}");
        // The four quick taps make a rage tap in one session, and every real screen has layout
        // issues: so the comparison above is not between two empty lists.
        match flag {
            "has_rage_taps" => assert!(!expected.is_empty() && expected.len() < rows.len(), "{flag} narrows: {expected:?}"),
            "has_layout_issues" => assert!(!expected.is_empty(), "{flag} keeps sessions"),
            _ => {}
        }
        assert_eq!(w.listed(&format!("{flag}=false")).await.len(), 3, "{flag}=false filters nothing");
    }
}

#[tokio::test]
async fn the_list_pages_sorts_counts_and_filters_by_finding_kind() {
    let w = world().await;
    let all = w.listed("").await;
    assert_eq!(all.len(), 3);
    // Pages of one, in the default order, cover the list once, and each says the total.
    let mut paged = Vec::new();
    for offset in 0..4 {
        let body = w.api(&format!("/v1/sessions?limit=1&offset={offset}")).await;
        assert_eq!((body["total"].as_i64(), body["offset"].as_i64()), (Some(3), Some(offset)), "{body}");
        paged.extend(body["sessions"].as_array().expect("sessions").iter().map(|s| s["session_id"].as_str().expect("id").to_owned()));
    }
    assert_eq!(paged, all, "pages of one cover the list once, in order, and the page past the end is empty");
    // Orders.
    let mut oldest = w.listed("sort=oldest").await;
    oldest.reverse();
    assert_eq!(oldest, all);
    let longest = w.listed("sort=longest").await;
    let rows = w.rows();
    let duration = |id: &String| rows.iter().find(|r| &r.session_id == id).map(|r| r.end_ms - r.start_ms).expect("row");
    assert!(longest.windows(2).all(|p| duration(&p[0]) >= duration(&p[1])), "{longest:?}");
    assert_eq!(w.listed("sort=rage_taps").await[0], w.bob.id.to_string());
    // A finding kind narrows to the sessions that have one; the total follows the filter.
    assert_eq!(w.listed("finding=rage_tap").await, ids(&[&w.bob]));
    assert_eq!(w.api("/v1/sessions?finding=rage_tap").await["total"], 1);
    for bad in ["finding=shouting", "sort=loudest", "offset=-1"] {
        let (status, body) = get(&w.client, w.server.addr(), &format!("/v1/sessions?{bad}"), Some(TOKEN)).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}

#[tokio::test]
async fn a_session_detail_has_the_full_metadata_and_user() {
    let w = world().await;
    let body = w.api(&format!("/v1/sessions/{}", w.alice.id)).await;
    let m = &w.alice.metadata;
    assert_eq!(body["session"]["session_id"], w.alice.id.to_string());
    assert_eq!(body["session"]["segments"], w.alice.segments.len());
    let meta = &body["metadata"];
    assert_eq!(meta["device_model"], m.device_model);
    assert_eq!(meta["os_version"], m.os_version);
    assert_eq!(meta["locale"], m.locale);
    assert_eq!(meta["time_zone"], m.time_zone);
    assert_eq!(meta["app_version"], m.app_version);
    assert_eq!(meta["screen_width_px"], m.screen_width_px);
    assert_eq!(meta["network"], serde_json::to_value(m.network).expect("json"));
    assert_eq!(body["screen"]["width"], (m.screen_width_px as f32 / m.density).round() as u32);
    assert_eq!(body["screen"]["height"], (m.screen_height_px as f32 / m.density).round() as u32);
    assert_eq!(body["user"]["user_id"], "alice-01");
    assert_eq!(body["problems"], json!([]));
    let body = w.api(&format!("/v1/sessions/{}", w.ios.id)).await;
    assert_eq!(body["metadata"]["platform"], "Ios");
    assert_eq!(body["user"]["user_id"], Value::Null);
}

#[tokio::test]
async fn events_mark_screens_gestures_struggles_and_lifecycle_in_time_order() {
    let w = world().await;
    let body = w.api(&format!("/v1/sessions/{}/events", w.alice.id)).await;
    let timeline = w.timeline(&w.alice);
    assert_eq!((body["start_ms"].as_i64(), body["end_ms"].as_i64()), (Some(timeline.start_ms()), Some(timeline.end_ms())));
    let markers = body["markers"].as_array().expect("markers");
    let times: Vec<i64> = markers.iter().map(|m| m["time_ms"].as_i64().expect("time")).collect();
    assert!(times.windows(2).all(|p| p[0] <= p[1]), "in time order: {times:?}");
    let of_kind = |kind: &str| markers.iter().filter(|m| m["kind"] == kind).collect::<Vec<_>>();
    // One screen marker per screen view, named and timed as recorded.
    let views: Vec<(i64, String)> = timeline
        .records
        .iter()
        .filter_map(|r| match &r.record {
            Record::ScreenView(name) => Some((r.time_ms, name.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(views.len(), 3);
    let screens: Vec<(i64, String)> =
        of_kind("screen").iter().map(|m| (m["time_ms"].as_i64().expect("t"), m["label"].as_str().expect("l").to_owned())).collect();
    assert_eq!(screens, views);
    // Every gesture the core recognized (but cancels) is a marker at its start.
    let gestures: Vec<i64> = timeline
        .records
        .iter()
        .filter_map(|r| match &r.record {
            Record::Gesture(g) if g.kind != reprise_core::gesture::GestureKind::Cancel => Some(g.start_ms),
            _ => None,
        })
        .collect();
    assert!(!gestures.is_empty());
    let marked: Vec<i64> = of_kind("gesture").iter().map(|m| m["time_ms"].as_i64().expect("t")).collect();
    assert_eq!(marked, gestures);
    assert!(of_kind("gesture").iter().any(|m| m["label"].as_str().is_some_and(|l| l.starts_with("tap"))));
    assert!(of_kind("gesture").iter().any(|m| m["label"].as_str().is_some_and(|l| l.starts_with("scroll up"))), "{markers:?}");
    assert_eq!(of_kind("lifecycle").iter().map(|m| m["label"].clone()).collect::<Vec<_>>(), [json!("background")]);
    assert!(of_kind("struggle").iter().all(|m| !m["label"].as_str().unwrap_or("").starts_with("rage")));

    // Bob's four quick taps in one spot are a rage tap.
    let body = w.api(&format!("/v1/sessions/{}/events", w.bob.id)).await;
    let rage: Vec<&Value> = body["markers"]
        .as_array()
        .expect("markers")
        .iter()
        .filter(|m| m["kind"] == "struggle" && m["label"].as_str().is_some_and(|l| l.starts_with("rage tap")))
        .collect();
    assert_eq!(rage.len(), 1, "{body}");
    assert_eq!(rage[0]["time_ms"], w.bob.segments[0].header.start_ms + 300);

    // Bob's rage tap names its view: the class of the node under the taps, and its id name.
    let view = rage[0]["view"].as_str().expect("the rage tap names its view");
    let names = reprise_server::replay::ViewNames::of(&w.timeline(&w.bob));
    let target = rage[0]["node_id"].as_u64().expect("a target") as u32;
    let class = reprise_server::replay::names::short_class(names.class(target).expect("a known class"));
    assert!(view.starts_with(class), "{view} names {class}");
    assert!(rage[0]["label"].as_str().expect("label").ends_with(view));

    // Findings in the events are the index's findings, each with the name of its view.
    let findings = w.server.index().findings(w.alice.id).expect("findings");
    let body = w.api(&format!("/v1/sessions/{}/events", w.alice.id)).await;
    let mut named = body_findings(&body);
    let names = reprise_server::replay::ViewNames::of(&timeline);
    for f in named.as_array_mut().expect("findings") {
        let view = f.as_object_mut().expect("object").remove("view");
        let node = f["node_id"].as_u64().expect("node") as u32;
        if node != 0 {
            let view = view.as_ref().and_then(Value::as_str).expect("a finding on a node names it");
            let class = reprise_server::replay::names::short_class(names.class(node).expect("class"));
            assert!(view.starts_with(class), "{view} for {class}");
        }
    }
    assert_eq!(named, serde_json::to_value(&findings).expect("json"));
    // RICO's resource ids are id names, and some finding's view carries one.
    assert!(body["findings"].as_array().expect("findings").iter().any(|f| f["view"].as_str().is_some_and(|v| v.contains(" #"))), "{body}");
}

fn body_findings(body: &Value) -> Value {
    body["findings"].clone()
}

#[tokio::test]
async fn the_tree_at_a_moment_describes_every_node_and_sends_no_masked_text() {
    let w = world().await;
    let timeline = w.timeline(&w.alice);
    let at = timeline.snapshots[1].time_ms + 10;
    let body = w.api(&format!("/v1/sessions/{}/tree?at_ms={at}", w.alice.id)).await;
    let (snapshot, frame) = timeline.frame_at(at).expect("a frame");
    assert_eq!(body["time_ms"].as_i64(), Some(snapshot.time_ms));
    let nodes = body["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), frame.nodes.len());
    let density = body["screen"]["density"].as_f64().expect("density");
    for (n, f) in nodes.iter().zip(&frame.nodes) {
        assert_eq!(n["id"].as_u64(), Some(u64::from(f.id)));
        assert!(n["class"].as_str().is_some_and(|c| !c.is_empty()), "{n}");
        let (w_dp, px_w) = (n["rect"]["w"].as_f64().expect("w"), n["px"][2].as_f64().expect("px w"));
        assert!((w_dp * density - px_w).abs() < 0.01, "px is dp times the density: {n}");
        // Default privacy masks all text: only lengths are sent.
        if !n["text"].is_null() {
            assert!(n["text"]["masked"].is_u64(), "{n}");
        }
    }
    assert!(nodes.iter().any(|n| n["id_name"].is_string()), "RICO's resource ids are id names");
    let raw = body.to_string();
    let texts: Vec<String> = rico_screens(&["3363", "33618", "33656"])
        .iter()
        .flat_map(|s| s.tree.nodes.iter().filter_map(|n| n.text.clone()).collect::<Vec<_>>())
        .filter(|t| t.trim().chars().count() >= 6)
        .collect();
    assert!(!texts.is_empty());
    for text in &texts {
        assert!(!raw.contains(text.as_str()), "masked text {text:?} in the tree");
    }
    // Before the first snapshot: a clear 400.
    let (status, err) = get(&w.client, w.server.addr(), &format!("/v1/sessions/{}/tree?at_ms={}", w.alice.id, T0 - 10_000), Some(TOKEN)).await;
    assert_eq!(status, 400, "{err}");
}

#[tokio::test]
async fn inactivity_is_a_gap_of_five_seconds_without_anything_on_screen() {
    let w = world().await;
    let body = w.api(&format!("/v1/sessions/{}/events", w.alice.id)).await;
    // Alice scrolls every second: never idle.
    assert_eq!(body["inactivity"], json!([]));

    // The iOS session, then a screen view 20 s after its end: one idle span up to that view, from
    // no earlier than the last snapshot or touch.
    let timeline = w.timeline(&w.ios);
    let before = inactivity(&timeline);
    let last_busy = timeline
        .touches()
        .iter()
        .map(|t| t.time_ms)
        .chain(timeline.snapshots.iter().map(|s| s.time_ms))
        .max()
        .expect("something happened");
    let later = timeline.end_ms() + 20_000;
    let mut longer = timeline.clone();
    longer.push(TimedRecord { time_ms: later, record: Record::ScreenView("Later".into()) });
    let after = inactivity(&longer);
    assert_eq!(&after[..before.len()], &before[..]);
    let [from, to] = *after.last().expect("a span");
    assert_eq!(to, later);
    assert!(from >= last_busy && from <= timeline.end_ms(), "{from} vs {last_busy}..{}", timeline.end_ms());
    assert!(after.iter().all(|[a, b]| b - a >= INACTIVITY_MS));
}

#[tokio::test]
async fn frames_are_the_shared_drawing_of_the_timeline() {
    let w = world().await;
    let timeline = w.timeline(&w.alice);
    let (from, to) = (T0 + 1_500, T0 + 12_000);
    let body = w.api(&format!("/v1/sessions/{}/frames?from_ms={from}&to_ms={to}", w.alice.id)).await;
    let frames = body["frames"].as_array().expect("frames");
    let inside = timeline.snapshots.iter().filter(|s| s.time_ms > from && s.time_ms <= to).count();
    assert_eq!(frames.len(), inside + 1, "the scene in effect at from_ms, then one per snapshot");
    let times: Vec<i64> = frames.iter().map(|f| f["time_ms"].as_i64().expect("time")).collect();
    assert!(times[0] <= from && times[1..].iter().all(|t| *t > from && *t <= to), "{times:?}");
    for frame in frames {
        let t = frame["time_ms"].as_i64().expect("time");
        let (at, hierarchy) = timeline.frame_at(t).expect("a frame");
        let expected = draw_frame(at.time_ms, &hierarchy, timeline.screen_at(at.time_ms));
        assert_eq!(frame, &wire(&expected), "scene at {t}");
    }
    let screens: BTreeSet<String> = frames.iter().map(|f| format!("{}x{}", f["width"], f["height"])).collect();
    assert_eq!(screens.len(), 1);
    // The overlay samples of the window, and the one in effect at its start.
    let all = Overlays::of(&timeline).frames(30, from - 60_000, to + 60_000);
    let in_effect = all.iter().filter(|f| f.time_ms < from).max_by_key(|f| f.time_ms);
    let expected: Vec<_> = in_effect.into_iter().chain(all.iter().filter(|f| f.time_ms >= from && f.time_ms <= to)).collect();
    assert!(expected.len() > 10, "the tap and the drag are drawn");
    assert_eq!(body["overlays"], wire(&expected));

    // Before the first snapshot there is nothing in effect: only the snapshots of the window.
    let body = w.api(&format!("/v1/sessions/{}/frames?from_ms={}&to_ms={}", w.alice.id, T0 - 5_000, T0 + 500)).await;
    let first = body["frames"][0]["time_ms"].as_i64().expect("a frame");
    assert_eq!(first, timeline.snapshots[0].time_ms);
}

#[tokio::test]
async fn the_token_guards_the_api_and_only_the_api() {
    let w = world().await;
    let addr = w.server.addr();
    let session = format!("/v1/sessions/{}", w.alice.id);
    for path in ["/v1/sessions", session.as_str(), &format!("{session}/events"), &format!("{session}/frames")] {
        let (status, body) = get(&w.client, addr, path, None).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("missing_access_token")), "{path}");
        let (status, body) = get(&w.client, addr, path, Some("player-token-for-tests-7d3f")).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("bad_access_token")), "{path}");
        let (status, _) = get(&w.client, addr, path, Some(KEY)).await;
        assert_eq!(status, 401, "an ingest key does not open {path}");
    }
    // The scheme is case-insensitive, as for ingest.
    let response = w.client.get(format!("http://{addr}/v1/sessions")).header("authorization", format!("bearer {TOKEN}")).send().await;
    assert_eq!(response.expect("answers").status().as_u16(), 200);
    // Unauthenticated requests learn nothing about parameters or sessions.
    let (status, _) = get(&w.client, addr, "/v1/sessions/not-a-session?x=1", None).await;
    assert_eq!(status, 401);
    let response = w.client.get(format!("http://{addr}/v1/sessions")).send().await.expect("answers");
    assert_eq!(response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));

    // The access token is no ingest key.
    let segment = &w.alice.segments[0].bytes;
    let reply = Upload::of(segment).set("authorization", &format!("Bearer {TOKEN}")).send(&w.client, addr).await;
    reply.assert_error(401, "unknown_api_key");

    // A token equal to an ingest key, or too short, is refused at start.
    let data = tempfile::tempdir().expect("temp dir");
    let mut clash = config(data.path());
    clash.access_token = Some(AccessToken::new(format!("{KEY}-long")).expect("valid"));
    clash.keys = reprise_server::ApiKeys::new([(APP.to_owned(), format!("{KEY}-long"))]).expect("keys");
    assert!(matches!(
        RunningServer::start(clash).await.err(),
        Some(reprise_server::StartError::Config(reprise_server::ConfigError::TokenIsApiKey { .. }))
    ));
    // Without a configured token, one is generated: long, not a key, and it opens the API.
    let server = RunningServer::start(config(data.path())).await.expect("starts");
    let generated = server.access_token().as_str().to_owned();
    assert!(generated.len() >= AccessToken::MIN_LEN && generated != KEY && generated != OTHER_KEY);
    let (status, body) = get(&w.client, server.addr(), "/v1/sessions", Some(&generated)).await;
    assert_eq!((status, body["sessions"].as_array().map(Vec::len)), (200, Some(0)));
}

#[tokio::test]
async fn device_and_screen_filters_narrow_the_list() {
    let w = world().await;
    let (alice, bob, ios) = (&w.alice, &w.bob, &w.ios);
    let body = w.api("/v1/sessions").await;
    let facet = |name: &str| -> Vec<String> {
        body["facets"][name].as_array().expect("facet").iter().map(|v| v.as_str().expect("text").to_owned()).collect()
    };
    assert_eq!(facet("locale"), ["en-US", "ja-JP"]);
    assert_eq!(w.listed("locale=ja-JP").await, ids(&[ios]));
    assert_eq!(w.listed("locale=en-US").await, ids(&[bob, alice]));
    // Every fixture device is a phone in portrait.
    assert_eq!(w.listed("size_class=compact&orientation=portrait").await, ids(&[ios, bob, alice]));
    assert!(w.listed("size_class=medium").await.is_empty());
    assert!(w.listed("orientation=landscape").await.is_empty());
    let density = |m: &reprise_core::SessionMetadata| device::density_text(device::density_milli(f64::from(m.density)));
    assert_eq!(facet("density"), [density(&ios.metadata), density(&alice.metadata)].into_iter().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>());
    assert_eq!(w.listed(&format!("density={}", density(&ios.metadata))).await, ids(&[ios]));
    assert_eq!(w.listed(&format!("density={}", density(&alice.metadata))).await, ids(&[bob, alice]));
    // Screens: alice visited 3363, 33618 and 33656; bob 33618 and 3363.
    let names = rico_screens(&["3363", "33656"]);
    let only_alice = names[1].name.replace(' ', "%20");
    assert!(facet("screen").contains(&names[1].name), "{:?}", facet("screen"));
    assert_eq!(w.listed(&format!("screen={only_alice}")).await, ids(&[alice]));
    assert_eq!(w.listed(&format!("screen={}", names[0].name.replace(' ', "%20"))).await, ids(&[bob, alice]));
    assert!(w.listed("screen=Nowhere").await.is_empty());
    // The row says what was filtered on.
    let row = w.rows().into_iter().find(|r| r.session_id == alice.id.to_string()).expect("alice's row");
    let (width, height) = device::size_dp(&alice.metadata);
    assert_eq!((row.width_dp, row.height_dp, row.orientation.as_str(), row.locale.as_str()), (width, height, "portrait", "en-US"));
    assert!(width > 300 && width < 600, "{width}");
}

#[tokio::test]
async fn bad_parameters_and_unknown_sessions_are_typed_errors() {
    let w = world().await;
    let addr = w.server.addr();
    let session = format!("/v1/sessions/{}", w.alice.id);
    for query in [
        "platform=windows",
        "limit=0",
        "limit=100000",
        "limit=ten",
        "has_rage_taps=yes",
        "min_duration_s=-1",
        "min_duration_s=20&max_duration_s=10",
        "colour=blue",
        "platform=ios&platform=android",
        "size_class=huge",
        "orientation=sideways",
        "density=0",
        "density=-2",
        "density=lots",
        "density=101",
        "locale=en%20GB",
        "locale=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "has_notes=maybe",
        "bookmarked=1",
    ] {
        let (status, body) = get(&w.client, addr, &format!("/v1/sessions?{query}"), Some(TOKEN)).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("bad_parameter")), "{query}: {body}");
        assert!(body["reason"].as_str().is_some_and(|r| r.len() > 10), "{body}");
    }
    // A locale of the longest length is taken; a screen name is refused one character over its limit.
    let longest = "a".repeat(reprise_server::api::sessions::MAX_LOCALE_CHARS);
    assert_eq!(get(&w.client, addr, &format!("/v1/sessions?locale={longest}"), Some(TOKEN)).await.0, 200);
    let screen = "s".repeat(reprise_server::api::sessions::MAX_SCREEN_CHARS);
    assert_eq!(get(&w.client, addr, &format!("/v1/sessions?screen={screen}"), Some(TOKEN)).await.0, 200);
    let (status, body) = get(&w.client, addr, &format!("/v1/sessions?screen={screen}s"), Some(TOKEN)).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_parameter")), "{body}");
    for query in [format!("from_ms={T0}&to_ms={}", T0 + 60_001), format!("from_ms={T0}&to_ms={}", T0 - 1), "from_ms=soon".into()] {
        let (status, body) = get(&w.client, addr, &format!("{session}/frames?{query}"), Some(TOKEN)).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("bad_parameter")), "{query}: {body}");
    }
    let unknown = reprise_core::SessionId::new_v7(T0 + 999_999);
    for path in [
        format!("/v1/sessions/{unknown}"),
        format!("/v1/sessions/{unknown}/events"),
        format!("/v1/sessions/{unknown}/frames"),
        "/v1/sessions/not-a-session".to_owned(),
    ] {
        let (status, body) = get(&w.client, addr, &path, Some(TOKEN)).await;
        assert_eq!((status, body["error"].as_str()), (404, Some("unknown_session")), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_player_files_are_served_without_the_token() {
    let w = world().await;
    let addr = w.server.addr();
    for (path, content_type) in [
        ("/", "text/html"),
        ("/assets/player.js", "text/javascript"),
        ("/assets/painter.js", "text/javascript"),
        ("/assets/player.css", "text/css"),
        ("/assets/font.ttf", "font/ttf"),
        ("/favicon.ico", "image/svg+xml"),
    ] {
        let response = w.client.get(format!("http://{addr}{path}")).send().await.expect("answers");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let got = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(got.starts_with(content_type), "{path}: {got}");
        let body = response.bytes().await.expect("body");
        assert!(!body.is_empty(), "{path}");
        if path == "/assets/font.ttf" {
            assert_eq!(&body[..], reprise_server::render::FONT_TTF);
        }
        if path == "/" {
            let html = String::from_utf8_lossy(&body);
            assert!(html.contains("id=\"player-canvas\"") && html.contains("/assets/player.js"), "{html}");
        }
    }
}

#[tokio::test]
async fn a_new_segment_shows_up_in_a_session_already_decoded() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut config = config(data.path());
    config.access_token = Some(AccessToken::new(TOKEN).expect("token"));
    let server = RunningServer::start(config).await.expect("starts");
    let client = client();
    let session = record_session(T0, &["3363", "33618"], None);
    assert!(session.segments.len() >= 2);
    let (first, rest) = session.segments.split_first().expect("segments");
    assert_eq!(Upload::of(&first.bytes).send(&client, server.addr()).await.status, 200);
    let events = format!("/v1/sessions/{}/events", session.id);
    let (_, before) = get(&client, server.addr(), &events, Some(TOKEN)).await;
    assert_eq!(before["end_ms"].as_i64(), Some(first.header.end_ms()));
    for segment in rest {
        assert_eq!(Upload::of(&segment.bytes).send(&client, server.addr()).await.status, 200);
    }
    let (_, after) = get(&client, server.addr(), &events, Some(TOKEN)).await;
    let last = rest.last().expect("more").header.end_ms();
    assert_eq!(after["end_ms"].as_i64(), Some(last));
    assert!(server.state().timelines().len() == 1, "one entry per session");
}

#[tokio::test]
async fn the_timeline_cache_keeps_the_most_recent_sessions_within_its_bytes_and_their_segment_counts() {
    use std::sync::Arc;
    let w = world().await;
    let store = w.server.state().store();
    let limits = reprise_server::Limits::default();
    let size = |id| {
        reprise_server::api::Replay::load(store, id, limits.decode(), limits.max_replay_bytes).expect("loads").memory_bytes()
    };
    // Room for Alice and either other session, not for all three.
    let capacity = size(w.alice.id) + size(w.bob.id).max(size(w.ios.id));
    let cache = reprise_server::api::TimelineCache::new(capacity);
    let n = |s: &RecordedSession| s.segments.len();
    let alice = cache.get_or_load(store, w.alice.id, n(&w.alice), limits.decode(), limits.max_replay_bytes).expect("loads");
    assert!(Arc::ptr_eq(&alice, &cache.get_or_load(store, w.alice.id, n(&w.alice), limits.decode(), limits.max_replay_bytes).expect("hit")), "a hit");
    assert_eq!(alice.timeline.records, w.timeline(&w.alice).records);
    // As the index counts when a stored segment is not indexed yet: decoded again, and kept.
    let recounted = cache.get_or_load(store, w.alice.id, n(&w.alice) - 1, limits.decode(), limits.max_replay_bytes).expect("loads");
    assert!(!Arc::ptr_eq(&alice, &recounted), "another segment count decodes again");
    assert_eq!(cache.len(), 1, "one entry per session");
    let bob = cache.get_or_load(store, w.bob.id, n(&w.bob), limits.decode(), limits.max_replay_bytes).expect("loads");
    assert!(Arc::ptr_eq(&recounted, &cache.get_or_load(store, w.alice.id, n(&w.alice) - 1, limits.decode(), limits.max_replay_bytes).expect("hit")));
    cache.get_or_load(store, w.ios.id, n(&w.ios), limits.decode(), limits.max_replay_bytes).expect("loads");
    assert_eq!(cache.len(), 2);
    // Bob was the least recently used when the iOS session came in: he is gone, Alice stays.
    assert!(Arc::ptr_eq(&recounted, &cache.get_or_load(store, w.alice.id, n(&w.alice) - 1, limits.decode(), limits.max_replay_bytes).expect("hit")));
    assert!(!Arc::ptr_eq(&bob, &cache.get_or_load(store, w.bob.id, n(&w.bob), limits.decode(), limits.max_replay_bytes).expect("decoded again")));
}

async fn send(w: &World, method: reqwest::Method, path: &str, body: Option<Value>, token: Option<&str>) -> (u16, Value) {
    let mut request = w.client.request(method, format!("http://{}{path}", w.server.addr()));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn notes_and_bookmarks_round_trip_within_their_limits() {
    use reprise_server::api::notes::{MAX_NOTE_BODY_BYTES, MAX_NOTE_CHARS};
    use reprise_server::index::notes::MAX_NOTES_PER_SESSION;
    let w = world().await;
    let path = format!("/v1/sessions/{}/notes", w.bob.id);
    let post = |body: Value| send(&w, reqwest::Method::POST, &path, Some(body), Some(TOKEN));
    let row = w.rows().into_iter().find(|r| r.session_id == w.bob.id.to_string()).expect("bob's row");
    // A bookmark at a moment of the session, and a plain note.
    let (status, bookmark) = post(json!({"text": "  rage tap here  ", "at_ms": row.start_ms + 1_000})).await;
    assert_eq!(status, 201, "{bookmark}");
    assert_eq!((bookmark["text"].as_str(), bookmark["at_ms"].as_i64()), (Some("rage tap here"), Some(row.start_ms + 1_000)));
    let (status, plain) = post(json!({"text": "checked with the team"})).await;
    assert_eq!((status, plain.get("at_ms")), (201, None), "{plain}");
    let listed = w.api(&path).await;
    assert_eq!(listed["notes"].as_array().map(Vec::len), Some(2));
    assert_eq!(listed["notes"][0]["note_id"], bookmark["note_id"]);
    assert_eq!(w.listed("bookmarked=true").await, ids(&[&w.bob]));
    assert_eq!(w.listed("has_notes=true").await, ids(&[&w.bob]));
    assert_eq!(w.api("/v1/sessions?has_notes=true").await["sessions"][0]["notes"], 2);
    // Refused, each with a typed error.
    let bad = [
        json!({"text": ""}),
        json!({"text": "   "}),
        json!({"text": "x".repeat(MAX_NOTE_CHARS + 1)}),
        json!({"text": "late", "at_ms": row.end_ms + 1}),
        json!({"text": "early", "at_ms": row.start_ms - 1}),
        json!({"text": "x", "colour": "red"}),
        json!({"note": "x"}),
        json!("x".repeat(MAX_NOTE_BODY_BYTES)),
    ];
    for body in bad {
        let (status, answer) = post(body.clone()).await;
        assert_eq!((status, answer["error"].as_str()), (400, Some("bad_body")), "{answer}");
    }
    assert_eq!(post(json!({"text": "é".repeat(MAX_NOTE_CHARS)})).await.0, 201, "the longest note is taken");
    let (status, answer) = send(&w, reqwest::Method::POST, &path, Some(json!({"text": "x"})), None).await;
    assert_eq!((status, answer["error"].as_str()), (401, Some("missing_access_token")));
    let unknown = format!("/v1/sessions/{}/notes", reprise_core::SessionId::new_v7(T0 + 999_999));
    assert_eq!(send(&w, reqwest::Method::POST, &unknown, Some(json!({"text": "x"})), Some(TOKEN)).await.0, 404);
    // The session's limit: filled up, the next is 409, a delete makes room.
    for n in 3..MAX_NOTES_PER_SESSION {
        assert_eq!(post(json!({"text": format!("note {n}")})).await.0, 201);
    }
    let (status, answer) = post(json!({"text": "one too many"})).await;
    assert_eq!((status, answer["error"].as_str()), (409, Some("too_many_notes")), "{answer}");
    let one = format!("{path}/{}", plain["note_id"].as_str().expect("id"));
    assert_eq!(send(&w, reqwest::Method::DELETE, &one, None, Some(TOKEN)).await.0, 204);
    let (status, answer) = send(&w, reqwest::Method::DELETE, &one, None, Some(TOKEN)).await;
    assert_eq!((status, answer["error"].as_str()), (404, Some("unknown_note")));
    assert_eq!(post(json!({"text": "room again"})).await.0, 201);
    assert!(w.listed("bookmarked=true&platform=ios").await.is_empty());
}
