//! The `reprise` binary. `reprise serve --api-key APP=KEY` runs the collector.

use clap::Parser;

fn main() -> std::process::ExitCode {
    reprise_server::cli::main_with(reprise_server::cli::Cli::parse())
}
