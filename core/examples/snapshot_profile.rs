//! Records 300 snapshots of the 500-node feed (five 60-snapshot segments) through capture and the
//! session writer, for profilers: instruction counts under callgrind do not depend on machine load.
//!
//! `valgrind --tool=callgrind target/release/examples/snapshot_profile` after
//! `cargo build --release -p reprise-core --example snapshot_profile`.

use std::sync::Arc;

use reprise_core::stats::Counters;
use reprise_core::{PrivacyRules, RecorderConfig, SessionId, SessionMetadata, SessionStart, SessionWriter, Snapshot, ViewTree};
use reprise_fixtures::kit::feed;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut feed = feed::Feed::new(500);
    let trees: Vec<ViewTree> = (0..60)
        .map(|i| {
            feed.scroll(150.0 + (i % 5) as f32 * 40.0);
            feed.tree()
        })
        .collect();
    let metadata = SessionMetadata { density: feed::DENSITY, ..Default::default() };
    let start = SessionStart { id: SessionId::new_v7(0), started_ms: 0, metadata, user: Default::default() };
    let config = RecorderConfig { keyframe_interval: std::time::Duration::from_secs(3600), ..Default::default() };
    let limits = config.capture_limits();
    let mut writer = SessionWriter::new(config, start, Arc::new(Counters::default()))?;
    let mut bytes = 0;
    for round in 0..5i64 {
        for (i, tree) in trees.iter().enumerate() {
            let snapshot = Snapshot::capture(tree.clone(), feed::DENSITY, &PrivacyRules::default(), &limits)?;
            writer.snapshot((round * 60 + i as i64) * 1000, snapshot);
        }
        writer.seal();
        bytes += writer.take_sealed().iter().map(|s| s.bytes.len()).sum::<usize>();
    }
    println!("300 snapshots of {} nodes, {bytes} bytes sealed", trees[0].nodes.len());
    Ok(())
}
