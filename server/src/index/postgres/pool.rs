//! A fixed pool of connections, each owned by a thread of its own. The `postgres` crate is
//! synchronous but drives each connection on a private Tokio runtime, so its calls must not be
//! made from a thread that runs an async executor (the collector's handlers and tests do); a
//! job sent to a pool thread is run there, and the caller waits for the answer on a channel,
//! from any thread, as it would wait for SQLite's mutex.
//!
//! A thread connects when it first needs to and again after its connection closed; a job that
//! fails because the connection dropped is run once more on a new one ([`ATTEMPTS`]), which is
//! safe because every write of the index is idempotent.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};

use super::schema;
use crate::error::IndexError;
use crate::index::database::{Row, Stmt, Value};

/// How many times a job is tried when its connection drops under it.
pub const ATTEMPTS: usize = 2;

/// What a pool thread is asked to do.
#[derive(Debug)]
pub enum Work {
    /// Run the migrations.
    Migrate,
    /// Run a statement, answering how many rows changed.
    Execute(Stmt),
    /// Run a query, answering its rows.
    Query(Stmt),
    /// Run a guarded transaction ([`crate::index::database::Database::guarded`]).
    Guarded(Stmt, Vec<Stmt>),
}

/// What a pool thread answers.
#[derive(Debug)]
pub enum Answer {
    /// Rows changed (or 0 for a migration).
    Changed(u64),
    /// Rows read.
    Rows(Vec<Row>),
}

struct Job {
    work: Work,
    reply: SyncSender<Result<Answer, IndexError>>,
}

/// The pool: a queue of jobs and the threads that take them.
pub struct Pool {
    jobs: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts `size` threads that connect with `config` when they first get a job.
    pub fn start(config: Config, size: usize) -> Result<Self, IndexError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let mut threads = Vec::with_capacity(size);
        for n in 0..size.max(1) {
            let (config, queue) = (config.clone(), queue.clone());
            let thread = std::thread::Builder::new()
                .name(format!("reprise-postgres-{n}"))
                .spawn(move || Worker { config, client: None, prepared: HashMap::new() }.run(&queue))
                .map_err(IndexError::Thread)?;
            threads.push(thread);
        }
        Ok(Self { jobs: Some(jobs), threads })
    }

    /// Runs `work` on a pool thread and waits for its answer (blocking, from any thread).
    pub fn run(&self, work: Work) -> Result<Answer, IndexError> {
        let (reply, answer) = sync_channel(1);
        let jobs = self.jobs.as_ref().ok_or(IndexError::Closed)?;
        jobs.send(Job { work, reply }).map_err(|_| IndexError::Closed)?;
        answer.recv().map_err(|_| IndexError::Closed)?
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing the queue ends each thread after its current job; each closes its connection.
        self.jobs = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// One pool thread's connection and its prepared statements.
struct Worker {
    config: Config,
    client: Option<Client>,
    /// Statements of fixed text, prepared once per connection.
    prepared: HashMap<&'static str, Statement>,
}

impl Worker {
    fn run(mut self, queue: &Mutex<Receiver<Job>>) {
        loop {
            let job = match queue.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => return,
            };
            let Ok(job) = job else { return };
            let _ = job.reply.send(self.attempt(&job.work));
        }
    }

    /// Does `work`, on a new connection once more if the connection dropped under it.
    fn attempt(&mut self, work: &Work) -> Result<Answer, IndexError> {
        let mut tries = 0;
        loop {
            tries += 1;
            let result = self.connected().and_then(|worker| worker.perform(work));
            let lost = result.as_ref().err().is_some_and(connection_lost) || self.client.as_ref().is_none_or(Client::is_closed);
            match result {
                Err(e) if lost => {
                    self.client = None;
                    if tries >= ATTEMPTS {
                        return Err(e);
                    }
                    eprintln!("reprise: PostgreSQL connection lost ({e}); reconnecting");
                }
                result => return result,
            }
        }
    }

    fn connected(&mut self) -> Result<&mut Self, IndexError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            self.prepared.clear();
            self.client = Some(connect(&self.config)?);
        }
        Ok(self)
    }

    fn perform(&mut self, work: &Work) -> Result<Answer, IndexError> {
        match work {
            Work::Migrate => {
                schema::migrate(self.client()?)?;
                Ok(Answer::Changed(0))
            }
            Work::Execute(stmt) => {
                let prepared = self.prepare(stmt)?;
                let params = bind(&stmt.params);
                Ok(Answer::Changed(self.client()?.execute(&prepared, &refs(&params))?))
            }
            Work::Query(stmt) => {
                let prepared = self.prepare(stmt)?;
                let params = bind(&stmt.params);
                let rows = self.client()?.query(&prepared, &refs(&params))?;
                Ok(Answer::Rows(rows.iter().map(read_row).collect::<Result<_, _>>()?))
            }
            Work::Guarded(guard, then) => {
                let mut prepared = Vec::with_capacity(then.len() + 1);
                for stmt in std::iter::once(guard).chain(then) {
                    prepared.push(self.prepare(stmt)?);
                }
                let mut tx = self.client()?.transaction()?;
                let params = bind(&guard.params);
                if tx.execute(&prepared[0], &refs(&params))? == 0 {
                    return Ok(Answer::Changed(0));
                }
                for (stmt, prepared) in then.iter().zip(&prepared[1..]) {
                    let params = bind(&stmt.params);
                    tx.execute(prepared, &refs(&params))?;
                }
                tx.commit()?;
                Ok(Answer::Changed(1))
            }
        }
    }

    fn client(&mut self) -> Result<&mut Client, IndexError> {
        self.client.as_mut().ok_or(IndexError::Closed)
    }

    /// The statement prepared: kept when its text is fixed, prepared each time when built.
    fn prepare(&mut self, stmt: &Stmt) -> Result<Statement, IndexError> {
        match &stmt.sql {
            Cow::Borrowed(text) => {
                if let Some(prepared) = self.prepared.get(text) {
                    return Ok(prepared.clone());
                }
                let prepared = self.client()?.prepare(&placeholders(text))?;
                self.prepared.insert(text, prepared.clone());
                Ok(prepared)
            }
            Cow::Owned(text) => Ok(self.client()?.prepare(&placeholders(text))?),
        }
    }
}

/// Whether an error means the connection is gone: closed under the driver, or ended by the
/// server (a FATAL error: an administrator's or a shutdown's termination).
fn connection_lost(error: &IndexError) -> bool {
    match error {
        IndexError::Postgres(e) => e.is_closed() || e.as_db_error().is_some_and(|db| db.severity() == "FATAL"),
        IndexError::Connect(_) | IndexError::ConnectTimeout(_) => true,
        _ => false,
    }
}

/// Connects within the config's connect timeout, the startup handshake included: the driver
/// bounds only the TCP connect, and a server that accepts but never answers would hold the
/// caller forever. The attempt runs on a thread of its own, which is left to end by itself when
/// the time is up.
fn connect(config: &Config) -> Result<Client, IndexError> {
    let timeout = config.get_connect_timeout().copied().unwrap_or(super::CONNECT_TIMEOUT);
    let (done, result) = sync_channel(1);
    let config = config.clone();
    std::thread::Builder::new()
        .name("reprise-postgres-connect".into())
        .spawn(move || {
            let _ = done.send(config.connect(NoTls));
        })
        .map_err(IndexError::Thread)?;
    match result.recv_timeout(timeout) {
        Ok(connected) => connected.map_err(IndexError::Connect),
        Err(_) => Err(IndexError::ConnectTimeout(timeout)),
    }
}

/// The index's `?N` placeholders as PostgreSQL's `$N` (the index's SQL has no other `?`).
pub fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn bind(params: &[Value]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|value| -> Box<dyn ToSql + Sync> {
            match value {
                Value::Int(v) => Box::new(*v),
                Value::Text(v) => Box::new(v.clone()),
                Value::Null => Box::new(None::<String>),
            }
        })
        .collect()
}

fn refs(params: &[Box<dyn ToSql + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref()).collect()
}

fn read_row(row: &postgres::Row) -> Result<Row, IndexError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map(|v| Value::Int(v.into()))
        } else if [Type::TEXT, Type::VARCHAR, Type::NAME, Type::BPCHAR].contains(ty) {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else {
            return Err(IndexError::Column { index: i, expected: "an integer or text" });
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}
