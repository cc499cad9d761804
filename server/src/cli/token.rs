//! `reprise token`: the web player's access token kept in the data folder, printed, or replaced
//! (`--rotate`) so that every old player link stops working at the collector's next start.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::token_file::{read_token, token_path, write_new_token};

/// Flags of `reprise token`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  reprise token --data ./reprise-data\n  reprise token --data ./reprise-data --rotate   # then restart reprise serve")]
pub struct TokenArgs {
    /// The collector's data folder.
    #[arg(long, value_name = "DIR", default_value = crate::config::DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    /// Replace the token with a new one.
    #[arg(long)]
    pub rotate: bool,
}

/// Runs `reprise token`.
pub fn run(args: &TokenArgs) -> ExitCode {
    let result = if args.rotate { write_new_token(&args.data).map(Some) } else { read_token(&args.data) };
    match result {
        Ok(Some(token)) => {
            println!("{}", token.as_str());
            if args.rotate {
                eprintln!("reprise token: wrote a new token to {}; restart reprise serve to use it", token_path(&args.data).display());
            }
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!(
                "reprise token: no token kept in {} (reprise serve makes one at its first start, or run with --rotate)",
                token_path(&args.data).display()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("reprise token: {e}");
            ExitCode::FAILURE
        }
    }
}
