//! `live-session`: records a session in real time through the real SDK into a running collector,
//! one real RICO screen every `--every-ms`, as an app in use does; for trying live view (open the
//! player on the session id it prints) and for its browser test. The first screen is uploaded at
//! once; the rest only as the SDK seals segments (every 60 s, or every 2 s while the player
//! watches). A line `background` on stdin makes the app go to the background and come back (a
//! moment the SDK uploads at, as an app does when the user switches away). Ends by going to the
//! background, which seals and uploads the rest.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use reprise_core::upload::UploadConfig;
use reprise_core::{Event, Lifecycle, RecorderConfig, Sdk, SdkConfig};
use reprise_fixtures::kit::screens::rico_screens;
use reprise_fixtures::kit::session::metadata;

/// Flags of `live-session`.
#[derive(Debug, Parser)]
#[command(about = "Record a session in real time through the real SDK into a running collector (for live view).")]
struct Args {
    /// The collector, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    endpoint: String,
    /// An API key of the collector.
    #[arg(long)]
    key: String,
    /// The device's data folder (the SDK's queue).
    #[arg(long)]
    data: std::path::PathBuf,
    /// RICO screens to show, in order, by id.
    #[arg(long, value_delimiter = ',', default_value = "3363,33618,33656,3363")]
    screens: Vec<String>,
    /// Time on each screen, ms.
    #[arg(long, default_value_t = 3000)]
    every_ms: u64,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let ids: Vec<&str> = args.screens.iter().map(String::as_str).collect();
    let screens = rico_screens(&ids);
    let first = screens.first().ok_or("no screens")?;
    let upload = UploadConfig { endpoint: args.endpoint.clone(), api_key: args.key.clone(), ..Default::default() };
    let config = SdkConfig { data_dir: args.data.clone(), recorder: RecorderConfig::default(), queue: Default::default(), upload: Some(upload) };
    let sdk = Arc::new(Sdk::start(config, metadata(first), now_ms())?);
    // Detached: it may wait on stdin until the process ends.
    let listener = sdk.clone();
    std::thread::spawn(move || switch_away_on_request(&listener));
    record(&sdk, &screens, args.every_ms)?;
    sdk.record(now_ms(), Event::Lifecycle(Lifecycle::Background))?;
    sdk.flush_and_upload(Duration::from_secs(10))?;
    sdk.shutdown()?;
    Ok(())
}

/// Goes to the background and back for each `background` line on stdin.
fn switch_away_on_request(sdk: &Sdk) {
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { return };
        if line.trim() == "background" {
            let _ = sdk.record(now_ms(), Event::Lifecycle(Lifecycle::Background));
            let _ = sdk.record(now_ms(), Event::Lifecycle(Lifecycle::Foreground));
        }
    }
}

/// Shows each screen for `every_ms`, uploading the first at once.
fn record(sdk: &Sdk, screens: &[reprise_fixtures::ParsedScreen], every_ms: u64) -> Result<(), Box<dyn std::error::Error>> {
    for (i, screen) in screens.iter().enumerate() {
        sdk.record(now_ms(), Event::ScreenView { name: screen.name.clone() })?;
        sdk.record(now_ms(), Event::Snapshot(screen.tree.clone()))?;
        if i == 0 {
            sdk.flush_and_upload(Duration::from_secs(10))?;
            // The first line of stdout names the session, so a script can open the player on it.
            println!("{}", sdk.session_id());
        }
        std::thread::sleep(Duration::from_millis(every_ms));
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("live-session: {e}");
            ExitCode::FAILURE
        }
    }
}
