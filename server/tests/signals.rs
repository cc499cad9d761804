//! The struggle signals end to end: a session recorded from real RICO screens with a tap followed
//! by an error, a scroll thrash, a freeze, back-and-forth between screens and a crash, uploaded to
//! the real collector over loopback; each comes back as a finding and a marker of the events API,
//! naming its view where it has one.

mod common;

use common::*;
use reprise_core::event::{Breadcrumb, LogLevel};
use reprise_core::{AttributeValue, CustomEvent, Event, SessionWriter};
use serde_json::Value;

const TOKEN: &str = "signals-player-token-0123";

fn signals_on_the_first_screen(writer: &mut SessionWriter, screen: usize, t: i64) {
    if screen != 0 {
        return;
    }
    // A tap, then an error 300 ms after it.
    writer.touches(&tap(t + 50, 500.0, 900.0));
    writer.event(t + 450, Event::Breadcrumb(Breadcrumb { level: LogLevel::Error, message: "checkout failed: HTTP 500".into() }));
    // Four drags, down and up in turn, within 2 s: three reversals.
    for (k, dy) in [-500.0, 500.0, -500.0, 500.0].into_iter().enumerate() {
        writer.touches(&drag(t + 1_000 + k as i64 * 500, 540.0, 1400.0, dy));
    }
    writer.event(t + 3_200, Event::Custom(CustomEvent { name: "freeze".into(), attributes: vec![("blocked_ms".into(), AttributeValue::Int(2_600))] }));
    // Back and forth between two screens.
    for (k, name) in ["Cart", "Shipping", "Cart", "Shipping", "Cart"].into_iter().enumerate() {
        writer.event(t + 3_300 + k as i64 * 100, Event::ScreenView { name: name.into() });
    }
}

#[tokio::test]
async fn each_signal_is_a_finding_and_a_marker() {
    let screens = rico_screens(&["3363", "33618"]);
    // The app dies at the end: the platform layers' crash event, then the error.
    let session = record_screens(T0, &screens, metadata(&screens[0]), None, 2, &mut |w: &mut SessionWriter, screen, t| {
        signals_on_the_first_screen(w, screen, t);
        if screen == 1 {
            w.event(t + 100, Event::Custom(CustomEvent { name: "crash".into(), attributes: Vec::new() }));
            w.event(t + 100, Event::Breadcrumb(Breadcrumb { level: LogLevel::Error, message: "crash in thread \"main\": java.lang.NullPointerException\n  at x".into() }));
        }
    });

    let data = tempfile::tempdir().expect("temp dir");
    let mut config = config(data.path());
    config.access_token = Some(reprise_server::AccessToken::new(TOKEN).expect("token"));
    let server = reprise_server::RunningServer::start(config).await.expect("starts");
    let client = client();
    for segment in &session.segments {
        let reply = Upload::of(&segment.bytes).send(&client, server.addr()).await;
        assert_eq!(reply.status, 200, "{reply:?}");
    }
    settled(&server).await;
    let response = client
        .get(format!("http://{}/v1/sessions/{}/events", server.addr(), session.id))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .expect("answers");
    let body: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
    let findings = body["findings"].as_array().expect("findings");
    let found = |kind: &str| findings.iter().filter(|f| f["kind"] == kind).collect::<Vec<_>>();
    for kind in ["error_tap", "scroll_thrash", "freeze", "back_and_forth", "crash"] {
        assert_eq!(found(kind).len(), 1, "one {kind} in {findings:?}");
    }
    assert!(found("error_tap")[0]["detail"].as_str().is_some_and(|d| d.contains("checkout failed")), "{findings:?}");
    assert!(found("crash")[0]["detail"].as_str().is_some_and(|d| d.contains("NullPointerException")));
    assert!(found("scroll_thrash")[0]["view"].is_string(), "the thrash names the list it scrolled: {findings:?}");
    let struggles: Vec<&str> =
        body["markers"].as_array().expect("markers").iter().filter(|m| m["kind"] == "struggle").filter_map(|m| m["label"].as_str()).collect();
    for label in ["error tap", "scroll thrash", "freeze", "back and forth", "crash"] {
        assert!(struggles.iter().any(|l| l.starts_with(label)), "a {label} marker in {struggles:?}");
    }
    server.shutdown().await.expect("shuts down");
}
