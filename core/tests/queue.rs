//! The durable disk queue: persistence, recovery, caps, locking and a full disk.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use reprise_core::{
    CustomEvent, DiskQueue, Event, QueueConfig, QueueError, QueueFiles, Record, Recorder, RecorderConfig,
    SealedSegment, SinkError, StdFiles,
};
use reprise_fixtures::kit::feed::{self, metadata};
use reprise_fixtures::kit::session::{self, T0};
use reprise_fixtures::kit::temp::temp_dir;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// A segment of `events` custom events starting at `start_ms`, about 60 bytes an event.
fn segment(start_ms: i64, events: usize) -> SealedSegment {
    let (mut writer, _) = session::writer(RecorderConfig { zstd_level: 1, ..Default::default() }, metadata(), start_ms);
    for i in 0..events {
        // Distinct pseudo-random names so the segment does not compress away.
        let name = format!("{:016x}", (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ start_ms as u64);
        writer.event(start_ms + i as i64, Event::Custom(CustomEvent { name, attributes: vec![] }));
    }
    writer.seal();
    writer.take_sealed().remove(0)
}

fn open(dir: &Path, config: QueueConfig, now_ms: i64) -> (DiskQueue, reprise_core::RecoveryReport) {
    DiskQueue::open(dir, config, now_ms).expect("opens")
}

#[test]
fn pushed_segments_survive_reopening_byte_for_byte() {
    let dir = temp_dir("reopen");
    let segments: Vec<_> = (0..3).map(|i| segment(T0 + i * 1000, 20)).collect();
    {
        let (queue, report) = open(&dir, QueueConfig::default(), T0);
        assert_eq!(report, Default::default());
        for s in &segments {
            queue.push(s).expect("persisted");
        }
    }
    let (queue, report) = open(&dir, QueueConfig::default(), T0 + 10_000);
    assert_eq!(report.recovered, 3);
    let ids = queue.oldest(10, &[]);
    assert_eq!(ids, segments.iter().map(|s| s.header.id()).collect::<Vec<_>>());
    for (id, s) in ids.iter().zip(&segments) {
        assert_eq!(queue.read(*id).as_deref(), Some(&s.bytes[..]));
    }
    queue.remove(ids[0]);
    assert_eq!(queue.oldest(10, &[]).len(), 2);
    assert_eq!(queue.oldest(10, &[ids[1]]), vec![ids[2]]);
}

#[test]
fn a_second_opener_is_refused() {
    let dir = temp_dir("lock");
    let (_queue, _) = open(&dir, QueueConfig::default(), T0);
    match DiskQueue::open(&dir, QueueConfig::default(), T0) {
        Err(QueueError::Locked(path)) => assert_eq!(path, dir),
        other => panic!("expected Locked, got {other:?}"),
    }
}

#[test]
fn recovery_removes_and_counts_what_is_damaged() {
    let dir = temp_dir("recover");
    let good = segment(T0, 20);
    let cut = segment(T0 + 1000, 20);
    let flipped = segment(T0 + 2000, 20);
    {
        let (queue, _) = open(&dir, QueueConfig::default(), T0);
        for s in [&good, &cut, &flipped] {
            queue.push(s).expect("persisted");
        }
    }
    let path = |s: &SealedSegment| dir.join(format!("{}.seg", s.header.id()));
    std::fs::write(path(&cut), &cut.bytes[..cut.bytes.len() / 2]).expect("truncate");
    let mut bytes = flipped.bytes.clone();
    bytes[60] ^= 0xff;
    std::fs::write(path(&flipped), bytes).expect("corrupt");
    std::fs::write(dir.join(".tmp-interrupted.seg"), b"half a segm").expect("temp");
    std::fs::write(dir.join("not-a-segment.seg"), b"garbage").expect("garbage");

    let (queue, report) = open(&dir, QueueConfig::default(), T0);
    assert_eq!((report.recovered, report.corrupt_removed, report.temp_removed), (1, 3, 1));
    assert_eq!(queue.oldest(10, &[]), vec![good.header.id()]);
    let mut left: Vec<String> = std::fs::read_dir(&dir).expect("dir").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, vec![format!("{}.seg", good.header.id()), "queue.lock".to_string()]);
    assert_eq!(queue.stats().corrupt, 3);
}

#[test]
fn the_byte_cap_evicts_oldest_first_and_counts() {
    let dir = temp_dir("cap");
    let segments: Vec<_> = (0..6).map(|i| segment(T0 + i * 1000, 60)).collect();
    let size = segments[0].bytes.len() as u64;
    let config = QueueConfig { max_bytes: size * 3 + size / 2, ..Default::default() };
    let (queue, _) = open(&dir, config, T0);
    for s in &segments {
        queue.push(s).expect("persisted");
    }
    let kept: Vec<_> = segments[3..].iter().map(|s| s.header.id()).collect();
    assert_eq!(queue.oldest(10, &[]), kept);
    let stats = queue.stats();
    assert_eq!((stats.segments, stats.evicted), (3, 3));
    assert!(stats.bytes <= config.max_bytes);
    // A segment bigger than the whole cap is refused, and nothing is evicted for it.
    let huge = segment(T0 + 10_000, 400);
    assert!(huge.bytes.len() as u64 > config.max_bytes, "{} bytes", huge.bytes.len());
    assert_eq!(queue.push(&huge), Err(SinkError::Full));
    assert_eq!(queue.oldest(10, &[]), kept);
}

#[test]
fn old_segments_expire() {
    let dir = temp_dir("age");
    let old = segment(T0, 5);
    let young = segment(T0 + 2 * DAY_MS, 5);
    {
        let (queue, _) = open(&dir, QueueConfig::default(), T0);
        queue.push(&old).expect("persisted");
        queue.push(&young).expect("persisted");
    }
    let (queue, report) = open(&dir, QueueConfig::default(), T0 + 3 * DAY_MS + 1);
    assert_eq!((report.recovered, report.expired_removed), (1, 1));
    assert_eq!(queue.expire(T0 + 6 * DAY_MS), 1);
    assert!(queue.oldest(10, &[]).is_empty());
}

/// Files that fail once `quota` bytes have been written, as a full disk does.
struct QuotaFiles {
    remaining: AtomicU64,
}

impl QueueFiles for QuotaFiles {
    fn write_atomic(&self, dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
        let len = bytes.len() as u64;
        if self.remaining.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |r| r.checked_sub(len)).is_err() {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left on device"));
        }
        StdFiles.write_atomic(dir, name, bytes)
    }
}

#[test]
fn a_full_disk_drops_and_counts_while_recording_goes_on() {
    let dir = temp_dir("full");
    let (queue, _) = DiskQueue::open_with(&dir, QueueConfig::default(), T0, Box::new(QuotaFiles { remaining: AtomicU64::new(2_000) }))
        .expect("opens");
    let recorder = Recorder::start(RecorderConfig::default(), metadata(), T0, Box::new(queue.clone())).expect("starts");
    let custom = |name: &str| Event::Custom(CustomEvent { name: name.into(), attributes: vec![] });
    recorder.record(T0, custom("persisted")).expect("records");
    assert_eq!(recorder.flush().expect("flush").persisted, 1);
    let first = queue.oldest(10, &[]);
    // Now fill the disk: every later segment is dropped and counted, nothing blocks.
    for i in 0..5 {
        recorder.record(T0 + 1 + i, Event::Snapshot(feed::Feed::new(400).tree())).expect("records");
        let report = recorder.flush().expect("flush");
        assert_eq!((report.persisted, report.failed), (0, 1));
    }
    assert_eq!(recorder.stats().dropped_sink_segments, 5);
    assert_eq!(queue.stats().write_failures, 5);
    // What was persisted before is untouched and still decodes.
    assert_eq!(queue.oldest(10, &[]), first);
    let bytes = queue.read(first[0]).expect("readable");
    let decoded = reprise_core::decode(&bytes, Default::default()).expect("decodes");
    assert!(decoded.records.records.iter().any(|r| matches!(&r.record, Record::Custom(c) if c.name == "persisted")));
    assert!(std::fs::read_dir(&dir).expect("dir").flatten().all(|e| !e.file_name().to_string_lossy().starts_with(".tmp-")));
}
