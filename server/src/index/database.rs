//! What the index needs of a SQL engine ([`Database`]): run a statement, read rows, and run one
//! guarded transaction. The index's statements are written once, in SQL that SQLite and
//! PostgreSQL both take, with `?N` placeholders; each engine binds [`Value`]s and hands rows
//! back as [`Row`]s of the same values, so every query and the per-segment transaction are the
//! same text on both.

use std::borrow::Cow;

use crate::error::IndexError;

/// A parameter or a column value: the index stores integers and text only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An integer (SQLite INTEGER, PostgreSQL BIGINT; booleans read as 0 or 1).
    Int(i64),
    /// Text.
    Text(String),
    /// SQL NULL (in results only).
    Null,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

/// One SQL statement with its parameters, `?1` to `?N` in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    /// The SQL; a `'static` text may be kept prepared by the engine.
    pub sql: Cow<'static, str>,
    /// The value of `?1`, `?2`, ...
    pub params: Vec<Value>,
}

impl Stmt {
    /// A statement of fixed text.
    pub fn new(sql: &'static str, params: Vec<Value>) -> Self {
        Self { sql: Cow::Borrowed(sql), params }
    }

    /// A statement built at run time (never kept prepared).
    pub fn built(sql: String, params: Vec<Value>) -> Self {
        Self { sql: Cow::Owned(sql), params }
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, IndexError> {
        self.0.get(i).ok_or(IndexError::Column { index: i, expected: "a column" })
    }

    /// Column `i` as an integer.
    pub fn int(&self, i: usize) -> Result<i64, IndexError> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            _ => Err(IndexError::Column { index: i, expected: "an integer" }),
        }
    }

    /// Column `i` as an integer or NULL.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, IndexError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    /// Column `i` as text.
    pub fn text(&self, i: usize) -> Result<String, IndexError> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            _ => Err(IndexError::Column { index: i, expected: "text" }),
        }
    }

    /// Column `i` as text or NULL.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, IndexError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
}

/// Where the two engines' SQL differs in what the index asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Dialect {
    /// SQL that is true when the text `needle` occurs in `haystack`, literally (no wildcards).
    pub fn contains(self, haystack: &str, needle: &str) -> String {
        match self {
            Dialect::Sqlite => format!("instr({haystack}, {needle}) > 0"),
            Dialect::Postgres => format!("strpos({haystack}, {needle}) > 0"),
        }
    }
}

/// A SQL engine holding the index's tables (migrated when it was opened). Every method blocks
/// and may be called from any thread, also one that runs an async executor.
pub trait Database: Send + Sync + 'static {
    /// Which SQL it speaks where the two differ.
    fn dialect(&self) -> Dialect;

    /// Runs a statement; how many rows it changed.
    fn execute(&self, stmt: Stmt) -> Result<u64, IndexError>;

    /// Runs a query; its rows.
    fn query(&self, stmt: Stmt) -> Result<Vec<Row>, IndexError>;

    /// In one transaction: runs `guard`, and when it changed a row, runs `then` in order and
    /// commits; when it changed nothing, changes nothing. Returns whether `guard` changed a row.
    fn guarded(&self, guard: Stmt, then: Vec<Stmt>) -> Result<bool, IndexError>;

    /// Where it is, for messages (never a password).
    fn describe(&self) -> String;
}
