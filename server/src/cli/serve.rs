//! `reprise serve`: its flags and the TOML file they override, resolved into a [`ServerConfig`],
//! and the serve loop that stops on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::config::{
    AccessToken, ApiKeys, DEFAULT_DATA_DIR, DEFAULT_LISTEN, FileConfig, IndexLocation, LimitOverrides, Limits, ServerConfig,
    check_limits,
};
use crate::error::ConfigError;
use crate::store::StoreLocation;
use crate::store::s3::{S3Config, S3Credentials};
use crate::listen::{is_exposed, parse_listen};
use crate::server::RunningServer;

/// The environment variable holding the player's access token.
pub const ACCESS_TOKEN_ENV: &str = "REPRISE_ACCESS_TOKEN";

/// The environment variable that may hold the admin endpoints' token.
pub const ADMIN_TOKEN_ENV: &str = "REPRISE_ADMIN_TOKEN";

/// Flags of `reprise serve`; each overrides the same setting of `--config`.
#[derive(Debug, Clone, Default, Args)]
#[command(
    long_about = "Run the collector: receive session uploads from the Reprise SDKs (POST /v1/segments, \
each request with an app's API key), keep them in the data folder, and serve the web player and its \
JSON API on the same port (behind the player's access token, which is kept in the data folder and \
printed in the player's URL).",
    after_help = "Example:\n  reprise serve --api-key myapp=$(openssl rand -hex 16) --listen 8080 --data ./reprise-data\n\
Defaults: listen on 127.0.0.1:8080, data in ./reprise-data. Plain HTTP: put a TLS-terminating proxy in front for real traffic."
)]
pub struct ServeArgs {
    /// Address to listen on: 8080, :8080, localhost:8080, 127.0.0.1:8080, [::1]:8080, or
    /// 0.0.0.0:8080 to be reachable from other machines [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR", value_parser = parse_listen)]
    pub listen: Option<SocketAddr>,
    /// Data folder for segments/, index.sqlite and the player's access token [default: ./reprise-data].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// An app's API key as APP=KEY; repeat for more keys or apps. At least one key is required.
    #[arg(long = "api-key", value_name = "APP=KEY")]
    pub api_keys: Vec<String>,
    /// The web player's access token (at least 16 characters, not an ingest key); also
    /// REPRISE_ACCESS_TOKEN or the config's access_token. Without one, the token kept in the data
    /// folder is used (made on the first start; `reprise token --rotate` replaces it).
    #[arg(long, value_name = "TOKEN")]
    pub access_token: Option<String>,
    /// The session index: a postgres://user@host:port/database URL, shared by every collector
    /// that names it; also the config's index [default: index.sqlite in the data folder].
    #[arg(long, value_name = "URL")]
    pub index: Option<String>,
    /// The segment store: s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION, shared by every
    /// collector that names it; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or
    /// the config's [s3] table, unsigned without either; also the config's store
    /// [default: segments/ in the data folder].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// TOML configuration file: listen, data, access_token, admin_token, index, store,
    /// [keys] app = "KEY", [s3], [retention], [limits].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Days sessions are kept, counted from their latest segment, for apps without a period of
    /// their own in the config file (`[retention]`); 0 keeps them for ever. Default 30.
    #[arg(long, value_name = "DAYS")]
    pub retention_days: Option<u32>,
    /// The token that opens the admin endpoints (`DELETE /v1/admin/users/ID`, erasure); also
    /// from REPRISE_ADMIN_TOKEN or `admin_token` in the file. Without one they stay closed.
    #[arg(long, value_name = "TOKEN")]
    pub admin_token: Option<String>,
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
        let listen = match (self.listen, file.listen) {
            (Some(addr), _) => addr,
            (None, Some(text)) => parse_listen(&text)?,
            (None, None) => parse_listen(DEFAULT_LISTEN)?,
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
        let index = match self.index.clone().or(file.index) {
            Some(url) => IndexLocation::parse(&url)?,
            None => IndexLocation::Embedded,
        };
        let store = match self.store.clone().or(file.store) {
            Some(url) => {
                let mut s3 = S3Config::parse_url(&url)?;
                s3.credentials = S3Credentials::from_env().or(file.s3);
                StoreLocation::S3(Box::new(s3))
            }
            None => StoreLocation::Embedded,
        };
        let mut retention = file.retention.unwrap_or_default();
        if let Some(days) = self.retention_days {
            retention.days = days;
        }
        let admin_token = match self.admin_token.clone().or_else(|| std::env::var(ADMIN_TOKEN_ENV).ok()).or(file.admin_token) {
            Some(token) => {
                let token = AccessToken::new(token)?;
                token.check_against(&keys)?;
                Some(token)
            }
            None => None,
        };
        Ok(ServerConfig { listen, data_dir, keys, limits, access_token, index, store, retention, admin_token })
    }
}

/// Runs `reprise serve` until Ctrl-C or SIGTERM.
pub fn serve(args: &ServeArgs) -> ExitCode {
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
    let kept = config.access_token.is_none();
    let server = RunningServer::start(config).await?;
    if is_exposed(server.addr()) {
        eprintln!(
            "reprise: warning: listening on {}, reachable from other machines over plain HTTP; put a TLS-terminating proxy in front",
            server.addr()
        );
    }
    // The first line of stdout names the address, so a script (or a test) can find the port. The
    // token kept in the data folder is printed in the player's URL (the link works across
    // restarts); a configured one is not repeated.
    let player = if kept {
        format!("http://{}/#token={}", server.addr(), server.access_token().as_str())
    } else {
        format!("http://{}/ (access token as configured)", server.addr())
    };
    eprintln!("reprise: segments: {}; index: {}", server.state().store().describe(), server.state().index().describe());
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
    use crate::cli::{Cli, Command};
    use clap::Parser;

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
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\n[keys]\nshop = \"K1-shop-0123456789\"\n[limits]\nmax_body = 4096\nmax_raw = 8192\n")
            .expect("write");
        let args = ServeArgs {
            config: Some(path),
            api_keys: vec!["news=K2-news-0123456789".into()],
            limits: LimitOverrides { max_body: Some(2048), ..Default::default() },
            ..Default::default()
        };
        let config = args.resolve().expect("resolves");
        assert_eq!(config.listen.port(), 9000);
        assert_eq!((config.limits.max_body, config.limits.max_raw), (2048, 8192));
        assert_eq!(config.keys.app_for("K1-shop-0123456789"), Some("shop"));
        assert_eq!(config.keys.app_for("K2-news-0123456789"), Some("news"));
    }

    #[test]
    fn the_access_token_comes_from_the_flag_then_the_environment_then_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reprise.toml");
        std::fs::write(&path, "access_token = \"file-token-0123456789\"\n[keys]\nshop = \"K1-shop-key-0123456789\"\n").expect("write");
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
        let ingest = ServeArgs { access_token: Some("K1-shop-key-0123456789".into()), ..args.clone() };
        assert!(matches!(token(&ingest, None), Err(ConfigError::TokenIsApiKey { app }) if app == "shop"));
        let ingest = ServeArgs { api_keys: vec!["news=news-key-0123456789".into()], ..args.clone() };
        assert!(matches!(token(&ingest, Some("news-key-0123456789")), Err(ConfigError::TokenIsApiKey { app }) if app == "news"));
        let none = ServeArgs { api_keys: vec!["a=b-0123456789abcdef".into()], ..Default::default() };
        assert_eq!(token(&none, None).expect("resolves"), None, "generated at start");
    }

    #[test]
    fn the_index_and_the_store_come_from_the_flags_then_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reprise.toml");
        std::fs::write(
            &path,
            "index = \"postgres://reprise@db:5432/file\"\nstore = \"s3://file-bucket?endpoint=http://127.0.0.1:8333\"\n\
             [s3]\naccess_key_id = \"AKIAFILE\"\nsecret_access_key = \"file-secret\"\n[keys]\nshop = \"K1-shop-key-0123456789\"\n",
        )
        .expect("write");
        let args = ServeArgs { config: Some(path), ..Default::default() };
        let config = args.resolve().expect("resolves");
        assert_eq!(config.index, IndexLocation::Postgres("postgres://reprise@db:5432/file".into()));
        let StoreLocation::S3(s3) = &config.store else { panic!("an S3 store: {:?}", config.store) };
        assert_eq!((s3.bucket.as_str(), s3.endpoint.as_str()), ("file-bucket", "http://127.0.0.1:8333"));
        if S3Credentials::from_env().is_none() {
            assert_eq!(s3.credentials.as_ref().map(|c| c.key.as_str()), Some("AKIAFILE"));
        }
        let flagged = ServeArgs {
            index: Some("postgresql://other@db2/flag".into()),
            store: Some("s3://flag-bucket/prefix".into()),
            ..args.clone()
        };
        let config = flagged.resolve().expect("resolves");
        assert_eq!(config.index, IndexLocation::Postgres("postgresql://other@db2/flag".into()));
        assert!(matches!(&config.store, StoreLocation::S3(s3) if s3.bucket == "flag-bucket" && s3.prefix == "prefix/"));
        let bad = ServeArgs { index: Some("sqlite:/tmp/x".into()), ..args.clone() };
        assert!(matches!(bad.resolve(), Err(ConfigError::IndexUrl { .. })));
        let bad = ServeArgs { store: Some("file:///tmp".into()), ..args.clone() };
        assert!(matches!(bad.resolve(), Err(ConfigError::StoreUrl { .. })));
        let defaults = ServeArgs { api_keys: vec!["a=b-0123456789abcdef".into()], ..Default::default() };
        let config = defaults.resolve().expect("resolves");
        assert_eq!((config.index, config.store), (IndexLocation::Embedded, StoreLocation::Embedded));
    }

    #[test]
    fn the_command_line_parses() {
        let cli = Cli::try_parse_from(["reprise", "serve", "--listen", "8080", "--api-key", "a=b", "--api-key", "c=d"])
            .expect("parses");
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        assert_eq!(args.api_keys, ["a=b", "c=d"]);
        assert_eq!(args.listen.map(|a| a.to_string()).as_deref(), Some("127.0.0.1:8080"));
        assert!(Cli::try_parse_from(["reprise", "serve", "--listen", "example.com:80"]).is_err());
        let cli = Cli::try_parse_from(["reprise", "inspect", "--data", "d"]).expect("parses");
        assert!(matches!(cli.command, Command::Inspect(_)));
        assert!(Cli::try_parse_from(["reprise", "serve", "--max-body", "lots"]).is_err());
        let cli = Cli::try_parse_from(["reprise", "serve", "--max-connections", "64", "--header-timeout-secs", "3"]).expect("parses");
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        let limits = args.limits.apply(Limits::default());
        assert_eq!((limits.max_connections, limits.header_timeout.as_secs()), (64, 3));
    }
}
