//! The `reprise` command line. Each command has its own file: [`serve`] (the collector, its flags
//! and the config file), [`sessions`] (the stored sessions as a table), [`inspect`] (everything
//! decoded, as JSON), [`render`] (a GIF or a PNG of a session), [`preview`] (a view tree drawn as
//! it would be stored, to check masking), [`token`] (the player's access token kept in the data
//! folder) and [`erase`] (erasure: a user's sessions, one, or those past retention); [`backend`]
//! opens the store and index a command names.

pub mod backend;
pub mod erase;
pub mod inspect;
pub mod preview;
pub mod render;
pub mod serve;
pub mod sessions;
pub mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use erase::EraseArgs;
pub use inspect::InspectArgs;
pub use preview::PreviewArgs;
pub use render::RenderArgs;
pub use serve::{ACCESS_TOKEN_ENV, ServeArgs, stop_signal};
pub use sessions::SessionsArgs;
pub use token::TokenArgs;

/// The collector of Reprise, session replay for mobile apps.
#[derive(Debug, Parser)]
#[command(
    name = "reprise",
    version,
    about = "Reprise's collector: receives the sessions that apps record with the Reprise SDKs, keeps them, and serves the web player to replay them.",
    after_help = "Start here:\n  reprise serve --api-key myapp=$(openssl rand -hex 16)   # then open the player URL it prints\n  reprise sessions --data ./reprise-data                   # what it has received"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the collector: receive uploads from the SDKs and serve the web player on one port.
    Serve(Box<ServeArgs>),
    /// List the stored sessions as a table (or JSON), with their ids for `render` and the player.
    Sessions(SessionsArgs),
    /// Print the stored sessions and their decoded records as one JSON document.
    Inspect(InspectArgs),
    /// Draw a stored session as the player does: a GIF of all of it, or a PNG of one moment.
    Render(RenderArgs),
    /// Draw a view tree (JSON, as the SDKs export it) exactly as it would be stored, masking applied.
    Preview(PreviewArgs),
    /// Print the web player's access token kept in the data folder, or replace it.
    Token(TokenArgs),
    /// Erase sessions from the store and the index: a user's (the right to erasure), one, or those past retention.
    Erase(EraseArgs),
}

/// Runs the command line; the process exit code: 0 done, 1 failed, 2 a usage error.
pub fn main_with(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Serve(args) => serve::serve(&args),
        Command::Sessions(args) => sessions::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Preview(args) => preview::run(&args),
        Command::Token(args) => token::run(&args),
        Command::Erase(args) => erase::run(&args),
    }
}
