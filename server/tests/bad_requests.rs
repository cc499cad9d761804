//! Requests the collector refuses. Each test starts a collector that already holds one valid
//! segment, sends one kind of bad request, and checks the status and JSON reason, that nothing
//! was stored (files and index rows unchanged), and that the collector still answers.

mod common;

use std::io::Write;
use std::time::Instant;

use common::*;
use reprise_core::SessionId;
use reprise_core::segment::HEADER_LEN;
use tempfile::TempDir;

/// A collector holding one segment, and a second valid segment of the same session to misuse.
struct Fixture {
    data: TempDir,
    server: reprise_server::RunningServer,
    client: reqwest::Client,
    /// A valid segment not yet uploaded.
    segment: Vec<u8>,
    before: Holdings,
}

impl Fixture {
    async fn new() -> Self {
        let session = record_session(T0, &["3363", "33618"], Some("user-1"));
        let data = tempfile::tempdir().expect("temp dir");
        let server = start(data.path()).await;
        let client = client();
        let reply = Upload::of(&session.segments[0].bytes).send(&client, server.addr()).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        settled(&server).await;
        let before = holdings(data.path(), &server);
        assert_eq!((before.files.len(), before.indexed), (1, 1));
        Self { data, server, client, segment: session.segments[1].bytes.clone(), before }
    }

    /// The session id and sequence of the unused segment.
    fn claim(&self) -> (String, u32) {
        let header = reprise_core::SegmentHeader::read(&self.segment).expect("header");
        (header.session.to_string(), header.sequence)
    }

    /// Sends an upload of `body` that claims the unused segment's id.
    async fn send_claiming(&self, body: &[u8]) -> Reply {
        let (session, sequence) = self.claim();
        Upload::claiming(body, &session, sequence).send(&self.client, self.server.addr()).await
    }

    /// Nothing was stored, and the collector still answers, with the unused segment too.
    async fn assert_nothing_stored_and_still_up(self) {
        assert_eq!(holdings(self.data.path(), &self.server), self.before, "a refused request changed the holdings");
        assert_eq!(health(&self.client, self.server.addr()).await, 200);
        let reply = Upload::of(&self.segment).send(&self.client, self.server.addr()).await;
        assert_eq!((reply.status, &reply.json["stored"]), (200, &serde_json::json!(true)), "{reply:?}");
    }
}

#[tokio::test]
async fn a_wrong_key_is_401() {
    let f = Fixture::new().await;
    let reply = Upload::of(&f.segment).set("authorization", "Bearer not-a-key").send(&f.client, f.server.addr()).await;
    reply.assert_error(401, "unknown_api_key");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn no_key_is_401() {
    let f = Fixture::new().await;
    let reply = Upload::of(&f.segment).without("authorization").send(&f.client, f.server.addr()).await;
    reply.assert_error(401, "missing_api_key");
    let reply = Upload::of(&f.segment).set("authorization", &format!("Basic {KEY}")).send(&f.client, f.server.addr()).await;
    reply.assert_error(401, "missing_api_key");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_body_over_the_limit_with_content_length_is_413() {
    let f = Fixture::new().await;
    // Through a real client: a body one byte over the 1 MiB limit.
    let (session, sequence) = f.claim();
    let oversize = vec![7u8; 1024 * 1024 + 1];
    let reply = Upload::claiming(&oversize, &session, sequence).send(&f.client, f.server.addr()).await;
    reply.assert_error(413, "body_too_large");
    // Refused on the Content-Length alone: the head arrives, no body byte is ever sent.
    let head = raw_head(&session, sequence, "Content-Length: 200000000\r\n");
    let (status, body) = raw_exchange(f.server.addr(), &head, Vec::new()).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"error\":\"body_too_large\""), "{body}");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_while_reading() {
    let f = Fixture::new().await;
    let (session, sequence) = f.claim();
    let head = raw_head(&session, sequence, "Transfer-Encoding: chunked\r\n");
    // 2 MiB in 64 KiB chunks, no length announced: the collector stops reading past 1 MiB.
    let chunk = {
        let mut c = format!("{:x}\r\n", 64 * 1024).into_bytes();
        c.extend(std::iter::repeat_n(b'x', 64 * 1024));
        c.extend_from_slice(b"\r\n");
        c
    };
    let mut chunks = vec![chunk; 32];
    chunks.push(b"0\r\n\r\n".to_vec());
    let (status, body) = raw_exchange(f.server.addr(), &head, chunks).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"error\":\"body_too_large\""), "{body}");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_segment_declaring_a_huge_body_is_422_before_decompressing() {
    let f = Fixture::new().await;
    let raw = raw_body(&f.segment);
    let bomb = reframe(&f.segment, &raw, |h| h[44..48].copy_from_slice(&(1u32 << 31).to_le_bytes()));
    let reply = f.send_claiming(&bomb).await;
    reply.assert_error(422, "undecodable");
    let limit = reprise_server::Limits::default().max_raw;
    assert!(reply.reason().contains(&format!("exceeds the limit of {limit} bytes")), "{reply:?}");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_zstd_bomb_that_lies_about_its_size_is_422() {
    let f = Fixture::new().await;
    // 8 MiB of zeros (a 300-byte body) declared as 1 KiB: decompression stops at 1 KiB.
    let bomb = reframe(&f.segment, &vec![0u8; 8 << 20], |h| h[44..48].copy_from_slice(&1024u32.to_le_bytes()));
    assert!(bomb.len() < 4096);
    let reply = f.send_claiming(&bomb).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("does not decompress"), "{reply:?}");

    // 1 GiB of zeros (about 32 KB compressed) declared at exactly the 16 MiB limit: the collector
    // decompresses no more than 16 MiB and refuses it at once.
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).expect("encoder");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        encoder.write_all(&zeros).expect("compress");
    }
    let body = encoder.finish().expect("finish");
    let mut big = f.segment[..HEADER_LEN].to_vec();
    big[44..48].copy_from_slice(&(16u32 << 20).to_le_bytes());
    big[48..52].copy_from_slice(&(body.len() as u32).to_le_bytes());
    big.extend_from_slice(&body);
    big.extend_from_slice(&[0; 4]);
    fix_crc(&mut big);
    let started = Instant::now();
    let reply = f.send_claiming(&big).await;
    reply.assert_error(422, "undecodable");
    eprintln!("a {} KB body that inflates to 1 GiB was refused in {:?}", big.len() / 1024, started.elapsed());
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_truncated_body_is_422() {
    let f = Fixture::new().await;
    let truncated = &f.segment[..f.segment.len() - 100];
    let reply = f.send_claiming(truncated).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("length mismatch"), "{reply:?}");
    let reply = f.send_claiming(&f.segment[..20]).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("too short"), "{reply:?}");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn random_bytes_and_a_damaged_segment_are_422() {
    let f = Fixture::new().await;
    // A fixed xorshift stream: 4 KiB of noise.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let reply = f.send_claiming(&noise).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("bad magic"), "{reply:?}");
    let reply = f.send_claiming(&[]).await;
    reply.assert_error(422, "undecodable");
    let mut flipped = f.segment.clone();
    flipped[HEADER_LEN + 5] ^= 0x20;
    let reply = f.send_claiming(&flipped).await;
    reply.assert_error(422, "undecodable");
    assert!(reply.reason().contains("checksum mismatch"), "{reply:?}");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn an_unsupported_major_version_is_422_with_the_version() {
    let f = Fixture::new().await;
    let v2 = reframe(&f.segment, &raw_body(&f.segment), |h| h[4] = 2);
    let reply = f.send_claiming(&v2).await;
    reply.assert_error(422, "undecodable");
    let minor = reprise_core::segment::FORMAT_MINOR;
    assert!(reply.reason().contains(&format!("unsupported segment format version 2.{minor}")), "{reply:?}");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_segment_without_its_session_record_is_422() {
    let f = Fixture::new().await;
    // Drop the first framed record (kind, dt, len varints, then the payload).
    let raw = raw_body(&f.segment);
    let mut at = 0;
    let mut varint = || {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let byte = raw[at];
            at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return value;
            }
        }
    };
    let (kind, _dt, len) = (varint(), varint(), varint());
    assert_eq!(kind, 1, "the first record is the Session record");
    let rest = raw[at + len as usize..].to_vec();
    let headless = reframe(&f.segment, &rest, |h| {
        let count = u32::from_le_bytes(h[40..44].try_into().expect("4 bytes")) - 1;
        h[40..44].copy_from_slice(&count.to_le_bytes());
    });
    let reply = f.send_claiming(&headless).await;
    reply.assert_error(422, "invalid_segment");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn huge_headers_are_431() {
    let f = Fixture::new().await;
    // Over the collector's 16 KiB header budget: a JSON 431.
    let reply = Upload::of(&f.segment).set("x-padding", &"p".repeat(32 * 1024)).send(&f.client, f.server.addr()).await;
    reply.assert_error(431, "headers_too_large");
    // Many small headers add up the same way.
    let mut many = Upload::of(&f.segment);
    for i in 0..90 {
        many = many.set(&format!("x-pad-{i}"), &"q".repeat(200));
    }
    many.send(&f.client, f.server.addr()).await.assert_error(431, "headers_too_large");
    // Far past it, hyper refuses the head itself, before any handler runs: still a 431.
    let (session, sequence) = f.claim();
    let head = raw_head(&session, sequence, &format!("X-Padding: {}\r\nContent-Length: 0\r\n", "p".repeat(1 << 20)));
    let (status, _) = raw_exchange(f.server.addr(), &head, Vec::new()).await;
    assert_eq!(status, 431);
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn headers_that_disagree_with_the_segment_are_400() {
    let f = Fixture::new().await;
    let (session, sequence) = f.claim();
    let addr = f.server.addr();

    // Another session's id, consistently in all three headers.
    let other = SessionId::new_v7(T0).to_string();
    let reply = Upload::claiming(&f.segment, &other, sequence).send(&f.client, addr).await;
    reply.assert_error(400, "header_mismatch");
    assert!(reply.reason().contains("X-Reprise-Session"), "{reply:?}");
    // Another sequence.
    let reply = Upload::claiming(&f.segment, &session, sequence + 1).send(&f.client, addr).await;
    reply.assert_error(400, "header_mismatch");
    assert!(reply.reason().contains("X-Reprise-Sequence"), "{reply:?}");
    // An idempotency key that is not the session and sequence headers' id.
    let reply = Upload::of(&f.segment).set("idempotency-key", &format!("{session}-00000099")).send(&f.client, addr).await;
    reply.assert_error(400, "bad_header");
    // Missing and malformed identity headers.
    let reply = Upload::of(&f.segment).without("idempotency-key").send(&f.client, addr).await;
    reply.assert_error(400, "missing_header");
    let reply = Upload::of(&f.segment).without("x-reprise-session").send(&f.client, addr).await;
    reply.assert_error(400, "missing_header");
    let reply = Upload::of(&f.segment).set("x-reprise-sequence", "-1").send(&f.client, addr).await;
    reply.assert_error(400, "bad_header");
    let reply = Upload::of(&f.segment).set("x-reprise-session", "not-a-uuid").send(&f.client, addr).await;
    reply.assert_error(400, "bad_header");
    let reply = Upload::of(&f.segment).set("x-reprise-sdk", &"v".repeat(65)).send(&f.client, addr).await;
    reply.assert_error(400, "bad_header");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let f = Fixture::new().await;
    let reply = Upload::of(&f.segment).set("content-type", "application/octet-stream").send(&f.client, f.server.addr()).await;
    reply.assert_error(415, "unsupported_media_type");
    let reply = Upload::of(&f.segment).without("content-type").send(&f.client, f.server.addr()).await;
    reply.assert_error(415, "unsupported_media_type");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn other_routes_and_methods_answer_json() {
    let f = Fixture::new().await;
    let addr = f.server.addr();
    let response = f.client.get(format!("http://{addr}/v1/segments")).send().await.expect("answers");
    assert_eq!(response.status().as_u16(), 405);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
    assert_eq!(body["error"], "method_not_allowed");
    let response = f.client.post(format!("http://{addr}/v2/segments")).body(f.segment.clone()).send().await.expect("answers");
    assert_eq!(response.status().as_u16(), 404);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
    assert_eq!(body["error"], "not_found");
    f.assert_nothing_stored_and_still_up().await;
}

#[tokio::test]
async fn a_body_that_never_arrives_is_408() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut config = config(data.path());
    config.limits.body_timeout = std::time::Duration::from_secs(1);
    let server = reprise_server::RunningServer::start(config).await.expect("starts");
    let before = holdings(data.path(), &server);
    let session = SessionId::new_v7(T0).to_string();
    // A head announcing 5,000 bytes, then silence.
    let head = raw_head(&session, 0, "Content-Length: 5000\r\n");
    let started = Instant::now();
    let (status, body) = raw_exchange(server.addr(), &head, Vec::new()).await;
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("\"error\":\"body_timeout\""), "{body}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(holdings(data.path(), &server), before);
    assert_eq!(health(&client(), server.addr()).await, 200);
}
