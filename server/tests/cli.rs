//! The real `reprise` binary: it refuses to serve without a key, and `reprise serve` on a free
//! loopback port stores an uploaded segment and stops cleanly on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn reprise() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reprise"))
}

#[test]
fn serve_refuses_to_start_without_a_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let output = reprise()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no API key configured"), "{stderr}");
    assert!(stderr.contains("--api-key APP=KEY"), "{stderr}");
    assert!(!data.exists(), "nothing is created when the collector refuses to start");

    // A config file without keys is refused the same way; a malformed flag is named.
    let config = dir.path().join("reprise.toml");
    std::fs::write(&config, "[limits]\nmax_body = 65536\n").expect("write");
    let output = reprise().args(["serve", "--config"]).arg(&config).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no API key configured"));
    let output = reprise().args(["serve", "--api-key", "no-equals-sign"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("APP=KEY"));
}

#[tokio::test]
async fn reprise_serve_stores_an_upload_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let config = dir.path().join("reprise.toml");
    std::fs::write(&config, format!("[keys]\n{APP} = \"{KEY}\"\n")).expect("write");
    let mut child = reprise()
        .args(["serve", "--listen", "127.0.0.1:0", "--api-key", &format!("{OTHER_APP}={OTHER_KEY}"), "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");

    // "reprise: listening on http://127.0.0.1:PORT (data ..., apps: news, shop)"
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    assert!(addr.ip().is_loopback());
    assert!(line.contains("apps: news, shop"), "{line}");
    // No token configured: one was generated, and the line gives the player's URL with it.
    let token = line
        .split(&format!("player: http://{addr}/#token="))
        .nth(1)
        .map(str::trim)
        .unwrap_or_else(|| panic!("no player URL in {line:?}"))
        .to_owned();
    assert!(token.len() >= 16, "{line}");

    let session = record_session(T0, &["33656"], Some("cli-user"));
    let segment = &session.segments[0];
    let client = client();
    assert_eq!(health(&client, addr).await, 200);
    let reply = Upload::of(&segment.bytes).send(&client, addr).await;
    assert_eq!((reply.status, &reply.json["stored"]), (200, &serde_json::json!(true)), "{reply:?}");
    let reply = Upload::of(&segment.bytes).send(&client, addr).await;
    assert_eq!((reply.status, &reply.json["stored"]), (200, &serde_json::json!(false)), "a retry: {reply:?}");
    // Another app's key may not write to this app's session.
    let reply = Upload::of(&segment.bytes).set("authorization", &format!("Bearer {OTHER_KEY}")).send(&client, addr).await;
    reply.assert_error(403, "foreign_session");
    let listed = |bearer: String| {
        let request = client.get(format!("http://{addr}/v1/sessions")).header("authorization", format!("Bearer {bearer}"));
        async move { request.send().await.expect("answers").status().as_u16() }
    };
    assert_eq!(listed(token.clone()).await, 200, "the printed token opens the API");
    assert_eq!(listed(KEY.to_owned()).await, 401, "an ingest key does not");
    let stored = std::fs::read(segment_path(&data, session.id, segment.header.sequence)).expect("stored on disk");
    assert_eq!(stored, segment.bytes);
    assert!(data.join("index.sqlite").exists());
    drop(client);

    // SIGTERM: the collector stops by itself, successfully.
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break Some(exit);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let Some(exit) = exit else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the collector did not stop within 10 s of SIGTERM");
    };
    assert!(exit.success(), "{exit:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr).expect("stderr");
    assert!(stderr.contains("shutting down"), "{stderr}");
}
