//! A loopback HTTP/1.1 proxy in front of the real collector that injects faults: it reads each
//! request whole, then forwards it, or answers with an error status, or waits first, or resets the
//! connection, as its current [`Fault`] says. It counts what it saw.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward to the collector.
    Pass,
    /// Answer with this status, without forwarding.
    Status(u16),
    /// Answer 429 with `Retry-After: seconds`.
    TooMany { retry_after_s: u64 },
    /// Wait this long, then forward.
    Slow(Duration),
    /// Read the request, then reset the connection without answering.
    Reset,
}

/// The proxy's shared state.
#[derive(Debug)]
pub struct Proxy {
    pub addr: SocketAddr,
    fault: Mutex<Fault>,
    /// Requests seen, and when each arrived.
    pub arrivals: Mutex<Vec<Instant>>,
    /// Requests forwarded to the collector.
    pub forwarded: AtomicU64,
}

impl Proxy {
    /// Starts a proxy to `upstream` on the current tokio runtime.
    pub async fn start(upstream: SocketAddr) -> Arc<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let proxy = Arc::new(Proxy {
            addr: listener.local_addr().expect("addr"),
            fault: Mutex::new(Fault::Pass),
            arrivals: Mutex::new(Vec::new()),
            forwarded: AtomicU64::new(0),
        });
        let shared = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let proxy = shared.clone();
                tokio::spawn(async move { proxy.serve(client, upstream).await });
            }
        });
        proxy
    }

    /// Sets what happens to the next requests.
    pub fn set(&self, fault: Fault) {
        *self.fault.lock().expect("fault") = fault;
    }

    /// Number of requests seen.
    pub fn requests(&self) -> usize {
        self.arrivals.lock().expect("arrivals").len()
    }

    async fn serve(&self, mut client: TcpStream, upstream: SocketAddr) {
        let mut buffer = Vec::new();
        loop {
            let Some(request) = read_message(&mut client, &mut buffer).await else { return };
            self.arrivals.lock().expect("arrivals").push(Instant::now());
            let fault = *self.fault.lock().expect("fault");
            let response = match fault {
                Fault::Pass => self.forward(&request, upstream).await,
                Fault::Slow(delay) => {
                    tokio::time::sleep(delay).await;
                    self.forward(&request, upstream).await
                }
                Fault::Status(status) => Some(status_response(status, None)),
                Fault::TooMany { retry_after_s } => Some(status_response(429, Some(retry_after_s))),
                Fault::Reset => None,
            };
            match response {
                Some(bytes) => {
                    if client.write_all(&bytes).await.is_err() {
                        return;
                    }
                }
                None => {
                    // SO_LINGER 0 makes the close a reset. (Deprecated because a non-zero linger
                    // blocks on drop; zero does not.)
                    #[allow(deprecated)]
                    let _ = client.set_linger(Some(Duration::ZERO));
                    return;
                }
            }
        }
    }

    async fn forward(&self, request: &[u8], upstream: SocketAddr) -> Option<Vec<u8>> {
        let mut server = TcpStream::connect(upstream).await.ok()?;
        server.write_all(request).await.ok()?;
        let response = read_message(&mut server, &mut Vec::new()).await?;
        self.forwarded.fetch_add(1, Ordering::SeqCst);
        Some(response)
    }
}

fn status_response(status: u16, retry_after_s: Option<u64>) -> Vec<u8> {
    let body = format!("{{\"error\":\"injected\",\"reason\":\"fault injected by the test proxy: {status}\"}}");
    let retry = retry_after_s.map(|s| format!("Retry-After: {s}\r\n")).unwrap_or_default();
    format!(
        "HTTP/1.1 {status} Injected\r\nContent-Type: application/json\r\n{retry}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one HTTP/1.1 message (headers and a Content-Length body) from `stream`, keeping any
/// bytes after it in `buffer` for the next call. `None` at end of stream or on a malformed message.
async fn read_message(stream: &mut (impl AsyncRead + Unpin), buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let headers = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let length: usize = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let rest = buffer.split_off(header_end + length);
    Some(std::mem::replace(buffer, rest))
}
