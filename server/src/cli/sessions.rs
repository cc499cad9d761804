//! `reprise sessions`: the stored sessions as a table a person reads (or JSON for scripts), most
//! recent first, with the ids `render` and the player take.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, UNIX_EPOCH};

use clap::Args;

use crate::data_dir::find_collector_data;
use crate::config::{IndexLocation, redact_password};
use crate::index::postgres::PostgresDb;
use crate::index::{SessionFilter, SessionIndex, SessionRow};

/// Flags of `reprise sessions`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  reprise sessions --data reprise-demo\n  reprise sessions --data ./reprise-data --user alice --json\n  \
reprise sessions --index postgres://reprise@db:5432/reprise")]
pub struct SessionsArgs {
    /// The collector's data folder, or a folder holding one (as `reprise-demo`'s output does).
    #[arg(long, value_name = "DIR", default_value = crate::config::DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    /// A shared session index (postgres://user@host:port/database, as `reprise serve --index`
    /// takes it) to list instead of the data folder's.
    #[arg(long, value_name = "URL")]
    pub index: Option<String>,
    /// Only this user id.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,
    /// Only this device model, exactly.
    #[arg(long, value_name = "MODEL")]
    pub device: Option<String>,
    /// At most this many sessions.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: u32,
    /// JSON (one array of the index's rows) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `reprise sessions`.
pub fn run(args: &SessionsArgs) -> ExitCode {
    match list(args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reprise sessions: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The listing `args` ask for.
pub fn list(args: &SessionsArgs) -> Result<String, Box<dyn std::error::Error>> {
    let (index, place) = match &args.index {
        Some(url) => {
            IndexLocation::parse(url)?;
            (SessionIndex::over(PostgresDb::connect(url)?), redact_password(url))
        }
        None => {
            let data = find_collector_data(&args.data)?;
            (SessionIndex::open(&data)?, data.display().to_string())
        }
    };
    let filter = SessionFilter {
        user_id: args.user.clone(),
        device_model: args.device.clone(),
        limit: Some(args.limit),
        ..Default::default()
    };
    let rows = index.sessions(&filter)?;
    if args.json {
        return Ok(serde_json::to_string_pretty(&rows)? + "\n");
    }
    if rows.is_empty() {
        return Ok(format!("no sessions in {place} match\n"));
    }
    Ok(table(&rows))
}

/// Rows as aligned columns.
fn table(rows: &[SessionRow]) -> String {
    let header = ["SESSION", "STARTED (UTC)", "DURATION", "DEVICE", "OS", "APP", "USER", "FINDINGS"].map(String::from);
    let mut lines = vec![header.to_vec()];
    for r in rows {
        lines.push(vec![
            r.session_id.clone(),
            started(r.start_ms),
            format!("{:.1} s", (r.end_ms - r.start_ms) as f64 / 1000.0),
            format!("{} {}", r.device_manufacturer, r.device_model).trim().to_owned(),
            format!("{} {}", r.os_name, r.os_version).trim().to_owned(),
            format!("{} {}", r.app_id, r.app_version).trim().to_owned(),
            r.user_id.clone().unwrap_or_else(|| "-".into()),
            findings(r),
        ]);
    }
    let widths: Vec<usize> = (0..header.len()).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for line in lines {
        let cells: Vec<String> = line.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn started(ms: i64) -> String {
    let at = UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    httpdate::fmt_http_date(at)
}

fn findings(r: &SessionRow) -> String {
    let parts: Vec<String> = [(r.rage_taps, "rage"), (r.dead_taps, "dead"), (r.layout_issues, "layout")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if parts.is_empty() { "-".into() } else { parts.join(", ") }
}
