//! `reprise preview TREE.json --out preview.png`: a view tree drawn exactly as it would be stored,
//! so an app team can check its masking in its own CI. The tree (the core's `ViewTree` as JSON,
//! what the Kotlin and Swift layers export for a screen) goes through the real path: capture with
//! the privacy rules, the session writer, a sealed and decoded segment, then the player's drawing.
//! Nothing else sees the tree's text: what the picture shows is what a collector would hold.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use reprise_core::stats::Counters;
use reprise_core::{
    DecodeLimits, MaskMode, PrivacyRules, RecorderConfig, SessionId, SessionMetadata, SessionStart, SessionWriter, Snapshot,
    SnapshotError, ViewTree,
};
use thiserror::Error;

use crate::error::RenderError;
use crate::render;
use crate::replay::Timeline;

/// When the previewed snapshot is taken, Unix ms (any fixed moment: the picture does not depend on it).
const PREVIEW_MS: i64 = 1_700_000_000_000;

/// The privacy mode to preview, as the SDKs' `MaskMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewMask {
    /// Mask all text (the SDKs' default).
    All,
    /// Mask inputs only.
    Inputs,
    /// Mask nothing but passwords and views marked to mask.
    None,
}

/// Flags of `reprise preview`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Example:\n  reprise preview checkout-screen.json --density 2.75 --out preview.png")]
pub struct PreviewArgs {
    /// The view tree: the core's `ViewTree` as JSON (what the SDKs' `exportTree` writes).
    #[arg(value_name = "TREE.json")]
    pub tree: PathBuf,
    /// Where to write the PNG.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Pixels per dp (point) of the device the tree comes from.
    #[arg(long, value_name = "D", default_value_t = 1.0)]
    pub density: f32,
    /// What to mask, as the SDK is configured.
    #[arg(long, value_enum, default_value_t = PreviewMask::All)]
    pub mask: PreviewMask,
    /// Show images instead of placeholders (the SDKs' `allowImages`).
    #[arg(long)]
    pub allow_images: bool,
    /// Pixels of the PNG per dp.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub scale: f32,
}

/// Why a preview could not be made.
#[derive(Debug, Error)]
pub enum PreviewError {
    /// The tree file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a view tree.
    #[error("{path} is not a view tree (the core's ViewTree as JSON): {reason}")]
    NotATree {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        reason: String,
    },
    /// The tree's structure cannot be recorded (the SDK would refuse it the same way).
    #[error("the tree cannot be recorded: {0}")]
    Tree(#[from] SnapshotError),
    /// `--density` is not a usable density.
    #[error("--density must be a positive number of pixels per dp, got {0}")]
    Density(f32),
    /// Sealing or decoding the segment, or drawing it, failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The recorder produced no segment (an internal error).
    #[error("the writer sealed no segment")]
    NoSegment,
}

impl PreviewArgs {
    /// The privacy rules the flags name.
    pub fn rules(&self) -> PrivacyRules {
        let mode = match self.mask {
            PreviewMask::All => MaskMode::MaskAll,
            PreviewMask::Inputs => MaskMode::MaskInputs,
            PreviewMask::None => MaskMode::Allow,
        };
        PrivacyRules { mode, allow_images: self.allow_images }
    }

    /// Makes the PNG; its bytes.
    pub fn render(&self) -> Result<Vec<u8>, PreviewError> {
        if !(self.density.is_finite() && self.density > 0.0) {
            return Err(PreviewError::Density(self.density));
        }
        let bytes = std::fs::read(&self.tree).map_err(|source| PreviewError::Read { path: self.tree.clone(), source })?;
        let tree: ViewTree =
            serde_json::from_slice(&bytes).map_err(|e| PreviewError::NotATree { path: self.tree.clone(), reason: e.to_string() })?;
        preview_png(tree, self.density, self.rules(), self.scale)
    }
}

/// `tree` drawn as a collector would hold it, recorded at `density` under `rules`, at `scale`
/// pixels per dp: the PNG's bytes.
pub fn preview_png(tree: ViewTree, density: f32, rules: PrivacyRules, scale: f32) -> Result<Vec<u8>, PreviewError> {
    let root = tree.nodes.first().map(|n| n.bounds).unwrap_or_default();
    let config = RecorderConfig { privacy: rules, ..RecorderConfig::default() };
    let metadata = SessionMetadata {
        density,
        screen_width_px: root.width.max(0.0) as u32,
        screen_height_px: root.height.max(0.0) as u32,
        ..SessionMetadata::default()
    };
    let start = SessionStart { id: SessionId::new_v7(PREVIEW_MS), started_ms: PREVIEW_MS, metadata, user: Default::default() };
    let snapshot = Snapshot::capture(tree, density, &config.privacy, &config.capture_limits())?;
    let mut writer = SessionWriter::new(config, start, Arc::new(Counters::default()))
        .map_err(|e| RenderError::Encode(format!("the session writer did not start: {e}")))?;
    writer.snapshot(PREVIEW_MS, snapshot);
    writer.seal();
    let segment = writer.take_sealed().into_iter().next().ok_or(PreviewError::NoSegment)?;
    let decoded = reprise_core::decode(&segment.bytes, DecodeLimits::default())
        .map_err(|e| RenderError::Encode(format!("the sealed segment did not decode: {e}")))?;
    let timeline = Timeline::from_records(segment.header.id().session, [(0, Ok(decoded))]);
    Ok(render::render_png(&timeline, PREVIEW_MS, scale)?)
}

/// Runs `reprise preview`.
pub fn run(args: &PreviewArgs) -> ExitCode {
    match args.render().and_then(|png| {
        std::fs::write(&args.out, &png)
            .map_err(|source| PreviewError::Render(RenderError::Write { path: args.out.clone(), source }))
            .map(|()| png.len())
    }) {
        Ok(bytes) => {
            println!("reprise preview: wrote {} ({bytes} bytes), as stored under mask {:?}", args.out.display(), args.mask);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reprise preview: {e}");
            ExitCode::from(if matches!(e, PreviewError::Density(_) | PreviewError::Render(RenderError::Scale { .. })) { 2 } else { 1 })
        }
    }
}
