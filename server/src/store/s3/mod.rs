//! [`S3Store`]: segments as objects in an S3-compatible bucket (AWS S3, R2, MinIO, SeaweedFS),
//! which several collectors share.
//!
//! A put is a `PUT` with `If-None-Match: *`: the store itself refuses the second writer of a key
//! with 412, which is [`PutOutcome::Duplicate`]; a get is a `GET`, a listing a `ListObjectsV2`
//! on the session's prefix, page after page by continuation token, and a delete a `DELETE`.
//! Keys are `<prefix>segments/<session>/<sequence>.seg`, the directory store's layout.
//!
//! Requests are signed with SigV4 by `rusty-s3`, a sans-IO crate that signs URLs and parses
//! S3's XML and does nothing else, and sent by the `reqwest` the workspace already builds
//! ([`http`]). A full S3 SDK would bring its own HTTP stack, runtime glue, credential chain and
//! hundreds of thousands of lines for four calls; `rusty-s3` adds `hmac`, `sha2` and a small
//! XML parser.

pub mod config;
pub mod http;

use std::time::Duration;

use axum::body::Bytes;
use reprise_core::{SegmentId, SessionId};
use reqwest::{Method, StatusCode};
use rusty_s3::actions::ListObjectsV2;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

use super::{PutOutcome, SEGMENTS, SegmentStore, parse_file_name, segment_key, session_of_key, session_prefix};
use crate::error::{S3Error, StoreError};
pub use config::{S3Config, S3Credentials, S3Tuning};
use http::{Answer, Http, Request, status_error};

/// Keys of the objects a health check writes and removes, under the store's prefix.
const HEALTH_PREFIX: &str = "health/";

/// An S3-compatible bucket holding segments.
pub struct S3Store {
    bucket: Bucket,
    credentials: Option<Credentials>,
    prefix: String,
    tuning: S3Tuning,
    http: Http,
    description: String,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("S3Store").field(&self.description).finish()
    }
}

impl S3Store {
    /// A store over the configured bucket, checked to answer (a `HEAD` of the bucket).
    pub fn open(config: &S3Config) -> Result<Self, StoreError> {
        let store = Self::unchecked(config)?;
        let url = store.sign(store.bucket.head_bucket(store.credentials.as_ref()));
        let answer = store.call("check", "", Request { method: Method::HEAD, url, headers: Vec::new(), body: None })?;
        if !answer.status.is_success() {
            return Err(store.error("check", "", status_error(&answer)));
        }
        Ok(store)
    }

    /// A store over the configured bucket, without checking that it answers.
    pub fn unchecked(config: &S3Config) -> Result<Self, StoreError> {
        let fail = |source| StoreError::S3 { op: "open", key: config.describe(), source };
        let endpoint = url::Url::parse(&config.endpoint).map_err(|e| fail(S3Error::Client(e.to_string())))?;
        let style = if config.path_style { UrlStyle::Path } else { UrlStyle::VirtualHost };
        let bucket = Bucket::new(endpoint, style, config.bucket.clone(), config.region.clone())
            .map_err(|e| fail(S3Error::Client(e.to_string())))?;
        let credentials = config.credentials.as_ref().map(|c| match &c.token {
            Some(token) => Credentials::new_with_token(c.key.clone(), c.secret.clone(), token.clone()),
            None => Credentials::new(c.key.clone(), c.secret.clone()),
        });
        let http = Http::new(config.tuning).map_err(fail)?;
        Ok(Self { bucket, credentials, prefix: config.prefix.clone(), tuning: config.tuning, http, description: config.describe() })
    }

    /// Every object under the store's prefix, as (key without the prefix, size), in key order.
    pub fn objects(&self) -> Result<Vec<(String, u64)>, StoreError> {
        self.list("")
    }

    /// How long a signed URL stays valid: every try of a request and the waits between them.
    fn url_lifetime(&self) -> Duration {
        let per_try = self.tuning.request_timeout + self.tuning.connect_timeout + self.tuning.max_backoff;
        (per_try * self.tuning.attempts.max(1) + Duration::from_secs(60)).min(Duration::from_secs(7 * 24 * 3600))
    }

    fn sign<'a>(&self, action: impl S3Action<'a>) -> url::Url {
        action.sign(self.url_lifetime())
    }

    fn key(&self, relative: &str) -> String {
        format!("{}{relative}", self.prefix)
    }

    fn error(&self, op: &'static str, key: &str, source: S3Error) -> StoreError {
        StoreError::S3 { op, key: format!("{}/{}", self.bucket.name(), self.key(key)), source }
    }

    fn call(&self, op: &'static str, key: &str, request: Request) -> Result<Answer, StoreError> {
        self.http.call(request).map_err(|e| self.error(op, key, e))
    }

    fn request(&self, method: Method, url: url::Url) -> Request {
        Request { method, url, headers: Vec::new(), body: None }
    }

    /// `PUT` with `If-None-Match: *` of `bytes` at `relative`.
    fn put_new(&self, relative: &str, bytes: Bytes) -> Result<PutOutcome, StoreError> {
        let key = self.key(relative);
        let url = self.sign(self.bucket.put_object(self.credentials.as_ref(), &key));
        let request = Request { method: Method::PUT, url, headers: vec![("if-none-match", "*")], body: Some(bytes) };
        let answer = self.call("put", relative, request)?;
        match answer.status {
            s if s.is_success() => Ok(PutOutcome::Stored),
            StatusCode::PRECONDITION_FAILED => Ok(PutOutcome::Duplicate),
            _ => Err(self.error("put", relative, status_error(&answer))),
        }
    }

    fn delete_key(&self, relative: &str) -> Result<(), StoreError> {
        let url = self.sign(self.bucket.delete_object(self.credentials.as_ref(), &self.key(relative)));
        let answer = self.call("delete", relative, self.request(Method::DELETE, url))?;
        match answer.status {
            s if s.is_success() || s == StatusCode::NOT_FOUND => Ok(()),
            _ => Err(self.error("delete", relative, status_error(&answer))),
        }
    }

    /// The objects whose keys start with the prefix and `relative`, page after page.
    fn list(&self, relative: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let prefix = self.key(relative);
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(self.credentials.as_ref());
            action.with_prefix(prefix.as_str());
            action.with_max_keys(self.tuning.list_page);
            if let Some(token) = &token {
                action.with_continuation_token(token.as_str());
            }
            let url = self.sign(action);
            let answer = self.call("list", relative, self.request(Method::GET, url))?;
            if !answer.status.is_success() {
                return Err(self.error("list", relative, status_error(&answer)));
            }
            let text = String::from_utf8_lossy(&answer.body);
            let page = ListObjectsV2::parse_response(&text).map_err(|e| self.error("list", relative, S3Error::Listing(e.to_string())))?;
            for object in page.contents {
                if let Some(key) = object.key.strip_prefix(&self.prefix) {
                    out.push((key.to_owned(), object.size.unwrap_or(0)));
                }
            }
            match page.next_continuation_token {
                Some(next) if !next.is_empty() => token = Some(next),
                _ => break,
            }
        }
        out.sort();
        Ok(out)
    }
}

impl SegmentStore for S3Store {
    fn put_if_absent(&self, id: SegmentId, bytes: &[u8]) -> Result<PutOutcome, StoreError> {
        self.put_new(&segment_key(id), Bytes::copy_from_slice(bytes))
    }

    fn get(&self, id: SegmentId) -> Result<Option<Vec<u8>>, StoreError> {
        let relative = segment_key(id);
        let url = self.sign(self.bucket.get_object(self.credentials.as_ref(), &self.key(&relative)));
        let answer = self.call("get", &relative, self.request(Method::GET, url))?;
        match answer.status {
            s if s.is_success() => Ok(Some(answer.body.to_vec())),
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(self.error("get", &relative, status_error(&answer))),
        }
    }

    fn list_session(&self, session: SessionId) -> Result<Vec<SegmentId>, StoreError> {
        let prefix = session_prefix(session);
        let mut ids: Vec<SegmentId> = self
            .list(&prefix)?
            .into_iter()
            .filter_map(|(key, _)| key.strip_prefix(&prefix).and_then(parse_file_name))
            .map(|sequence| SegmentId { session, sequence })
            .collect();
        ids.sort();
        Ok(ids)
    }

    fn sessions(&self) -> Result<Vec<SessionId>, StoreError> {
        let mut sessions: Vec<SessionId> = self.list(&format!("{SEGMENTS}/"))?.iter().filter_map(|(key, _)| session_of_key(key)).collect();
        sessions.dedup();
        Ok(sessions)
    }

    fn contains(&self, id: SegmentId) -> Result<bool, StoreError> {
        let relative = segment_key(id);
        let url = self.sign(self.bucket.head_object(self.credentials.as_ref(), &self.key(&relative)));
        let answer = self.call("check", &relative, self.request(Method::HEAD, url))?;
        match answer.status {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => Err(self.error("check", &relative, status_error(&answer))),
        }
    }

    fn delete(&self, id: SegmentId) -> Result<bool, StoreError> {
        let existed = self.contains(id)?;
        self.delete_key(&segment_key(id))?;
        Ok(existed)
    }

    fn describe(&self) -> String {
        self.description.clone()
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        // A small object written and removed: the bucket takes writes with these credentials.
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| self.error("check", HEALTH_PREFIX, S3Error::Client(e.to_string())))?;
        let probe = format!("{HEALTH_PREFIX}{}.probe", nonce.iter().map(|b| format!("{b:02x}")).collect::<String>());
        self.put_new(&probe, Bytes::from_static(&[0u8; 64]))?;
        self.delete_key(&probe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn quick() -> S3Tuning {
        S3Tuning {
            attempts: 3,
            first_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(4),
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_millis(500),
            list_page: 2,
        }
    }

    fn config_for(endpoint: &str, tuning: S3Tuning) -> S3Config {
        let mut config = S3Config::parse_url(&format!("s3://bucket/p?endpoint={endpoint}")).expect("parses");
        config.tuning = tuning;
        config
    }

    /// A loopback HTTP service answering each request with the next status of `statuses` (the
    /// last one again when they run out), or never answering when `statuses` is empty; and how
    /// many requests it read.
    fn fake_service(statuses: Vec<u16>) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|r| r == 1) {
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let length = text.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = stream.read_exact(&mut body);
                let Some(status) = statuses.get(n).or(statuses.last()) else {
                    held.push(stream);
                    continue;
                };
                let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        (endpoint, seen)
    }

    fn id() -> SegmentId {
        SegmentId { session: SessionId::new_v7(1_700_000_000_000), sequence: 3 }
    }

    #[test]
    fn a_failing_service_is_tried_exactly_the_attempt_limit() {
        let (endpoint, seen) = fake_service(vec![503]);
        let store = S3Store::unchecked(&config_for(&endpoint, quick())).expect("store");
        let err = store.put_if_absent(id(), b"segment").expect_err("always 503");
        assert!(
            matches!(&err, StoreError::S3 { source: S3Error::Exhausted { attempts: 3, last }, .. } if matches!(**last, S3Error::Status { status: 503, .. })),
            "{err}"
        );
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        // A client error is not retried.
        let (endpoint, seen) = fake_service(vec![403]);
        let store = S3Store::unchecked(&config_for(&endpoint, quick())).expect("store");
        let err = store.get(id()).expect_err("403");
        assert!(matches!(&err, StoreError::S3 { source: S3Error::Status { status: 403, .. }, .. }), "{err}");
        assert_eq!(seen.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_server_error_then_an_answer_is_the_answer_and_412_is_a_duplicate() {
        let (endpoint, seen) = fake_service(vec![500, 429, 200, 412, 404, 404]);
        let store = S3Store::unchecked(&config_for(&endpoint, quick())).expect("store");
        assert_eq!(store.put_if_absent(id(), b"segment").expect("stored on the third try"), PutOutcome::Stored);
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        assert_eq!(store.put_if_absent(id(), b"segment").expect("412"), PutOutcome::Duplicate);
        assert_eq!(store.get(id()).expect("404"), None);
        assert!(!store.contains(id()).expect("404"));
    }

    #[test]
    fn a_silent_service_times_out_on_every_try() {
        let (endpoint, seen) = fake_service(Vec::new());
        let store = S3Store::unchecked(&config_for(&endpoint, quick())).expect("store");
        let err = store.get(id()).expect_err("no answer");
        assert!(
            matches!(&err, StoreError::S3 { source: S3Error::Exhausted { attempts: 3, last }, .. } if matches!(&**last, S3Error::Http(e) if e.is_timeout())),
            "{err}"
        );
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        // Nothing listens: a connection error, tried as often.
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
        drop(listener);
        let err = S3Store::open(&config_for(&endpoint, quick())).expect_err("unreachable");
        assert!(matches!(&err, StoreError::S3 { op: "check", source: S3Error::Exhausted { attempts: 3, .. }, .. }), "{err}");
    }

    /// The bucket `scripts/scale-backends.sh` made, under a prefix of this test's own.
    fn real_store(tuning: S3Tuning) -> S3Store {
        let url = std::env::var(config::TEST_BUCKET_ENV)
            .unwrap_or_else(|_| panic!("{} is not set: run scripts/scale-backends.sh", config::TEST_BUCKET_ENV));
        let mut config = S3Config::parse_url(&url).expect("test bucket URL");
        config.prefix = format!("unit-{}/", SessionId::new_v7(1_700_000_000_000));
        config.tuning = tuning;
        S3Store::open(&config).expect("the test bucket answers")
    }

    #[test]
    #[ignore = "needs SeaweedFS: scripts/scale-backends.sh"]
    fn put_get_list_delete_and_duplicates_on_a_real_bucket() {
        let store = real_store(S3Tuning { list_page: 2, ..S3Tuning::default() });
        let a = id();
        let ids: Vec<SegmentId> = (0..5).map(|sequence| SegmentId { sequence, ..a }).collect();
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(store.put_if_absent(*id, format!("segment {n}").as_bytes()).expect("put"), PutOutcome::Stored);
        }
        assert_eq!(store.put_if_absent(ids[1], b"other bytes").expect("put"), PutOutcome::Duplicate);
        assert_eq!(store.get(ids[1]).expect("get").as_deref(), Some(&b"segment 1"[..]), "the first copy stays");
        // Five keys in pages of two: the listing follows the continuation tokens.
        assert_eq!(store.list_session(a.session).expect("list"), ids);
        assert!(store.list_session(SessionId::new_v7(1_600_000_000_000)).expect("list").is_empty());
        let objects = store.objects().expect("objects");
        assert_eq!(objects.len(), 5);
        assert_eq!(objects[0], (segment_key(ids[0]), 9));
        assert!(store.contains(ids[4]).expect("head"));
        assert!(store.delete(ids[4]).expect("delete"));
        assert!(!store.delete(ids[4]).expect("a second delete finds nothing"));
        assert!(!store.contains(ids[4]).expect("head"));
        assert_eq!(store.get(ids[4]).expect("get"), None);
        store.check_writable().expect("the bucket takes writes");
        assert_eq!(store.objects().expect("objects").len(), 4, "the health probe leaves nothing behind");
    }

    #[test]
    #[ignore = "needs SeaweedFS: scripts/scale-backends.sh"]
    fn of_sixteen_concurrent_puts_of_one_key_one_stores_it() {
        let store = real_store(S3Tuning::default());
        let target = id();
        let barrier = std::sync::Barrier::new(16);
        let outcomes: Vec<PutOutcome> = std::thread::scope(|s| {
            let writers: Vec<_> = (0..16)
                .map(|i| {
                    let (store, barrier) = (&store, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        store.put_if_absent(target, format!("writer {i}").as_bytes()).expect("put")
                    })
                })
                .collect();
            writers.into_iter().map(|t| t.join().expect("thread")).collect()
        });
        assert_eq!(outcomes.iter().filter(|o| **o == PutOutcome::Stored).count(), 1, "{outcomes:?}");
        assert_eq!(store.list_session(target.session).expect("list"), vec![target]);
    }
}
