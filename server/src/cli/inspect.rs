//! `reprise inspect`: everything a collector holds, decoded, as one JSON document.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::backend::open_store;

/// Flags of `reprise inspect`.
#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    /// The collector's data folder, or a folder holding one (as `reprise-demo`'s output does).
    #[arg(long, value_name = "DIR", default_value = crate::config::DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    /// A shared segment store (s3://BUCKET?endpoint=...), as `reprise serve --store` takes it,
    /// to read instead of the data folder's.
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
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
    let store = match open_store(&args.data, args.store.as_deref()) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("reprise inspect: {e}");
            return ExitCode::FAILURE;
        }
    };
    match crate::inspect::inspect(store.as_ref(), only) {
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
