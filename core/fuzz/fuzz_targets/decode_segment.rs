//! Fuzzes the segment decoder and the replayer with arbitrary bytes: nothing may panic.
//! Run with `cargo fuzz run decode_segment` from `core/` (see the README).

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprise_core::{DecodeLimits, Replayer, decode};

fuzz_target!(|data: &[u8]| {
    // Try the bytes as they are, and behind a valid magic and version so the fuzzer gets past
    // the first checks quickly.
    let mut framed = b"RPRS\x01\x00".to_vec();
    framed.extend_from_slice(data);
    for bytes in [data, &framed[..]] {
        if let Ok(segment) = decode(bytes, DecodeLimits { max_raw_bytes: 1 << 20 }) {
            let mut replayer = Replayer::new();
            for record in &segment.records.records {
                let _ = replayer.apply(&record.record);
            }
            let _ = replayer.frame();
        }
    }
});
