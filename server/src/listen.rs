//! Addresses as people write them: `8080`, `:8080`, `localhost:8080`, `127.0.0.1:8080`,
//! `[::1]:8080`, `0.0.0.0:8080`. A bare port (or `:port`) and `localhost` mean loopback; any other
//! host must be an IP address (the collector resolves no names).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use thiserror::Error;

/// An address that cannot be listened on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{given:?} is not an address to listen on: {reason} (write 8080, :8080, localhost:8080, 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8080)")]
pub struct ListenError {
    /// What was given.
    pub given: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Parses an address to listen on.
pub fn parse_listen(text: &str) -> Result<SocketAddr, ListenError> {
    let given = text.trim();
    let error = |reason| ListenError { given: text.to_owned(), reason };
    let loopback = |port: &str| -> Result<SocketAddr, ListenError> {
        let port: u16 = port.parse().map_err(|_| error("the port must be a number from 0 to 65535"))?;
        Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))
    };
    if given.is_empty() {
        return Err(error("it is empty"));
    }
    if given.bytes().all(|b| b.is_ascii_digit()) {
        return loopback(given);
    }
    if let Some(port) = given.strip_prefix(':') {
        return loopback(port);
    }
    if let Some(port) = given.strip_prefix("localhost:") {
        return loopback(port);
    }
    given.parse().map_err(|_| {
        if given.contains(':') { error("the host must be an IP address or localhost") } else { error("it has no port") }
    })
}

/// Whether other machines can reach an address (it is not loopback).
pub fn is_exposed(addr: SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_as_people_write_them() {
        let ok = |s: &str| parse_listen(s).unwrap_or_else(|e| panic!("{e}")).to_string();
        assert_eq!(ok("8080"), "127.0.0.1:8080");
        assert_eq!(ok(":8080"), "127.0.0.1:8080");
        assert_eq!(ok("localhost:8080"), "127.0.0.1:8080");
        assert_eq!(ok("127.0.0.1:0"), "127.0.0.1:0");
        assert_eq!(ok("[::1]:8080"), "[::1]:8080");
        assert_eq!(ok("0.0.0.0:8080"), "0.0.0.0:8080");
        assert!(is_exposed(parse_listen("0.0.0.0:8080").expect("parses")));
        assert!(!is_exposed(parse_listen("8080").expect("parses")));
        for bad in ["", "http", "example.com:80", "99999", ":x", "localhost", "1.2.3.4"] {
            let e = parse_listen(bad).expect_err(bad);
            assert!(e.to_string().contains("localhost:8080"), "{e}");
        }
    }
}
