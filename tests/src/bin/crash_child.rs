//! The process the crash-safety test kills: it records real screens into a disk queue, flushes
//! often, and after each flush returns prints the ids of the segments that flush persisted, one
//! `persisted <id>` line each (and first what opening the queue recovered, as
//! `recovered temp=N corrupt=N`). The test kills it with SIGKILL at random moments and later checks
//! that every printed segment reaches the collector exactly once.
//!
//! Usage: `crash_child QUEUE_DIR SEED`

use std::collections::BTreeSet;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use reprise_core::{CustomEvent, DiskQueue, Event, QueueConfig, Recorder, RecorderConfig};
use reprise_fixtures::data;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(queue_dir), Some(seed)) = (args.next(), args.next()) else {
        return Err("usage: crash_child QUEUE_DIR SEED".into());
    };
    let seed: u64 = seed.parse()?;
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
    let fixtures = data::default_dir();
    let ids = data::rico_ids(&fixtures)?;
    let screens = ids.iter().take(6).map(|id| data::load_rico(&fixtures, id)).collect::<Result<Vec<_>, _>>()?;

    let (queue, report) = DiskQueue::open(&queue_dir, QueueConfig::default(), now_ms)?;
    println!("recovered temp={} corrupt={}", report.temp_removed, report.corrupt_removed);
    let recorder = Recorder::start(RecorderConfig::default(), screens[0].metadata(), now_ms, Box::new(queue.clone()))?;
    let mut known: BTreeSet<String> = queue.oldest(usize::MAX, &[]).iter().map(ToString::to_string).collect();
    let stdout = std::io::stdout();
    for step in 0u64.. {
        let t = now_ms + step as i64 * 50;
        let screen = &screens[((seed + step) % screens.len() as u64) as usize];
        recorder.record(t, Event::Snapshot(screen.tree.clone()))?;
        recorder.record(t, Event::Custom(CustomEvent { name: format!("step {step}"), attributes: vec![] }))?;
        if step % 3 == 2 {
            recorder.flush()?;
            // Everything in the queue now was persisted by this flush or an earlier one.
            let mut out = stdout.lock();
            for id in queue.oldest(usize::MAX, &[]) {
                let id = id.to_string();
                if known.insert(id.clone()) {
                    writeln!(out, "persisted {id}")?;
                }
            }
            out.flush()?;
        }
    }
    Ok(())
}
