//! The segment format: header checks, versioning, skipping unknown records, limits, and a
//! property test that no mutation of a segment makes decoding or replay panic.

use proptest::prelude::*;
use reprise_core::segment::{CRC_LEN, HEADER_LEN, SegmentHeader, decompress_body};
use reprise_core::{DecodeError, DecodeLimits, Event, PrivacyRules, RecorderConfig, Record, Replayer, SealedSegment, decode};
use reprise_fixtures::kit::feed::{self, Feed, capture, writer};

fn session_segment() -> SealedSegment {
    let rules = PrivacyRules::default();
    let (mut writer, _) = writer(RecorderConfig::default());
    let mut feed = Feed::new(120);
    for second in 0..4 {
        feed.scroll(200.0);
        writer.snapshot(1_700_000_000_000 + second * 1000, capture(feed.tree(), &rules));
        writer.touches(&feed::tap(1_700_000_000_500_000 + second * 1_000_000, 500.0, 900.0));
    }
    writer.event(1_700_000_004_000, Event::ScreenView { name: "Feed".into() });
    writer.seal();
    writer.take_sealed().remove(0)
}

/// Rebuilds a segment around a new raw body, with lengths and checksum made consistent.
fn rebuild(original: &[u8], raw: &[u8], extra_records: i64, major: u8) -> Vec<u8> {
    let body = zstd::bulk::compress(raw, 3).expect("compress");
    let mut out = original[..HEADER_LEN].to_vec();
    out[4] = major;
    let count = u32::from_le_bytes(out[40..44].try_into().expect("4 bytes")) as i64 + extra_records;
    out[40..44].copy_from_slice(&(count as u32).to_le_bytes());
    out[44..48].copy_from_slice(&(raw.len() as u32).to_le_bytes());
    out[48..52].copy_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

fn raw_body(segment: &SealedSegment) -> Vec<u8> {
    let header = SegmentHeader::read(&segment.bytes).expect("header");
    decompress_body(&header, &segment.bytes, DecodeLimits::default()).expect("body")
}

#[test]
fn a_segment_decodes_to_what_was_written() {
    let segment = session_segment();
    let decoded = decode(&segment.bytes, DecodeLimits::default()).expect("decodes");
    assert_eq!(decoded.header, segment.header);
    assert_eq!(decoded.records.skipped, 0);
    assert!(matches!(decoded.records.records[0].record, Record::Session(_)));
    assert!(decoded.records.records.iter().any(|r| matches!(r.record, Record::Touches(_))));
    assert_eq!(decoded.header.record_count as usize, decoded.records.records.len());
    assert!(decoded.header.has_keyframe());
}

#[test]
fn segment_ids_round_trip_as_text() {
    let id = session_segment().header.id();
    let text = id.to_string();
    assert_eq!(text.parse::<reprise_core::SegmentId>(), Ok(id));
    for bad in ["", "nope", "0190a0a0-0000-7000-8000-000000000000", "not-a-uuid-00000001", "0190a0a0-0000-7000-8000-000000000000-x"] {
        assert!(bad.parse::<reprise_core::SegmentId>().is_err(), "{bad}");
    }
}

#[test]
fn unknown_record_kinds_are_skipped() {
    let segment = session_segment();
    let mut raw = raw_body(&segment);
    // kind 77, dt 0, a 5-byte payload nobody knows.
    raw.extend_from_slice(&[77, 0, 5, 1, 2, 3, 4, 5]);
    let bytes = rebuild(&segment.bytes, &raw, 1, 1);
    let decoded = decode(&bytes, DecodeLimits::default()).expect("decodes");
    assert_eq!(decoded.records.skipped, 1);
    let original = decode(&segment.bytes, DecodeLimits::default()).expect("decodes");
    assert_eq!(decoded.records.records, original.records.records);
}

#[test]
fn an_unknown_major_version_is_rejected_clearly() {
    let segment = session_segment();
    let bytes = rebuild(&segment.bytes, &raw_body(&segment), 0, 2);
    let err = decode(&bytes, DecodeLimits::default()).unwrap_err();
    let minor = reprise_core::segment::FORMAT_MINOR;
    assert_eq!(err, DecodeError::UnsupportedVersion { major: 2, minor, supported: 1 });
    assert!(err.to_string().contains(&format!("unsupported segment format version 2.{minor}")));
}

#[test]
fn damaged_segments_give_typed_errors() {
    let segment = session_segment();
    let limits = DecodeLimits::default();
    assert_eq!(decode(&segment.bytes[..10], limits), Err(DecodeError::TooShort(10)));
    let mut magic = segment.bytes.clone();
    magic[0] = b'X';
    assert_eq!(decode(&magic, limits), Err(DecodeError::BadMagic));
    let truncated = &segment.bytes[..segment.bytes.len() - 7];
    assert!(matches!(decode(truncated, limits), Err(DecodeError::Length { .. })));
    let mut flipped = segment.bytes.clone();
    flipped[HEADER_LEN + 3] ^= 0x40;
    assert!(matches!(decode(&flipped, limits), Err(DecodeError::Checksum { .. })));
}

#[test]
fn a_declared_size_over_the_limit_is_refused_before_decompressing() {
    let segment = session_segment();
    let raw = raw_body(&segment);
    let mut bytes = rebuild(&segment.bytes, &raw, 0, 1);
    bytes[44..48].copy_from_slice(&(1u32 << 31).to_le_bytes());
    let split = bytes.len() - CRC_LEN;
    let crc = crc32fast::hash(&bytes[..split]);
    bytes[split..].copy_from_slice(&crc.to_le_bytes());
    let err = decode(&bytes, DecodeLimits::default()).unwrap_err();
    assert!(matches!(err, DecodeError::TooLarge { declared: 2_147_483_648, .. }));
}

#[test]
fn a_header_from_another_segment_cannot_make_body_reading_panic() {
    let big = session_segment();
    let small = reprise_core::segment::SegmentHeader::read(&big.bytes).expect("header");
    let err = decompress_body(&small, &big.bytes[..60], DecodeLimits::default()).unwrap_err();
    assert!(matches!(err, DecodeError::Length { .. }), "{err:?}");
}

#[test]
fn a_body_larger_than_declared_is_refused() {
    // A zstd bomb that lies about its size: 8 MiB of zeros declared as 1 KiB.
    let segment = session_segment();
    let zeros = vec![0u8; 8 << 20];
    let mut bytes = rebuild(&segment.bytes, &zeros, 0, 1);
    bytes[44..48].copy_from_slice(&1024u32.to_le_bytes());
    let split = bytes.len() - CRC_LEN;
    let crc = crc32fast::hash(&bytes[..split]);
    bytes[split..].copy_from_slice(&crc.to_le_bytes());
    assert!(matches!(decode(&bytes, DecodeLimits::default()), Err(DecodeError::Decompress(_))));
}

fn replay_all(bytes: &[u8]) {
    if let Ok(decoded) = decode(bytes, DecodeLimits::default()) {
        let mut replayer = Replayer::new();
        for record in &decoded.records.records {
            let _ = replayer.apply(&record.record);
            let _ = replayer.frame();
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
    Remove(usize),
}

fn apply(data: &mut Vec<u8>, mutation: &Mutation) {
    if data.is_empty() {
        return;
    }
    match *mutation {
        Mutation::Flip(at, mask) => {
            let i = at % data.len();
            data[i] ^= mask.max(1);
        }
        Mutation::Truncate(at) => data.truncate(at % data.len()),
        Mutation::Insert(at, byte) => {
            let i = at % data.len();
            data.insert(i, byte)
        }
        Mutation::Remove(at) => {
            let i = at % data.len();
            data.remove(i);
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, m)| Mutation::Flip(a, m)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        any::<usize>().prop_map(Mutation::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_segments_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        let segment = session_segment();
        let mut bytes = segment.bytes.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        replay_all(&bytes);
    }

    #[test]
    fn mutated_bodies_with_valid_checksums_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        // Mutate the decompressed records, then repair lengths and checksum, so the mutations
        // reach the record decoder and the replayer instead of stopping at the CRC.
        let segment = session_segment();
        let mut raw = raw_body(&segment);
        for m in &mutations {
            apply(&mut raw, m);
        }
        let bytes = rebuild(&segment.bytes, &raw, 0, 1);
        replay_all(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes, DecodeLimits::default());
        let mut framed = b"RPRS\x01\x00".to_vec();
        framed.extend_from_slice(&bytes);
        replay_all(&framed);
    }
}
