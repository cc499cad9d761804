//! `reprise-seed`: uploads many short sessions to a running collector through the SDK's real
//! upload path (disk queue, uploader, HTTP), for tests that need a long session list (the
//! browser test pages through 300). Each session is one RICO screen (3363): a screen view and
//! its snapshot, one second apart from the next session's start, so "most recent first" lists
//! them in reverse order of their number (`--user-prefix` plus the number is each one's user id).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use reprise_core::record::UserInfo;
use reprise_core::{DiskQueue, Event, PrivacyRules, QueueConfig, RecorderConfig, UploadConfig, Uploader};
use reprise_fixtures::data;
use reprise_fixtures::kit::session::{capture, metadata, writer};

/// Upload short sessions to a collector.
#[derive(Debug, Parser)]
#[command(name = "reprise-seed", about)]
struct Args {
    /// The collector, `http://127.0.0.1:8900`.
    #[arg(long)]
    endpoint: String,
    /// An ingest key of the collector.
    #[arg(long)]
    key: String,
    /// How many sessions.
    #[arg(long, default_value_t = 300)]
    sessions: usize,
    /// The user id of session N is this prefix and N (zero-padded to 4 digits).
    #[arg(long, default_value = "seed-")]
    user_prefix: String,
    /// The fixtures folder (the repository's `tests/data` by default).
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Where the queue lives while it uploads (a temporary folder by default).
    #[arg(long)]
    queue: Option<PathBuf>,
}

/// How long the uploads may take, at most.
const DRAIN: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(n) => {
            println!("reprise-seed: {n} sessions uploaded");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reprise-seed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<u64, Box<dyn std::error::Error>> {
    let fixtures = args.fixtures.unwrap_or_else(data::default_dir);
    let screen = data::load_rico(&fixtures, "3363")?;
    let queue_dir = match args.queue {
        Some(dir) => dir,
        None => std::env::temp_dir().join(format!("reprise-seed-{}", std::process::id())),
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
    let (queue, _) = DiskQueue::open(&queue_dir, QueueConfig::default(), now)?;
    let rules = PrivacyRules::default();
    let first = now - 60_000 - args.sessions as i64 * 1000;
    for n in 0..args.sessions {
        let t = first + n as i64 * 1000;
        let (mut w, _) = writer(RecorderConfig::default(), metadata(&screen), t);
        w.set_user(t, UserInfo { user_id: Some(format!("{}{n:04}", args.user_prefix)), attributes: Vec::new() });
        w.event(t, Event::ScreenView { name: screen.name.clone() });
        w.snapshot(t + 10, capture(&screen.tree, screen.density, &rules));
        w.event(t + 500, Event::Lifecycle(reprise_core::Lifecycle::Background));
        w.seal();
        for segment in w.take_sealed() {
            queue.push(&segment)?;
        }
    }
    let uploader = Uploader::start(queue, UploadConfig { endpoint: args.endpoint, api_key: args.key, ..Default::default() })?;
    uploader.drain(DRAIN);
    let stats = uploader.stats();
    uploader.shutdown();
    let _ = std::fs::remove_dir_all(&queue_dir);
    if stats.delivered < args.sessions as u64 {
        return Err(format!("{} of {} sessions uploaded: {stats:?}", stats.delivered, args.sessions).into());
    }
    Ok(stats.delivered)
}
