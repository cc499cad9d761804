//! The real `reprise` binary: it refuses to serve without a key, and `reprise serve` on a free
//! loopback port stores an uploaded segment and stops cleanly on SIGTERM.

mod common;

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
    let mut command = reprise();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--api-key", &format!("{OTHER_APP}={OTHER_KEY}"), "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .stderr(Stdio::piped());
    // "reprise: listening on http://127.0.0.1:PORT (data ..., apps: news, shop)"
    let (mut child, addr, line) = spawn_serve(command);
    assert!(addr.ip().is_loopback());
    assert!(line.contains("apps: news, shop"), "{line}");
    // No token configured: the one kept in the data folder is made, and the line gives the
    // player's URL with it.
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

/// Starts `reprise serve` with `args` and the test key; the child and its first stdout line.
fn serve(args: &[&str], data: &std::path::Path) -> (std::process::Child, String) {
    let mut command = reprise();
    command.arg("serve").args(args).args(["--api-key", &format!("{APP}={KEY}"), "--data"]).arg(data).stderr(Stdio::piped());
    let (child, _, line) = spawn_serve(command);
    (child, line)
}

/// Stops a child and returns its stderr.
fn stop(mut child: std::process::Child) -> String {
    let _ = child.kill();
    let output = child.wait_with_output().expect("exits");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The player token in a `reprise serve` first line.
fn token_in(line: &str) -> String {
    line.split("#token=").nth(1).map(str::trim).unwrap_or_else(|| panic!("no token in {line:?}")).to_owned()
}

#[test]
fn addresses_are_taken_as_people_write_them() {
    for listen in ["0", ":0", "localhost:0", "127.0.0.1:0"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (child, line) = serve(&["--listen", listen], dir.path());
        assert!(line.contains("listening on http://127.0.0.1:"), "{listen}: {line}");
        stop(child);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (child, line) = serve(&["--listen", "0.0.0.0:0"], dir.path());
    assert!(line.contains("listening on http://0.0.0.0:"), "{line}");
    assert!(stop(child).contains("reachable from other machines"), "exposed addresses are warned about");
    let output = reprise().args(["serve", "--listen", "example.com:80", "--api-key", &format!("{APP}={KEY}")]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("IP address or localhost") && stderr.contains("localhost:8080"), "{stderr}");
}

#[test]
fn the_player_token_is_kept_across_restarts_and_rotates_on_demand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let (child, first) = serve(&["--listen", "0"], &data);
    stop(child);
    let (child, second) = serve(&["--listen", "0"], &data);
    stop(child);
    assert_eq!(token_in(&first), token_in(&second), "yesterday's link still opens the player");
    let printed = reprise().args(["token", "--data"]).arg(&data).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&printed.stdout).trim(), token_in(&first));
    let rotated = reprise().args(["token", "--rotate", "--data"]).arg(&data).output().expect("runs");
    assert!(rotated.status.success());
    let (child, third) = serve(&["--listen", "0"], &data);
    stop(child);
    assert_eq!(token_in(&third), String::from_utf8_lossy(&rotated.stdout).trim());
    assert_ne!(token_in(&third), token_in(&first));
    let none = reprise().args(["token", "--data"]).arg(dir.path().join("empty")).output().expect("runs");
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no token kept in"));
}

#[test]
fn keys_are_checked_and_nothing_is_written_before_the_address_is_bound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let refused = |args: &[&str]| {
        let output = reprise().arg("serve").args(args).arg("--data").arg(dir.path().join("never")).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(refused(&["--api-key", "myapp=abc"]).contains("at least 16"));
    let twice = format!("myapp={KEY}");
    assert!(refused(&["--api-key", &twice, "--api-key", &twice]).contains("given twice"));
    assert!(refused(&["--api-key", &twice, "--access-token", KEY]).contains("API key of app"));
    assert!(!dir.path().join("never").exists());
    // A busy port: the collector cannot start, and has created nothing.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port().to_string();
    let output = reprise()
        .args(["serve", "--listen", &port, "--api-key", &twice, "--data"])
        .arg(dir.path().join("busy"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot listen on"));
    assert!(!dir.path().join("busy").exists(), "nothing is written before the address is bound");
}

#[tokio::test]
async fn sessions_lists_what_the_collector_holds_and_names_where_it_looked() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A folder laid out as reprise-demo's output: the collector's data in data/collector.
    let data = dir.path().join("data").join("collector");
    let server = reprise_server::RunningServer::start(files_config(&data)).await.expect("starts");
    let session = record_session(T0, &["33656", "33618"], Some("alice"));
    for segment in &session.segments {
        assert_eq!(Upload::of(&segment.bytes).send(&client(), server.addr()).await.status, 200);
    }
    server.shutdown().await.expect("stops");
    let list = |args: &[&str]| reprise().arg("sessions").args(args).arg("--data").arg(dir.path()).output().expect("runs");
    let table = list(&[]);
    assert!(table.status.success(), "{table:?}");
    let text = String::from_utf8_lossy(&table.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("SESSION") && lines[0].contains("DEVICE") && lines[0].contains("FINDINGS"), "{text}");
    assert!(lines[1].starts_with(&session.id.to_string()) && lines[1].contains("alice"), "{text}");
    let json = list(&["--json", "--user", "alice"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(rows[0]["session_id"], session.id.to_string());
    let nobody = list(&["--user", "bob"]);
    assert!(String::from_utf8_lossy(&nobody.stdout).contains("no sessions"));
    for command in ["sessions", "inspect"] {
        let output = reprise().args([command, "--data", "/nope"]).output().expect("runs");
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no collector data under /nope") && stderr.contains("/nope/data/collector"), "{command}: {stderr}");
    }
    assert!(!std::path::Path::new("/nope").exists());
}

/// `reprise sessions --index` reads the index collectors share (on the scale backends; on files,
/// the data folder's, as above).
#[tokio::test]
async fn sessions_lists_a_shared_index() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = reprise_server::RunningServer::start(config(data.path())).await.expect("starts");
    let session = record_session(T0, &["33656", "3363"], Some("carol"));
    for segment in &session.segments {
        assert_eq!(Upload::of(&segment.bytes).send(&client(), server.addr()).await.status, 200);
    }
    server.shutdown().await.expect("stops");
    let args = serve_backend_args(data.path());
    let index: Vec<&str> = args.iter().map(String::as_str).skip_while(|a| *a != "--index").take(2).collect();
    let output = reprise().arg("sessions").args(&index).arg("--data").arg(data.path()).output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().nth(1).is_some_and(|l| l.starts_with(&session.id.to_string()) && l.contains("carol")), "{text}");
    let bad = reprise().args(["sessions", "--index", "mysql://db/x"]).output().expect("runs");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid --index"), "{bad:?}");
}

/// `reprise inspect` and `reprise render` read the store collectors share (the bucket on the
/// scale backend; on files, the data folder's).
#[tokio::test]
async fn inspect_and_render_read_a_shared_store() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = reprise_server::RunningServer::start(config(data.path())).await.expect("starts");
    let session = record_session(T0, &["33656", "3363"], Some("dana"));
    for segment in &session.segments {
        assert_eq!(Upload::of(&segment.bytes).send(&client(), server.addr()).await.status, 200);
    }
    server.shutdown().await.expect("stops");
    let args = serve_backend_args(data.path());
    let store: Vec<&str> = args.iter().map(String::as_str).skip_while(|a| *a != "--store").take(2).collect();
    let inspect = reprise().arg("inspect").args(&store).arg("--data").arg(data.path()).output().expect("runs");
    assert!(inspect.status.success(), "{inspect:?}");
    let doc: serde_json::Value = serde_json::from_slice(&inspect.stdout).expect("json");
    let listed: Vec<&str> = doc["sessions"].as_array().expect("sessions").iter().filter_map(|s| s["session_id"].as_str()).collect();
    assert_eq!(listed, [session.id.to_string()]);
    assert_eq!(doc["sessions"][0]["segments"].as_array().map(Vec::len), Some(session.segments.len()));
    let png = data.path().join("moment.png");
    let render = reprise()
        .arg("render")
        .arg(session.id.to_string())
        .args(&store)
        .arg("--data")
        .arg(data.path())
        .args(["--at", "1", "--out"])
        .arg(&png)
        .output()
        .expect("runs");
    assert!(render.status.success(), "{render:?}");
    assert!(std::fs::read(&png).expect("written").starts_with(b"\x89PNG"));
    let other = reprise_core::SessionId::new_v7(T0 + 7).to_string();
    let missing = reprise().args(["render", &other]).args(&store).arg("--data").arg(data.path()).args(["--at", "1", "--out"]).arg(&png).output().expect("runs");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no session"), "{missing:?}");
}

#[test]
fn help_says_what_each_command_is_for() {
    let help = |args: &[&str]| String::from_utf8_lossy(&reprise().args(args).output().expect("runs").stdout).into_owned();
    let top = help(&["--help"]);
    assert!(top.contains("receives the sessions") && top.contains("web player"), "{top}");
    let serve = help(&["serve", "--help"]);
    assert!(serve.contains("serve the web player") && serve.contains("127.0.0.1:8080") && serve.contains("./reprise-data"), "{serve}");
    assert!(serve.contains("Example:"), "{serve}");
    for command in ["sessions", "render", "token"] {
        assert!(help(&[command, "--help"]).contains("Example"), "{command}");
    }
}
