//! Why a fixture could not be read or turned into a view tree.

use std::path::PathBuf;

use thiserror::Error;

/// A fixture file that could not be read, or whose content is not what its parser expects.
///
/// Parsers never panic on bad input: every problem is one of these, naming where it was found.
#[derive(Debug, Error)]
pub enum ParseError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A JavaScript file holds no JSON array or object literal.
    #[error("no JSON literal (from the first '[' or '{{' to the last ']' or '}}') in the JavaScript source")]
    NoJsonLiteral,
    /// A required field is absent, or has the wrong type.
    #[error("field `{field}` of the node at {at} is missing or not {expected}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What was expected ("a string", "an array of 4 numbers").
        expected: &'static str,
        /// Where the node is: a path of child indices from the root (`root/2/0`), or a list index.
        at: String,
    },
    /// The tree nests deeper than the parser follows.
    #[error("the tree is deeper than {limit} levels at {at}")]
    TooDeep {
        /// The deepest level the parser follows.
        limit: usize,
        /// Where the limit was reached.
        at: String,
    },
    /// Nothing to record: the root is absent, null or gone, or the list is empty.
    #[error("the fixture holds no visible root node")]
    NoRoot,
}
