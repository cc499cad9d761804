//! The uploader against the real collector on loopback, through a fault-injecting proxy: each test
//! asserts what the collector finally holds.

mod support;

use std::time::Duration;

use reprise_core::{SegmentId, Uploader};
use reprise_fixtures::kit::collector::{runtime, start_on, upload_config};
use reprise_fixtures::kit::session::record_to_queue;
use reprise_fixtures::kit::temp::temp_dir;
use support::*;
use support::proxy::{Fault, Proxy};

struct Setup {
    rt: tokio::runtime::Runtime,
    server: reprise_server::RunningServer,
    proxy: std::sync::Arc<Proxy>,
    queue: reprise_core::DiskQueue,
    ids: Vec<SegmentId>,
    originals: Vec<(SegmentId, Vec<u8>)>,
}

fn setup(name: &str, segments: usize, fault: Fault) -> Setup {
    let rt = runtime();
    let server = start_on(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir(&format!("{name}-data")));
    let proxy = rt.block_on(Proxy::start(server.addr()));
    proxy.set(fault);
    let queue = queue(name);
    let ids = record_to_queue(&queue, segments);
    assert_eq!(ids.len(), segments);
    let originals = ids.iter().map(|id| (*id, queue.read(*id).expect("queued"))).collect();
    Setup { rt, server, proxy, queue, ids, originals }
}

#[test]
fn the_happy_path_stores_every_segment_once() {
    let s = setup("happy", 6, Fault::Pass);
    let uploader = Uploader::start(s.queue.clone(), upload_config(s.proxy.addr)).expect("uploader");
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_stored_once(&s.server, &s.ids, &s.originals);
    assert_eq!(uploader.stats().delivered, 6);
    assert_eq!(s.proxy.requests(), 6);
    let row = s.server.index().session(s.ids[0].session).expect("index").expect("row");
    assert_eq!((row.segments, row.user_id.as_deref(), row.platform.as_str()), (6, Some("user-7"), "android"));
    assert!(!row.device_model.is_empty());
    drop(s.rt);
}

#[test]
fn a_server_that_is_down_then_up_loses_nothing() {
    let rt = runtime();
    // A port nobody listens on yet.
    let addr = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port");
    let queue = queue("down");
    let ids = record_to_queue(&queue, 4);
    let originals: Vec<_> = ids.iter().map(|id| (*id, queue.read(*id).expect("queued"))).collect();
    let uploader = Uploader::start(queue.clone(), upload_config(addr)).expect("uploader");
    assert!(wait_until(Duration::from_secs(10), || uploader.stats().retries >= 8), "connection errors are retried");
    assert_eq!(queue.oldest(10, &[]), ids, "nothing is lost while the server is down");
    let server = start_on(&rt, addr, temp_dir("down-data"));
    uploader.wake();
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_stored_once(&server, &ids, &originals);
}

#[test]
fn a_storm_of_500s_is_retried_until_it_passes() {
    let s = setup("storm", 3, Fault::Status(500));
    let uploader = Uploader::start(s.queue.clone(), upload_config(s.proxy.addr)).expect("uploader");
    assert!(wait_until(Duration::from_secs(10), || s.proxy.requests() >= 20), "retries keep coming");
    assert_eq!(s.proxy.forwarded.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert_eq!(s.queue.oldest(10, &[]), s.ids);
    s.proxy.set(Fault::Pass);
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_stored_once(&s.server, &s.ids, &s.originals);
    assert!(uploader.stats().retries >= 20);
}

#[test]
fn retry_after_is_honoured() {
    let s = setup("retry-after", 1, Fault::TooMany { retry_after_s: 2 });
    let uploader = Uploader::start(s.queue.clone(), upload_config(s.proxy.addr)).expect("uploader");
    assert!(wait_until(Duration::from_secs(5), || s.proxy.requests() >= 1));
    s.proxy.set(Fault::Pass);
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    let arrivals = s.proxy.arrivals.lock().expect("arrivals").clone();
    assert_eq!(arrivals.len(), 2);
    let waited = arrivals[1] - arrivals[0];
    // The backoff alone would have retried within 50 ms; the server asked for 2 s.
    assert!(waited >= Duration::from_secs(2), "retried after {waited:?}");
    assert_stored_once(&s.server, &s.ids, &s.originals);
}

#[test]
fn a_slow_server_times_out_and_the_retry_is_stored_once() {
    let s = setup("slow", 2, Fault::Slow(Duration::from_millis(1500)));
    let config = reprise_core::UploadConfig { request_timeout: Duration::from_millis(500), ..upload_config(s.proxy.addr) };
    let uploader = Uploader::start(s.queue.clone(), config).expect("uploader");
    // The first attempts time out on the client, but the proxy forwards them late: the
    // collector receives each segment, then the retries, and keeps one of each.
    assert!(wait_until(Duration::from_secs(10), || s.proxy.forwarded.load(std::sync::atomic::Ordering::SeqCst) >= 2));
    s.proxy.set(Fault::Pass);
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_stored_once(&s.server, &s.ids, &s.originals);
    assert!(uploader.stats().retries >= 2);
}

#[test]
fn a_connection_reset_mid_request_is_retried() {
    let s = setup("reset", 3, Fault::Reset);
    let uploader = Uploader::start(s.queue.clone(), upload_config(s.proxy.addr)).expect("uploader");
    assert!(wait_until(Duration::from_secs(10), || s.proxy.requests() >= 6));
    assert_eq!(s.queue.oldest(10, &[]), s.ids);
    s.proxy.set(Fault::Pass);
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_stored_once(&s.server, &s.ids, &s.originals);
}

#[test]
fn offline_pauses_and_connectivity_resumes() {
    let s = setup("offline", 2, Fault::Pass);
    let uploader = Uploader::start(s.queue.clone(), upload_config(s.proxy.addr)).expect("uploader");
    uploader.set_online(false);
    // Everything was queued before the uploader started: it may have sent some before going
    // offline. Let requests already in flight land before counting.
    std::thread::sleep(Duration::from_millis(300));
    let sent_before = s.proxy.requests();
    let queue2 = s.queue.clone();
    let more = record_to_queue(&queue2, 2);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(s.proxy.requests(), sent_before, "nothing is sent while offline");
    assert!(more.iter().all(|id| s.queue.oldest(10, &[]).contains(id)));
    uploader.set_online(true);
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_eq!(uploader.stats().delivered, 4);
}

#[test]
fn refused_segments_are_dropped_and_counted() {
    for (status, too_large) in [(413, true), (401, false), (422, false)] {
        let s = setup(&format!("refused-{status}"), 2, Fault::Status(status));
        let uploader = Uploader::start(s.queue.clone(), upload_config(s.proxy.addr)).expect("uploader");
        assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
        let stats = uploader.stats();
        if too_large {
            assert_eq!((stats.dropped_too_large, stats.dropped_rejected), (2, 0));
        } else {
            assert_eq!((stats.dropped_too_large, stats.dropped_rejected, stats.last_rejection), (0, 2, u64::from(status)));
        }
        assert_eq!(s.proxy.requests(), 2, "a refusal is not retried");
    }
}

#[test]
fn a_wrong_key_is_refused_by_the_real_collector() {
    let s = setup("wrong-key", 1, Fault::Pass);
    let config = reprise_core::UploadConfig { api_key: "not-the-key".into(), ..upload_config(s.proxy.addr) };
    let uploader = Uploader::start(s.queue.clone(), config).expect("uploader");
    assert_eq!(uploader.drain(Duration::from_secs(30)), 0);
    assert_eq!(uploader.stats().last_rejection, 401);
    assert!(s.server.state().store().list_session(s.ids[0].session).expect("list").is_empty());
}
