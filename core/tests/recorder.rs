//! The threaded recorder: concurrency, overload, session lifecycle, sampling, failures.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reprise_core::{
    CustomEvent, Event, Lifecycle, MemorySink, NodeKind, PrivacyRules, PxRect, Record, Recorder, RecorderConfig,
    RecorderError, SealedSegment, SegmentSink, SinkError, SnapshotError, ViewNode, ViewTree,
};
use reprise_fixtures::canonical::of_snapshot;
use reprise_fixtures::kit::feed::{self, Feed, capture, metadata};
use reprise_fixtures::kit::replay::{records, replay_steps};
use reprise_fixtures::kit::session::T0;


fn start(config: RecorderConfig, sink: impl SegmentSink) -> Recorder {
    Recorder::start(config, metadata(), T0, Box::new(sink)).expect("starts")
}

fn custom(name: &str) -> Event {
    Event::Custom(CustomEvent { name: name.into(), attributes: vec![] })
}

fn custom_names(segments: &[SealedSegment]) -> Vec<String> {
    records(segments)
        .into_iter()
        .filter_map(|r| match r.record {
            Record::Custom(c) => Some(c.name),
            _ => None,
        })
        .collect()
}

#[test]
fn many_threads_record_at_once_and_nothing_is_lost() {
    let sink = MemorySink::new();
    // Room for everything even if the worker fell behind: this test is about threads, not overload
    // (which has its own test below).
    let config = RecorderConfig { max_buffer_bytes: 16 * 1024 * 1024, ..Default::default() };
    let recorder = Arc::new(start(config, sink.clone()));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let recorder = recorder.clone();
            std::thread::spawn(move || {
                let mut feed = Feed::new(100);
                for i in 0..200i64 {
                    recorder.record(T0 + i, custom(&format!("t{t}-{i}"))).expect("records");
                    if i % 20 == 0 {
                        feed.scroll(50.0);
                        recorder.record(T0 + i, Event::Snapshot(feed.tree())).expect("records");
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("thread");
    }
    recorder.flush().expect("flush");
    let mut names = custom_names(&sink.segments());
    names.sort();
    assert_eq!(names.len(), 1600);
    names.dedup();
    assert_eq!(names.len(), 1600);
    let stats = recorder.stats();
    assert_eq!(stats.dropped_overload_events + stats.dropped_overload_snapshots, 0);
    assert_eq!(stats.snapshots, 80);
}

/// A sink that blocks until released, to stall the worker.
#[derive(Clone)]
struct GateSink {
    inner: MemorySink,
    open: Arc<(Mutex<bool>, std::sync::Condvar)>,
}

impl SegmentSink for GateSink {
    fn accept(&mut self, segment: SealedSegment) -> Result<(), SinkError> {
        let (lock, cvar) = &*self.open;
        let mut open = lock.lock().expect("lock");
        while !*open {
            open = cvar.wait(open).expect("wait");
        }
        self.inner.accept(segment)
    }
}

#[test]
fn overload_drops_oldest_superseded_snapshots_and_never_blocks() {
    let gate = GateSink { inner: MemorySink::new(), open: Arc::new((Mutex::new(false), Default::default())) };
    let config = RecorderConfig { max_segment_bytes: 64 * 1024, max_buffer_bytes: 256 * 1024, ..Default::default() };
    let recorder = start(config, gate.clone());
    // Stall the worker inside the sink.
    recorder.record(T0, custom("first")).expect("records");
    recorder.record(T0, Event::Lifecycle(Lifecycle::Background)).expect("records");
    std::thread::sleep(Duration::from_millis(100));
    let mut feed = Feed::new(500);
    let mut last = None;
    for i in 0..200 {
        feed.scroll(40.0);
        let tree = feed.tree();
        last = Some(tree.clone());
        recorder.record(T0 + 1000 + i, Event::Snapshot(tree)).expect("records");
    }
    let stats = recorder.stats();
    assert!(stats.dropped_overload_snapshots > 100, "{stats:?}");
    {
        let (lock, cvar) = &*gate.open;
        *lock.lock().expect("lock") = true;
        cvar.notify_all();
    }
    recorder.flush().expect("flush");
    let segments = gate.inner.segments();
    assert_eq!(custom_names(&segments), vec!["first".to_string()]);
    // The newest snapshot survived and replays as the final state.
    let steps = replay_steps(&segments);
    let expected = of_snapshot(&capture(last.expect("tree"), &PrivacyRules::default()));
    assert_eq!(steps.last().map(|s| &s.1), Some(&expected));
}

#[test]
fn a_long_background_starts_a_new_session() {
    let sink = MemorySink::new();
    let recorder = start(RecorderConfig::default(), sink.clone());
    let first = recorder.session_id();
    recorder.record(T0 + 1000, custom("a")).expect("records");
    recorder.record(T0 + 2000, Event::Lifecycle(Lifecycle::Background)).expect("records");
    recorder.record(T0 + 2000 + 5 * 60_000, Event::Lifecycle(Lifecycle::Foreground)).expect("records");
    assert_eq!(recorder.session_id(), first, "5 minutes is within the timeout");
    recorder.record(T0 + 3000 + 5 * 60_000, Event::Lifecycle(Lifecycle::Background)).expect("records");
    recorder.record(T0 + 3000 + 36 * 60_000, Event::Lifecycle(Lifecycle::Foreground)).expect("records");
    let second = recorder.session_id();
    assert_ne!(second, first);
    recorder.record(T0 + 3000 + 36 * 60_000, custom("b")).expect("records");
    // Past the maximum duration, the next event starts a third session.
    recorder.record(T0 + 3000 + 36 * 60_000 + 4 * 3_600_000 + 1, custom("c")).expect("records");
    let third = recorder.session_id();
    assert_ne!(third, second);
    recorder.flush().expect("flush");
    let segments = sink.segments();
    let sessions: Vec<_> = segments.iter().map(|s| (s.header.session, s.header.sequence)).collect();
    assert_eq!(sessions.first(), Some(&(first, 0)));
    assert!(sessions.contains(&(second, 0)));
    assert!(sessions.contains(&(third, 0)));
    assert_eq!(recorder.stats().sessions, 3);
}

#[test]
fn an_unsampled_session_records_nothing() {
    let sink = MemorySink::new();
    let recorder = start(RecorderConfig { sample_rate: 0.0, ..Default::default() }, sink.clone());
    assert!(!recorder.is_sampled());
    recorder.record(T0, custom("x")).expect("accepted");
    recorder.record(T0, Event::Snapshot(Feed::new(50).tree())).expect("accepted");
    recorder.flush().expect("flush");
    assert!(sink.segments().is_empty());
    assert_eq!(recorder.stats().dropped_not_sampled, 2);
}

#[test]
fn timestamps_going_backwards_are_clamped_and_counted() {
    let sink = MemorySink::new();
    let recorder = start(RecorderConfig::default(), sink.clone());
    recorder.record(T0 + 5000, custom("late")).expect("records");
    recorder.record(T0 + 1000, custom("early")).expect("records");
    let mut taps = feed::tap(T0 * 1000 + 6_000_000, 100.0, 100.0);
    taps[2].time_us = taps[0].time_us - 50_000;
    recorder.record(T0 + 6000, Event::Touches(taps)).expect("records");
    recorder.flush().expect("flush");
    assert_eq!(recorder.stats().clock_regressions, 2);
    let times: Vec<i64> = records(&sink.segments()).iter().map(|r| r.time_ms).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn an_invalid_snapshot_is_refused_and_recording_goes_on() {
    let sink = MemorySink::new();
    let recorder = start(RecorderConfig::default(), sink.clone());
    recorder.record(T0, custom("before")).expect("records");
    let cycle = ViewTree::new(vec![], vec![
        ViewNode::new(1, None, NodeKind::Container, PxRect::new(0.0, 0.0, 1.0, 1.0)),
        ViewNode::new(2, Some(1), NodeKind::Container, PxRect::new(0.0, 0.0, 1.0, 1.0)),
    ]);
    let err = recorder.record(T0 + 1, Event::Snapshot(cycle)).unwrap_err();
    assert_eq!(err, RecorderError::Snapshot(SnapshotError::ParentAfterChild { index: 1, parent: 1 }));
    assert_eq!(recorder.record(T0 + 2, Event::Snapshot(ViewTree::default())).unwrap_err(), RecorderError::Snapshot(SnapshotError::Empty));
    recorder.record(T0 + 3, custom("after")).expect("records");
    recorder.flush().expect("flush");
    assert_eq!(custom_names(&sink.segments()), vec!["before".to_string(), "after".to_string()]);
    assert_eq!(recorder.stats().dropped_invalid_snapshots, 2);
}

struct FailingSink {
    fail: Arc<AtomicBool>,
    panic: bool,
    inner: MemorySink,
}

impl SegmentSink for FailingSink {
    fn accept(&mut self, segment: SealedSegment) -> Result<(), SinkError> {
        if self.fail.load(Ordering::SeqCst) {
            if self.panic {
                panic!("platform transport exploded");
            }
            return Err(SinkError::Full);
        }
        self.inner.accept(segment)
    }
}

#[test]
fn a_failing_or_panicking_sink_costs_only_its_segments() {
    for panic in [false, true] {
        let fail = Arc::new(AtomicBool::new(false));
        let inner = MemorySink::new();
        let recorder = start(RecorderConfig::default(), FailingSink { fail: fail.clone(), panic, inner: inner.clone() });
        recorder.record(T0, custom("kept")).expect("records");
        assert_eq!(recorder.flush().expect("flush"), reprise_core::FlushReport { persisted: 1, failed: 0 });
        fail.store(true, Ordering::SeqCst);
        recorder.record(T0 + 1, custom("lost")).expect("records");
        assert_eq!(recorder.flush().expect("flush").failed, 1);
        fail.store(false, Ordering::SeqCst);
        recorder.record(T0 + 2, custom("after")).expect("records");
        recorder.flush().expect("flush");
        assert_eq!(custom_names(&inner.segments()), vec!["kept".to_string(), "after".to_string()]);
        assert_eq!(recorder.stats().dropped_sink_segments, 1);
    }
}

#[test]
fn an_idle_open_segment_is_sealed_by_age() {
    let sink = MemorySink::new();
    let config = RecorderConfig { max_segment_age: Duration::from_secs(1), ..Default::default() };
    let recorder = start(config, sink.clone());
    recorder.record(T0, custom("lonely")).expect("records");
    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.segments().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(custom_names(&sink.segments()), vec!["lonely".to_string()]);
    // The flush after it reports the segment the age limit sealed.
    assert_eq!(recorder.flush().expect("flush").persisted, 1);
}

#[test]
fn shutdown_flushes_and_later_calls_fail() {
    let sink = MemorySink::new();
    let recorder = start(RecorderConfig::default(), sink.clone());
    recorder.record(T0, custom("last words")).expect("records");
    recorder.shutdown().expect("shutdown");
    assert_eq!(custom_names(&sink.segments()), vec!["last words".to_string()]);
    assert_eq!(recorder.record(T0 + 1, custom("x")), Err(RecorderError::ShutDown));
    assert_eq!(recorder.flush(), Err(RecorderError::ShutDown));
}

#[test]
fn dropping_the_recorder_flushes() {
    let sink = MemorySink::new();
    {
        let recorder = start(RecorderConfig::default(), sink.clone());
        recorder.record(T0, custom("dropped")).expect("records");
    }
    assert_eq!(custom_names(&sink.segments()), vec!["dropped".to_string()]);
}

#[test]
fn invalid_configuration_is_refused() {
    let err = Recorder::start(RecorderConfig { zstd_level: 40, ..Default::default() }, metadata(), T0, Box::new(MemorySink::new())).unwrap_err();
    assert_eq!(err.to_string(), "invalid configuration: zstd level must be between 1 and 19, got 40");
}

#[test]
fn user_and_attributes_reach_the_segments() {
    let sink = MemorySink::new();
    let recorder = start(RecorderConfig::default(), sink.clone());
    recorder.set_user_id(Some("user-42".into()));
    recorder.set_attribute("plan".into(), reprise_core::AttributeValue::String("pro".into()));
    recorder.record(T0 + 10, custom("x")).expect("records");
    recorder.flush().expect("flush");
    let users: Vec<_> = records(&sink.segments())
        .into_iter()
        .filter_map(|r| match r.record {
            Record::User(u) => Some(u),
            _ => None,
        })
        .collect();
    let last = users.last().expect("user record");
    assert_eq!(last.user_id.as_deref(), Some("user-42"));
    assert_eq!(last.attributes.len(), 1);
}

#[test]
fn the_recorder_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Recorder>();
}
