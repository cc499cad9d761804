//! `reprise render`: a GIF of a whole session, or a PNG of one moment, as the player draws it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use reprise_core::SessionId;

use super::backend::open_store;
use crate::error::RenderError;
use crate::render::{self, GifOptions};

/// Flags of `reprise render`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Example:\n  reprise render 0193f1c2-... --data reprise-demo --at 12.5 --scale 2 --out frame.png")]
pub struct RenderArgs {
    /// The session (UUID).
    #[arg(value_name = "SESSION")]
    pub session: String,
    /// The collector's data folder (what `reprise serve --data` was given), or a folder holding
    /// one, as `reprise-demo`'s output does.
    #[arg(long, value_name = "DIR", default_value = crate::config::DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    /// A shared segment store (s3://BUCKET?endpoint=...), as `reprise serve --store` takes it,
    /// to read instead of the data folder's (credentials from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY).
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// Where to write: a .gif of the whole session, or with --at a .png of one moment.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The moment to draw, in seconds from the session's first record (writes a PNG).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
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
        let store = open_store(&self.data, self.store.as_deref()).map_err(|e| RenderError::Store(e.to_string()))?;
        let timeline = render::load_session(store.as_ref(), session)?;
        let bytes = match self.at {
            Some(seconds) => render::render_png(&timeline, render::time_at(&timeline, seconds)?, self.scale)?,
            None => render::render_gif(&timeline, &GifOptions { scale: self.scale, fps: self.fps, ..GifOptions::default() })?,
        };
        std::fs::write(&self.out, &bytes).map_err(|source| RenderError::Write { path: self.out.clone(), source })?;
        Ok(bytes.len())
    }
}

/// Runs `reprise render`.
pub fn run(args: &RenderArgs) -> ExitCode {
    match args.run() {
        Ok(bytes) => {
            println!("reprise render: wrote {} ({bytes} bytes)", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reprise render: {e}");
            ExitCode::from(if matches!(e, RenderError::Usage(_) | RenderError::Scale { .. }) { 2 } else { 1 })
        }
    }
}
