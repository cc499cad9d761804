//! The `reprise` command line: `reprise serve` and its flags, `reprise inspect`, `reprise render`, resolved against an optional TOML
//! file into a [`ServerConfig`], and the serve loop that stops on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use reprise_core::SessionId;

use crate::config::{
    AccessToken, ApiKeys, DEFAULT_DATA_DIR, DEFAULT_LISTEN, FileConfig, LimitOverrides, Limits, ServerConfig, check_limits,
};
use crate::error::{ConfigError, RenderError};
use crate::render::{self, GifOptions};
use crate::server::RunningServer;

/// Reprise: session capture for mobile apps.
#[derive(Debug, Parser)]
#[command(name = "reprise", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the collector: accept segment uploads on POST /v1/segments.
    Serve(Box<ServeArgs>),
    /// Print the stored sessions and their decoded records as one JSON document.
    Inspect(InspectArgs),
    /// Draw a stored session as the player does: a GIF of all of it, or a PNG of one moment.
    Render(RenderArgs),
}

/// Flags of `reprise render`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// The session (UUID).
    #[arg(value_name = "SESSION")]
    pub session: String,
    /// The collector's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Where to write: a .gif of the whole session, or with --at a .png of one moment.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The moment to draw, in seconds from the session's first record (writes a PNG).
    #[arg(long, value_name = "SECONDS")]
    pub at: Option<f64>,
    /// Pixels per dp.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub scale: f32,
    /// GIF frames a second while touches and gestures move.
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub fps: u32,
}

impl RenderArgs {
    /// Renders and writes the file; the number of bytes written.
    pub fn run(&self) -> Result<usize, RenderError> {
        let extension = self.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let usage = |reason: &str| Err(RenderError::Usage(format!("--out {}: {reason}", self.out.display())));
        match (extension.as_deref(), self.at) {
            (Some("gif"), None) | (Some("png"), Some(_)) => {}
            (Some("gif"), Some(_)) => return usage("--at draws one moment as a PNG; write it to a .png file"),
            (Some("png"), None) => return usage("a PNG is one moment: add --at SECONDS, or write a .gif of the whole session"),
            _ => return usage("the file must end in .gif (the whole session) or .png (with --at SECONDS)"),
        }
        if !(1..=60).contains(&self.fps) {
            return Err(RenderError::Usage(format!("--fps must be between 1 and 60, got {}", self.fps)));
        }
        let session: SessionId = self
            .session
            .parse()
            .map_err(|e| RenderError::Usage(format!("{:?} is not a session id: {e}", self.session)))?;
        let timeline = render::load_session(&self.data, session)?;
        let bytes = match self.at {
            Some(seconds) => render::render_png(&timeline, render::time_at(&timeline, seconds)?, self.scale)?,
            None => render::render_gif(&timeline, &GifOptions { scale: self.scale, fps: self.fps, ..GifOptions::default() })?,
        };
        std::fs::write(&self.out, &bytes).map_err(|source| RenderError::Write { path: self.out.clone(), source })?;
        Ok(bytes.len())
    }
}

/// Flags of `reprise inspect`.
#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    /// The collector's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Only this session (UUID).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
}

/// The environment variable holding the player's access token.
pub const ACCESS_TOKEN_ENV: &str = "REPRISE_ACCESS_TOKEN";

/// Flags of `reprise serve`; each overrides the same setting of `--config`.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on (plain HTTP: put a TLS-terminating proxy in front for real traffic).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Data directory for segments/ and index.sqlite.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// An app's API key as APP=KEY; repeat for more keys or apps. At least one key is required.
    #[arg(long = "api-key", value_name = "APP=KEY")]
    pub api_keys: Vec<String>,
    /// The web player's access token (at least 16 characters, not an ingest key); also
    /// REPRISE_ACCESS_TOKEN or the config's access_token. Without one, a random token is
    /// generated and printed with the player's URL.
    #[arg(long, value_name = "TOKEN")]
    pub access_token: Option<String>,
    /// TOML configuration file: listen, data, access_token, [keys] app = "KEY", [limits].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Limits; each overrides the same key of the config file's `[limits]` table.
    #[command(flatten)]
    pub limits: LimitOverrides,
}

impl ServeArgs {
    /// The configuration these flags, the environment and the file they name describe. Fails
    /// without any key.
    pub fn resolve(&self) -> Result<ServerConfig, ConfigError> {
        self.resolve_with_env(std::env::var(ACCESS_TOKEN_ENV).ok())
    }

    /// [`ServeArgs::resolve`] with the value of `REPRISE_ACCESS_TOKEN` given: the flag wins over
    /// it, and it wins over the file.
    pub fn resolve_with_env(&self, env_token: Option<String>) -> Result<ServerConfig, ConfigError> {
        let file = match &self.config {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        let mut pairs: Vec<(String, String)> = file.keys.into_iter().collect();
        for flag in &self.api_keys {
            pairs.push(ApiKeys::parse_flag(flag)?);
        }
        let keys = ApiKeys::new(pairs)?;
        let limits = self.limits.apply(file.limits.apply(Limits::default()));
        check_limits(&limits)?;
        let listen = match self.listen.or(file.listen) {
            Some(addr) => addr,
            None => DEFAULT_LISTEN.parse().map_err(|_| ConfigError::Toml("bad default address".into()))?,
        };
        let data_dir = self.data.clone().or(file.data).unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let access_token = match self.access_token.clone().or(env_token).or(file.access_token) {
            Some(token) => {
                let token = AccessToken::new(token)?;
                token.check_against(&keys)?;
                Some(token)
            }
            None => None,
        };
        Ok(ServerConfig { listen, data_dir, keys, limits, access_token })
    }
}

/// Runs the command line; the process exit code.
pub fn main_with(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Inspect(args) => inspect(&args),
        Command::Render(args) => match args.run() {
            Ok(bytes) => {
                println!("reprise render: wrote {} ({bytes} bytes)", args.out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("reprise render: {e}");
                ExitCode::from(if matches!(e, RenderError::Usage(_) | RenderError::Scale { .. }) { 2 } else { 1 })
            }
        },
    }
}

fn inspect(args: &InspectArgs) -> ExitCode {
    let only = match args.session.as_deref().map(str::parse::<reprise_core::SessionId>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => {
            eprintln!("reprise inspect: bad session id: {e}");
            return ExitCode::from(2);
        }
    };
    match crate::inspect::inspect(&args.data, only) {
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

fn serve(args: &ServeArgs) -> ExitCode {
    let config = match args.resolve() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("reprise: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("reprise: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reprise: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: ServerConfig) -> Result<(), Box<dyn std::error::Error>> {
    let apps: Vec<String> = config.keys.apps().map(str::to_owned).collect();
    let data_dir = config.data_dir.clone();
    let generated = config.access_token.is_none();
    let server = RunningServer::start(config).await?;
    // The first line of stdout names the address, so a script (or a test) can find the port. A
    // generated token is printed in the player's URL (it is the only way to learn it); a
    // configured one is not repeated.
    let player = if generated {
        format!("http://{}/#token={}", server.addr(), server.access_token().as_str())
    } else {
        format!("http://{}/ (access token as configured)", server.addr())
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "reprise: listening on http://{} (data {}, apps: {}); player: {player}",
        server.addr(),
        data_dir.display(),
        apps.join(", ")
    )?;
    out.flush()?;
    drop(out);
    stop_signal().await;
    eprintln!("reprise: shutting down");
    server.shutdown().await?;
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_refuses_to_run_without_a_key() {
        let err = ServeArgs::default().resolve().unwrap_err();
        assert!(matches!(err, ConfigError::NoKeys));
        assert!(err.to_string().contains("--api-key"));
    }

    #[test]
    fn flags_override_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reprise.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\n[keys]\nshop = \"K1\"\n[limits]\nmax_body = 4096\nmax_raw = 8192\n")
            .expect("write");
        let args = ServeArgs {
            config: Some(path),
            api_keys: vec!["news=K2".into()],
            limits: LimitOverrides { max_body: Some(2048), ..Default::default() },
            ..Default::default()
        };
        let config = args.resolve().expect("resolves");
        assert_eq!(config.listen.port(), 9000);
        assert_eq!((config.limits.max_body, config.limits.max_raw), (2048, 8192));
        assert_eq!(config.keys.app_for("K1"), Some("shop"));
        assert_eq!(config.keys.app_for("K2"), Some("news"));
    }

    #[test]
    fn the_access_token_comes_from_the_flag_then_the_environment_then_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reprise.toml");
        std::fs::write(&path, "access_token = \"file-token-0123456789\"\n[keys]\nshop = \"K1-shop-key\"\n").expect("write");
        let args = ServeArgs { config: Some(path), ..Default::default() };
        let token = |args: &ServeArgs, env: Option<&str>| {
            args.resolve_with_env(env.map(str::to_owned)).map(|c| c.access_token.map(|t| t.as_str().to_owned()))
        };
        assert_eq!(token(&args, None).expect("resolves").as_deref(), Some("file-token-0123456789"));
        assert_eq!(token(&args, Some("env-token-0123456789")).expect("resolves").as_deref(), Some("env-token-0123456789"));
        let flagged = ServeArgs { access_token: Some("flag-token-0123456789".into()), ..args.clone() };
        assert_eq!(token(&flagged, Some("env-token-0123456789")).expect("resolves").as_deref(), Some("flag-token-0123456789"));
        let short = ServeArgs { access_token: Some("too-short".into()), ..args.clone() };
        assert!(matches!(token(&short, None), Err(ConfigError::TokenTooShort { .. })));
        let ingest = ServeArgs { access_token: Some("K1-shop-key".into()), ..args.clone() };
        assert!(matches!(token(&ingest, None), Err(ConfigError::TokenTooShort { .. })));
        let ingest = ServeArgs { api_keys: vec!["news=news-key-0123456789".into()], ..args.clone() };
        assert!(matches!(token(&ingest, Some("news-key-0123456789")), Err(ConfigError::TokenIsApiKey { app }) if app == "news"));
        let none = ServeArgs { api_keys: vec!["a=b".into()], ..Default::default() };
        assert_eq!(token(&none, None).expect("resolves"), None, "generated at start");
    }

    #[test]
    fn the_command_line_parses() {
        let cli = Cli::try_parse_from(["reprise", "serve", "--listen", "127.0.0.1:0", "--api-key", "a=b", "--api-key", "c=d"])
            .expect("parses");
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        assert_eq!(args.api_keys, ["a=b", "c=d"]);
        let cli = Cli::try_parse_from(["reprise", "inspect", "--data", "d"]).expect("parses");
        assert!(matches!(cli.command, Command::Inspect(_)));
        assert!(Cli::try_parse_from(["reprise", "serve", "--max-body", "lots"]).is_err());
        let cli = Cli::try_parse_from(["reprise", "serve", "--max-connections", "64", "--header-timeout-secs", "3"]).expect("parses");
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        let limits = args.limits.apply(Limits::default());
        assert_eq!((limits.max_connections, limits.header_timeout.as_secs()), (64, 3));
    }
}
