//! Accepting connections before any key is checked: at most `max_connections` open at once (the
//! rest wait in the kernel's listen backlog, nothing is read from them), each served by hyper's
//! HTTP/1 with a header-read timeout (in hyper 1.x it also runs while a kept-alive connection
//! waits for its next request, so an idle connection is closed after the same time) and a read
//! buffer sized to the header limit; and a graceful shutdown that lets requests in progress end.
//!
//! hyper-util's connection builder is used instead of `axum::serve`, which has none of these
//! knobs. The loop itself is the one `axum::serve` runs, with a permit around each connection.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};

/// How connections are accepted and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time to receive a request's headers, and to wait for the next request on an idle one.
    pub header_timeout: Duration,
    /// Largest read buffer of one connection.
    pub buffer_bytes: usize,
}

/// Files kept free for the store, the index and the process itself when the connection cap is
/// fitted to the open-file limit.
pub const RESERVED_FILES: u64 = 256;

/// Raises the open-file limit to its hard maximum where the OS allows (as Go's runtime does for
/// every server) and returns the number of connections that then fit: `wanted`, or fewer when
/// the limit is lower, never fewer than 2.
pub fn fit_connections(wanted: usize) -> usize {
    let limit = raise_open_file_limit();
    let room = usize::try_from(limit.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    wanted.min(room).max(2)
}

#[cfg(unix)]
fn raise_open_file_limit() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024)
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> u64 {
    u64::MAX
}

/// Serves `app` on `listener` until `stop` fires, then waits for open connections to finish.
pub async fn serve(listener: TcpListener, app: Router, limits: ConnectionLimits, stop: oneshot::Receiver<()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.buffer_bytes)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = &mut stop => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors or memory, or a connection reset before it was
                    // accepted: wait a little instead of spinning, and go on.
                    if !matches!(e.kind(), std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset) {
                        eprintln!("reprise: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
