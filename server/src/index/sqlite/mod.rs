//! The embedded engine: one SQLite file (`<data>/index.sqlite`, WAL mode). One writer connection
//! sits behind a mutex; reads use their own connection, so a long list never waits for a write.

pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};

use super::database::{Database, Dialect, Row, Stmt, Value};
use crate::error::IndexError;

/// The index's file in the data directory: the collector's default index.
pub const FILE_NAME: &str = "index.sqlite";

/// The SQLite engine of the index.
#[derive(Debug)]
pub struct SqliteDb {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

impl SqliteDb {
    /// Opens (creating if needed) the index file at `path`, running the migrations it lacks.
    pub fn open(path: &Path) -> Result<Self, IndexError> {
        let open_err = |source| IndexError::Open { path: path.to_owned(), source };
        let mut writer = Connection::open(path).map_err(open_err)?;
        writer
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
            .map_err(open_err)?;
        schema::migrate(&mut writer).map_err(open_err)?;
        let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(open_err)?;
        reader.execute_batch("PRAGMA busy_timeout = 5000;").map_err(open_err)?;
        Ok(Self { path: path.to_owned(), writer: Mutex::new(writer), reader: Mutex::new(reader) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

fn execute(conn: &Connection, stmt: &Stmt) -> Result<u64, IndexError> {
    let mut prepared = conn.prepare_cached(&stmt.sql)?;
    Ok(prepared.execute(rusqlite::params_from_iter(stmt.params.iter()))? as u64)
}

impl Database for SqliteDb {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, stmt: Stmt) -> Result<u64, IndexError> {
        let conn = lock(&self.writer)?;
        execute(&conn, &stmt)
    }

    fn query(&self, stmt: Stmt) -> Result<Vec<Row>, IndexError> {
        let conn = lock(&self.reader)?;
        let mut prepared = conn.prepare_cached(&stmt.sql)?;
        let columns = prepared.column_count();
        let mut rows = prepared.query(rusqlite::params_from_iter(stmt.params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let values = (0..columns).map(|i| read_value(row.get_ref(i)?, i)).collect::<Result<_, IndexError>>()?;
            out.push(Row(values));
        }
        Ok(out)
    }

    fn guarded(&self, guard: Stmt, then: Vec<Stmt>) -> Result<bool, IndexError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction()?;
        if execute(&tx, &guard)? == 0 {
            return Ok(false);
        }
        for stmt in &then {
            execute(&tx, stmt)?;
        }
        tx.commit()?;
        Ok(true)
    }

    fn describe(&self) -> String {
        format!("SQLite {}", self.path.display())
    }
}

fn read_value(value: ValueRef<'_>, index: usize) -> Result<Value, IndexError> {
    match value {
        ValueRef::Null => Ok(Value::Null),
        ValueRef::Integer(v) => Ok(Value::Int(v)),
        ValueRef::Text(bytes) => Ok(Value::Text(String::from_utf8_lossy(bytes).into_owned())),
        ValueRef::Real(_) | ValueRef::Blob(_) => Err(IndexError::Column { index, expected: "an integer or text" }),
    }
}

fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, IndexError> {
    conn.lock().map_err(|_| IndexError::Poisoned)
}
