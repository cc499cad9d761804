//! Fuzzes the segment decoder, the record decoder and the replayer with arbitrary bytes: nothing
//! may panic. Run with `cargo fuzz run decode_segment` from `core/fuzz` (see the README).

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprise_core::record::{Records, read_records};
use reprise_core::{DecodeLimits, Replayer, decode};

fn replay(records: &Records) {
    let mut replayer = Replayer::new();
    for record in &records.records {
        let _ = replayer.apply(&record.record);
    }
    let _ = replayer.frame();
}

fuzz_target!(|data: &[u8]| {
    // As a whole segment: header, checksum and decompression checks.
    if let Ok(segment) = decode(data, DecodeLimits { max_raw_bytes: 1 << 20, ..DecodeLimits::default() }) {
        replay(&segment.records);
    }
    // As a decompressed body: random bytes rarely pass a CRC, so feed the record framing, the
    // postcard payloads and the replayer directly.
    if let Ok(records) = read_records(data, 0, 0, DecodeLimits::default()) {
        replay(&records);
    }
});
