//! `reprise erase`: erases sessions from a collector's store and index, as the admin endpoints
//! and the retention sweep do (`crate::erasure`): every session of a user (the right to
//! erasure), one session, or every session past its app's retention period. It prints what was
//! deleted as JSON.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use reprise_core::SessionId;

use super::backend::{open_index, open_store};
use crate::clock::now_ms;
use crate::config::{DEFAULT_DATA_DIR, FileConfig};
use crate::erasure::{self, ErasureReport};
use crate::retention::Retention;
use crate::index::{ErasureReason, SessionIndex};
use crate::store::SegmentStore;

/// Flags of `reprise erase`.
#[derive(Debug, Clone, Args)]
#[command(
    group = clap::ArgGroup::new("what").required(true).args(["user", "session", "expired"]),
    after_help = "Examples:\n  reprise erase --data ./reprise-data --user alice@example.com\n  \
reprise erase --index postgres://reprise@db/reprise --store 's3://segments?endpoint=http://s3:8333' --user 42 --app shop\n  \
reprise erase --data ./reprise-data --expired --retention-days 30"
)]
pub struct EraseArgs {
    /// Erase every session whose user id is this (the right to erasure).
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,
    /// With --user: only that app's sessions.
    #[arg(long, value_name = "APP", requires = "user")]
    pub app: Option<String>,
    /// Erase this one session.
    #[arg(long, value_name = "UUID")]
    pub session: Option<SessionId>,
    /// Erase every session past its app's retention period (as `reprise serve` does hourly).
    #[arg(long)]
    pub expired: bool,
    /// With --expired: days to keep, for apps without a period of their own (default 30; 0 = for ever).
    #[arg(long, value_name = "DAYS", requires = "expired")]
    pub retention_days: Option<u32>,
    /// With --expired: the `reprise serve` config file whose `[retention]` table applies.
    #[arg(long, value_name = "FILE", requires = "expired")]
    pub config: Option<PathBuf>,
    /// The collector's data folder (its segments and index, unless --store and --index say otherwise).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    /// A shared session index (postgres://...), as `reprise serve --index` takes it.
    #[arg(long, value_name = "URL")]
    pub index: Option<String>,
    /// A shared segment store (s3://BUCKET?endpoint=...), as `reprise serve --store` takes it;
    /// credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
}

/// Runs `reprise erase`.
pub fn run(args: &EraseArgs) -> ExitCode {
    match erase(args) {
        Ok(report) => {
            eprintln!(
                "reprise erase: erased {} sessions ({} stored segments)",
                report.sessions.len(),
                report.stored_segments()
            );
            match serde_json::to_string_pretty(&report) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("reprise erase: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("reprise erase: {e}; what was erased stays erased, and running the same command again finishes the rest");
            ExitCode::FAILURE
        }
    }
}

/// Erases what `args` name; what was deleted.
pub fn erase(args: &EraseArgs) -> Result<ErasureReport, Box<dyn std::error::Error>> {
    let (store, index) = open(args)?;
    let (store, index) = (store.as_ref(), &index);
    if let Some(user) = &args.user {
        return Ok(erasure::erase_user(store, index, user, args.app.as_deref())?);
    }
    if let Some(session) = args.session {
        if index.session(session)?.is_none() && !index.is_erased(session)? && store.list_session(session)?.is_empty() {
            return Err(format!("no session {session} in {}", index.describe()).into());
        }
        return Ok(erasure::erase_sessions(store, index, &[session], ErasureReason::Request)?);
    }
    let mut retention = match &args.config {
        Some(path) => FileConfig::load(path)?.retention.unwrap_or_default(),
        None => Retention::default(),
    };
    if let Some(days) = args.retention_days {
        retention.days = days;
    }
    Ok(erasure::sweep(store, index, &retention, now_ms())?)
}

fn open(args: &EraseArgs) -> Result<(Arc<dyn SegmentStore>, SessionIndex), Box<dyn std::error::Error>> {
    Ok((open_store(&args.data, args.store.as_deref())?, open_index(&args.data, args.index.as_deref())?))
}
