//! What can stop the scripted session, each said plainly.

use std::fmt;

use reprise_core::{DecodeError, RecorderError, ReplayError};
use reprise_fixtures::ParseError;
use reprise_fixtures::scenario::ScenarioError;

/// Why the example could not run.
pub enum AppError {
    /// Bad command-line arguments.
    Usage(String),
    /// A fixture could not be read or parsed.
    Fixture(ParseError),
    /// The scenario could not be built from the fixtures.
    Scenario(ScenarioError),
    /// The recorder refused something.
    Recorder(RecorderError),
    /// A sealed segment did not decode.
    Decode(DecodeError),
    /// The decoded records did not replay.
    Replay(String),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Usage(msg) => write!(f, "{msg}\nusage: scripted-session [--fixtures DIR]"),
            AppError::Fixture(e) => write!(f, "fixture: {e} (pass --fixtures DIR pointing at tests/data)"),
            AppError::Scenario(ScenarioError::Parse(e)) => write!(f, "fixture: {e} (pass --fixtures DIR pointing at tests/data)"),
            AppError::Scenario(e) => write!(f, "scenario: {e}"),
            AppError::Recorder(e) => write!(f, "recorder: {e}"),
            AppError::Decode(e) => write!(f, "decoding a segment: {e}"),
            AppError::Replay(msg) => write!(f, "replay: {msg}"),
        }
    }
}

/// `main` returning `Err` prints the `Debug` form: make it the readable message.
impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for AppError {}

impl From<ParseError> for AppError {
    fn from(e: ParseError) -> Self {
        AppError::Fixture(e)
    }
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> Self {
        AppError::Scenario(e)
    }
}

impl From<RecorderError> for AppError {
    fn from(e: RecorderError) -> Self {
        AppError::Recorder(e)
    }
}

impl From<DecodeError> for AppError {
    fn from(e: DecodeError) -> Self {
        AppError::Decode(e)
    }
}

impl From<ReplayError> for AppError {
    fn from(e: ReplayError) -> Self {
        AppError::Replay(e.to_string())
    }
}
