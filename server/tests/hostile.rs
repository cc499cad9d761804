//! The collector as an attacker meets it: the real `reprise serve` binary on loopback, each test
//! reproducing one way a tiny or slow upload used to crash or starve it, and asserting the
//! answer, that nothing was stored that should not be, that `/healthz` still answers, and that
//! the process's peak memory (`VmHWM`) stayed under the bound docs/ARCHITECTURE.md states for
//! the limits it runs with (above what it held idle).

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use clap::Parser;
use common::*;
use reprise_core::builder::SegmentBuilder;
use reprise_core::diff::{Changed, Diff};
use reprise_core::frame::Field;
use reprise_core::record::{Record, SessionInfo, TimedRecord, UserInfo};
use reprise_core::touch::{PackedTouch, TouchTrack};
use reprise_core::{Lifecycle, SessionId, SessionMetadata};
use reprise_server::Limits;
use reprise_server::cli::{Cli, Command as Sub};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "hostile-test-token-0123456789";

/// A `reprise serve` process over its own data folder.
struct Collector {
    child: Child,
    addr: SocketAddr,
    data: PathBuf,
    limits: Limits,
    _dir: tempfile::TempDir,
}

impl Collector {
    /// Starts the binary with the test keys, the token and `extra` flags.
    fn start(extra: &[&str]) -> Self {
        Self::start_with(extra, |_| {})
    }

    /// [`Collector::start`] after `prepare` has seen the data folder.
    fn start_with(extra: &[&str], prepare: impl FnOnce(&Path)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).expect("data dir");
        prepare(&data);
        let mut args: Vec<String> = ["serve", "--listen", "127.0.0.1:0", "--access-token", TOKEN].map(String::from).to_vec();
        args.extend([format!("--api-key={APP}={KEY}"), format!("--api-key={OTHER_APP}={OTHER_KEY}")]);
        args.push(format!("--data={}", data.display()));
        args.extend(extra.iter().map(|s| s.to_string()));
        let limits = limits_of(&args);
        let mut command = Command::new(env!("CARGO_BIN_EXE_reprise"));
        command.args(&args).stderr(Stdio::null());
        let (child, addr, _) = spawn_serve(command);
        Self { child, addr, data, limits, _dir: dir }
    }

    /// The process's peak resident memory so far, bytes.
    fn peak_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("status");
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM");
        kb * 1024
    }

    /// Peak memory is within the documented bound above `idle`.
    fn assert_memory_within_bound(&self, idle: u64, what: &str) {
        let peak = self.peak_bytes();
        let bound = self.limits.memory_bound_bytes() as u64;
        println!("{what}: peak {} MB (idle {} MB, bound {} MB above idle)", peak >> 20, idle >> 20, bound >> 20);
        assert!(peak <= idle + bound, "{what}: peak {peak} B is over idle {idle} B + bound {bound} B");
    }

    async fn health(&self) -> u16 {
        health(&client(), self.addr).await
    }

    /// An API GET with the access token: status and JSON body.
    async fn api(&self, path: &str) -> (u16, serde_json::Value, reqwest::header::HeaderMap) {
        let response = client().get(format!("http://{}{path}", self.addr)).bearer_auth(TOKEN).send().await.expect("answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body");
        (status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null), headers)
    }

    /// Stored segment files of a session.
    fn stored(&self, session: SessionId) -> Vec<String> {
        let dir = self.data.join("segments").join(session.to_string());
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The limits the binary resolves from these `serve` arguments.
fn limits_of(args: &[String]) -> Limits {
    let cli = Cli::try_parse_from(std::iter::once("reprise".to_owned()).chain(args.iter().cloned())).expect("arguments parse");
    let Sub::Serve(serve) = cli.command else { panic!("not serve") };
    serve.resolve().expect("resolves").limits
}

/// A segment of `session` at `sequence`: its Session record at `T0`, then `records` (time, record).
fn crafted(session: SessionId, sequence: u32, records: Vec<(i64, Record)>) -> Vec<u8> {
    let mut builder = SegmentBuilder::new(1).expect("builder");
    let info = SessionInfo { started_ms: T0, metadata: SessionMetadata::default(), user: UserInfo::default() };
    builder.push(&TimedRecord { time_ms: T0, record: Record::Session(info) }).expect("push");
    for (time_ms, record) in records {
        builder.push(&TimedRecord { time_ms, record }).expect("push");
    }
    builder.seal(session, sequence).expect("seal").expect("a segment").bytes
}

/// One diff whose `n` one-byte fields decode into about 40 bytes each.
fn dense_diff(n: usize) -> Record {
    Record::Diff(Diff { changed: vec![Changed { id: 1, fields: vec![Field::Alpha(0); n] }], ..Diff::default() })
}

/// A touch track of two samples `span_ms` apart.
fn long_touch(span_ms: u32) -> Record {
    let sample = |head: u64, dt_ms: u32| PackedTouch { head, dt_ms, dx: 100, dy: 100 };
    // Pointer 0: action 0 is down, 2 is up (see touch.rs).
    Record::Touches(TouchTrack { samples: vec![sample(0, 0), sample(2, span_ms)] })
}

/// The collector's idle peak after one ordinary upload.
async fn warm_up(c: &Collector) -> u64 {
    let session = record_session(T0, &["33656"], None);
    let reply = Upload::of(&session.segments[0].bytes).send(&client(), c.addr).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    c.peak_bytes()
}

const SMALL: &[&str] = &["--max-connections", "256", "--concurrent-decodes", "2", "--replay-cache-bytes", "67108864", "--max-replay-bytes", "33554432"];

#[tokio::test]
async fn a_sequence_far_past_the_session_is_refused_and_a_stored_one_replays_without_allocating_per_gap() {
    let session = SessionId::new_v7(T0);
    let first = crafted(session, 0, vec![(T0 + 10, Record::ScreenView("home".into()))]);
    // A segment at u32::MAX already on disk (stored before the rule), beside a valid first one.
    let c = Collector::start_with(SMALL, |data| {
        let dir = data.join("segments").join(session.to_string());
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(format!("{:08}.seg", u32::MAX)), crafted(session, u32::MAX, Vec::new())).expect("write");
    });
    let idle = warm_up(&c).await;
    let reply = Upload::of(&first).send(&client(), c.addr).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let far = crafted(session, 20_000, Vec::new());
    Upload::of(&far).send(&client(), c.addr).await.assert_error(422, "sequence_too_far");
    let fresh = crafted(SessionId::new_v7(T0 + 1), u32::MAX, Vec::new());
    Upload::of(&fresh).send(&client(), c.addr).await.assert_error(422, "sequence_too_far");
    assert_eq!(c.stored(session), ["00000000.seg".to_owned(), format!("{}.seg", u32::MAX)]);
    let (status, detail, _) = c.api(&format!("/v1/sessions/{session}")).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["problems"], serde_json::json!([{ "sequence": 1, "last_sequence": u32::MAX - 1, "error": "not stored" }]));
    for path in ["events", "frames"] {
        assert_eq!(c.api(&format!("/v1/sessions/{session}/{path}")).await.0, 200);
    }
    assert_eq!(c.health().await, 200);
    c.assert_memory_within_bound(idle, "sequence u32::MAX");
}

#[tokio::test]
async fn segments_that_expand_in_memory_are_refused_as_they_are_decoded_even_32_at_once() {
    let c = Collector::start(SMALL);
    let idle = warm_up(&c).await;
    let session = SessionId::new_v7(T0);
    // 16 MiB of 4-byte records in a 1.6 KB upload: refused by its size before decompressing.
    let lifecycle = |n| (0..n).map(|_| (T0, Record::Lifecycle(Lifecycle::Foreground))).collect::<Vec<_>>();
    let huge = crafted(session, 0, lifecycle(4 << 20));
    assert!(huge.len() < 64 * 1024, "{} bytes", huge.len());
    Upload::of(&huge).send(&client(), c.addr).await.assert_error(422, "undecodable");
    // Within the body limit but past the record limit: refused while decoding.
    let many = crafted(session, 0, lifecycle(150_000));
    let reply = Upload::of(&many).send(&client(), c.addr).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("limit is 100000"), "{reply:?}");
    // Few records that decode into far more than their size: refused once counted.
    let dense: Vec<(i64, Record)> = (0..3).map(|_| (T0, dense_diff(500_000))).collect();
    let dense = crafted(session, 0, dense);
    let reply = Upload::of(&dense).send(&client(), c.addr).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("would hold more than"), "{reply:?}");
    // Thirty-two of them at once.
    let mut tasks = Vec::new();
    for i in 0..32 {
        let bytes = with_id(&dense, SessionId::new_v7(T0 + 100 + i), 0);
        let addr = c.addr;
        tasks.push(tokio::spawn(async move { Upload::of(&bytes).send(&client(), addr).await }));
    }
    for task in tasks {
        let reply = task.await.expect("task");
        assert!(matches!(reply.status, 422 | 503), "{reply:?}");
    }
    assert!(c.stored(session).is_empty());
    assert_eq!(c.health().await, 200);
    c.assert_memory_within_bound(idle, "expanding segments, 32 at once");
}

#[tokio::test]
async fn a_touch_longer_than_a_session_is_refused_and_one_stored_before_is_sampled_within_the_window() {
    let session = SessionId::new_v7(T0);
    let day: u32 = 24 * 60 * 60 * 1000;
    let first = crafted(session, 0, vec![(T0 + 10, Record::ScreenView("home".into()))]);
    let c = Collector::start_with(SMALL, |data| {
        // A ten-day touch stored before the rule, as segment 1.
        let dir = data.join("segments").join(session.to_string());
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("00000001.seg"), crafted(session, 1, vec![(T0 + 20, long_touch(10 * day))])).expect("write");
    });
    let idle = warm_up(&c).await;
    assert_eq!(Upload::of(&first).send(&client(), c.addr).await.status, 200);
    let touch = crafted(session, 2, vec![(T0 + 30, long_touch(day))]);
    Upload::of(&touch).send(&client(), c.addr).await.assert_error(422, "invalid_times");
    // A record outside its segment's range, and a segment far from its session's start.
    let outside = crafted(session, 2, vec![(T0 - 10, Record::ScreenView("before".into()))]);
    Upload::of(&outside).send(&client(), c.addr).await.assert_error(422, "invalid_times");
    assert_eq!(c.stored(session), ["00000000.seg", "00000001.seg"]);
    let from = T0 + 5 * i64::from(day);
    let (status, frames, _) = c.api(&format!("/v1/sessions/{session}/frames?from_ms={from}&to_ms={}", from + 60_000)).await;
    assert_eq!(status, 200);
    let samples = frames["overlays"].as_array().expect("overlays").len();
    let most = 60_000 / i64::from(1000 / reprise_server::api::frames::OVERLAY_FPS) + 2;
    assert!((1..=most as usize).contains(&samples), "{samples} overlay samples in a 60 s window, at most {most}");
    assert_eq!(c.health().await, 200);
    c.assert_memory_within_bound(idle, "ten-day touch");
}

/// Opens `n` connections that send half a request head and then nothing.
async fn slow_connections(addr: SocketAddr, n: usize) -> Vec<tokio::net::TcpStream> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else { break };
        let _ = stream.write_all(b"POST /v1/segments HTTP/1.1\r\nHost: x\r\n").await;
        out.push(stream);
    }
    out
}

/// How many of `streams` the collector has closed (a read sees the end or an error).
async fn closed(streams: &mut [tokio::net::TcpStream]) -> usize {
    let mut n = 0;
    for s in streams.iter_mut() {
        let mut buf = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(20), s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => n += 1,
            Ok(Ok(_)) => {
                // An error answer (408) precedes the close.
                if matches!(tokio::time::timeout(Duration::from_millis(200), s.read(&mut buf)).await, Ok(Ok(0) | Err(_))) {
                    n += 1;
                }
            }
            Err(_) => {}
        }
    }
    n
}

#[tokio::test]
async fn ten_thousand_slow_connections_leave_healthz_answering_and_are_closed_by_the_header_timeout() {
    let c = Collector::start(&["--header-timeout-secs", "3"]);
    let idle = warm_up(&c).await;
    let mut slow = slow_connections(c.addr, 10_000).await;
    assert_eq!(slow.len(), 10_000, "every slow connection was opened");
    assert_eq!(c.health().await, 200, "healthz answers while 10,000 slow connections are open");
    let reply = Upload::of(&record_session(T0 + 5, &["33618"], None).segments[0].bytes).send(&client(), c.addr).await;
    assert_eq!(reply.status, 200, "uploads go on: {reply:?}");
    c.assert_memory_within_bound(idle, "10,000 slow connections");
    tokio::time::sleep(Duration::from_secs(5)).await;
    let gone = closed(&mut slow).await;
    assert_eq!(gone, slow.len(), "the header timeout closed every slow connection");
}

#[tokio::test]
async fn at_the_connection_cap_a_new_connection_waits_for_a_slot_and_idle_keep_alive_is_closed() {
    let c = Collector::start(&["--max-connections", "8", "--header-timeout-secs", "2"]);
    let mut held = slow_connections(c.addr, 8).await;
    // The ninth is accepted only when the header timeout frees a slot: by then the held ones
    // are closed.
    assert_eq!(c.health().await, 200);
    assert_eq!(closed(&mut held).await, 8, "the ninth connection was served only after the held ones timed out");
    // A kept-alive connection left idle is closed after the same timeout.
    let mut idle = tokio::net::TcpStream::connect(c.addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = idle.read(&mut buf).await.expect("answer");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let end = tokio::time::timeout(Duration::from_secs(30), idle.read(&mut buf)).await.expect("closed within 30 s");
    assert!(matches!(end, Ok(0) | Err(_)), "{end:?}");
}

#[test]
fn under_a_1024_file_limit_connections_are_capped_below_it_and_healthz_answers() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -n 1024 && exec {} serve --listen 127.0.0.1:0 --api-key {APP}={KEY} --header-timeout-secs 2 --data {}",
            env!("CARGO_BIN_EXE_reprise"),
            data.display()
        ))
        .stderr(Stdio::piped());
    let (mut child, addr, _) = spawn_serve(command);
    rt.block_on(async {
        let slow = slow_connections(addr, 1_100).await;
        assert!(slow.len() >= 1_000, "{} connections opened", slow.len());
        assert_eq!(health(&client(), addr).await, 200, "healthz answers past the file limit");
    });
    let _ = child.kill();
    let output = child.wait_with_output().expect("exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("serving at most 768 connections"), "{stderr}");
}

#[tokio::test]
async fn bodies_held_open_are_bounded_before_they_are_read() {
    let c = Collector::start(&["--bodies-in-flight", "16", "--max-connections", "1024"]);
    let idle = warm_up(&c).await;
    let mut streams = Vec::new();
    let mut busy = 0;
    for i in 0..400u32 {
        let session = SessionId::new_v7(T0 + i64::from(i)).to_string();
        let head = raw_head(&session, 0, &format!("Content-Length: {}\r\n", 1 << 20));
        let mut stream = tokio::net::TcpStream::connect(c.addr).await.expect("connect");
        stream.write_all(&head).await.expect("head");
        stream.write_all(&vec![0u8; 4096]).await.expect("some body");
        streams.push(stream);
    }
    for stream in &mut streams {
        let mut buf = [0u8; 512];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buf)).await
            && String::from_utf8_lossy(&buf[..n]).contains("503")
        {
            busy += 1;
        }
    }
    assert!(busy >= 400 - 16, "{busy} of 400 held bodies were answered 503 at once");
    assert_eq!(c.health().await, 200);
    c.assert_memory_within_bound(idle, "400 bodies held open");
}

#[tokio::test]
async fn another_apps_key_cannot_touch_a_session_and_the_first_key_owns_it() {
    let c = Collector::start(SMALL);
    let shop = record_session(T0, &["33656", "33618"], Some("alice"));
    let other = |bytes: &[u8]| Upload::of(bytes).set("authorization", &format!("Bearer {OTHER_KEY}"));
    assert_eq!(Upload::of(&shop.segments[0].bytes).send(&client(), c.addr).await.status, 200);
    // Appending to another app's session, or re-sending its segment: 403, nothing stored.
    other(&shop.segments[1].bytes).send(&client(), c.addr).await.assert_error(403, "foreign_session");
    other(&shop.segments[0].bytes).send(&client(), c.addr).await.assert_error(403, "foreign_session");
    assert_eq!(c.stored(shop.id), ["00000000.seg"]);
    let (_, row, _) = c.api(&format!("/v1/sessions/{}", shop.id)).await;
    assert_eq!((row["session"]["app"].as_str(), row["session"]["segments"].as_i64()), (Some(APP), Some(1)));
    // The owner goes on.
    assert_eq!(Upload::of(&shop.segments[1].bytes).send(&client(), c.addr).await.json["stored"], true);
}

#[tokio::test]
async fn concurrent_uploads_of_one_id_with_different_bytes_leave_the_index_describing_the_stored_copy() {
    let c = Collector::start(SMALL);
    let a = record_session(T0, &["33656"], None);
    let b = record_session(T0, &["33618"], None);
    for trial in 0..15 {
        let session = SessionId::new_v7(T0 + 1000 + trial);
        let (x, y) = (with_id(&a.segments[0].bytes, session, 0), with_id(&b.segments[0].bytes, session, 0));
        let addr = c.addr;
        let (ux, uy, http) = (Upload::of(&x), Upload::of(&y), client());
        let (rx, ry) = tokio::join!(ux.send(&http, addr), uy.send(&http, addr));
        assert_eq!((rx.status, ry.status), (200, 200));
        let stored = std::fs::read(c.data.join("segments").join(session.to_string()).join("00000000.seg")).expect("stored");
        let (_, row, _) = c.api(&format!("/v1/sessions/{session}")).await;
        assert_eq!(row["session"]["bytes"].as_u64(), Some(stored.len() as u64), "trial {trial}: the index describes the stored copy");
    }
}

#[tokio::test]
async fn metadata_strings_are_cut_and_counted_and_every_list_honours_its_limit() {
    let c = Collector::start(SMALL);
    for i in 0..30 {
        let parsed = rico_screens(&["33656"]);
        let metadata = SessionMetadata { device_model: format!("{i}-{}", "M".repeat(30_000)), ..metadata(&parsed[0]) };
        let session = record_screens(T0 + i * 100_000, &parsed, metadata, Some(&"u".repeat(30_000)), 1, &mut |_, _, _| {});
        assert_eq!(Upload::of(&session.segments[0].bytes).send(&client(), c.addr).await.status, 200);
    }
    let (status, list, headers) = c.api("/v1/sessions?limit=1").await;
    assert_eq!(status, 200);
    assert_eq!(list["sessions"].as_array().map(Vec::len), Some(1));
    let text = list.to_string();
    assert!(text.len() < 64 * 1024, "limit=1 answered {} bytes", text.len());
    assert_eq!(list["sessions"][0]["device_model"].as_str().map(|s| s.chars().count()), Some(c.limits.max_field_chars));
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert_eq!(headers.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    let health = client().get(format!("http://{}/healthz", c.addr)).send().await.expect("answers").bytes().await.expect("body");
    let health: serde_json::Value = serde_json::from_slice(&health).expect("json");
    assert_eq!(health["counters"]["truncated_fields"], 30, "one device model cut per session: {health}");
}

#[tokio::test]
async fn temp_files_of_a_killed_collector_are_removed_at_start() {
    let session = SessionId::new_v7(T0);
    let mut temp = PathBuf::new();
    let c = Collector::start_with(SMALL, |data| {
        let dir = data.join("segments").join(session.to_string());
        std::fs::create_dir_all(&dir).expect("dir");
        temp = dir.join(".00000000.999999999.0.tmp");
        std::fs::write(&temp, b"half a segment").expect("write");
    });
    assert_eq!(c.health().await, 200);
    assert!(!temp.exists());
}

#[tokio::test]
async fn headers_encodings_paths_and_a_full_disk_get_clear_answers() {
    let c = Collector::start(SMALL);
    let session = record_session(T0, &["33656"], None);
    Upload::of(&session.segments[0].bytes).set("content-encoding", "gzip").send(&client(), c.addr).await.assert_error(415, "unsupported_encoding");
    let (status, body, _) = c.api("/v1/sessions/%FF%FE/events").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_parameter")), "{body}");
    let page = client().get(format!("http://{}/", c.addr)).send().await.expect("page");
    let csp = page.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[test]
fn healthz_reports_a_full_disk() {
    // A 2 MiB tmpfs as the data folder (root only, as CI and the test command run).
    let dir = tempfile::tempdir().expect("temp dir");
    let mount = dir.path().join("small");
    std::fs::create_dir_all(&mount).expect("dir");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"]).arg(&mount).status().expect("mount runs");
    assert!(mounted.success(), "this test mounts a small tmpfs: run the test command as root");
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let data = mount.join("data");
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprise"));
    command.args(["serve", "--listen", "127.0.0.1:0", "--api-key", &format!("{APP}={KEY}"), "--data"]).arg(&data).stderr(Stdio::null());
    let (mut child, addr, _) = spawn_serve(command);
    rt.block_on(async {
        assert_eq!(health(&client(), addr).await, 200);
        std::fs::write(mount.join("filler"), vec![1u8; 4 << 20]).ok();
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(health(&client(), addr).await, 503, "a full disk fails the health check");
        std::fs::remove_file(mount.join("filler")).expect("free the disk");
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(health(&client(), addr).await, 200, "and it recovers");
    });
    let _ = child.kill();
    let _ = child.wait();
}
