//! `reprise inspect`: everything a collector holds, decoded, as one JSON document.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::data_dir::find_collector_data;

/// Flags of `reprise inspect`.
#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    /// The collector's data folder, or a folder holding one (as `reprise-demo`'s output does).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Only this session (UUID).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
}

/// Runs `reprise inspect`.
pub fn run(args: &InspectArgs) -> ExitCode {
    let only = match args.session.as_deref().map(str::parse::<reprise_core::SessionId>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => {
            eprintln!("reprise inspect: bad session id: {e}");
            return ExitCode::from(2);
        }
    };
    let data = match find_collector_data(&args.data) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("reprise inspect: {e}");
            return ExitCode::FAILURE;
        }
    };
    match crate::inspect::inspect(&data, only) {
        Ok(doc) => {
            println!("{doc}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reprise inspect: {e}");
            ExitCode::FAILURE
        }
    }
}
