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

use super::{PutOutcome, SegmentStore, parse_file_name, segment_key, session_prefix};
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

    fn check_writable(&self) -> Result<(), StoreError> {
        // A small object written and removed: the bucket takes writes with these credentials.
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| self.error("check", HEALTH_PREFIX, S3Error::Client(e.to_string())))?;
        let probe = format!("{HEALTH_PREFIX}{}.probe", nonce.iter().map(|b| format!("{b:02x}")).collect::<String>());
        self.put_new(&probe, Bytes::from_static(&[0u8; 64]))?;
        self.delete_key(&probe)
    }
}
