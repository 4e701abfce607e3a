//! The queue envelope decoder: any body a queue may hold, down to the inbound message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tipline_shared::queue::Envelope;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = std::str::from_utf8(data) {
        if let Ok(envelope) = Envelope::decode(body) {
            let _ = envelope.message();
            let _ = envelope.attributes();
            // What decodes must encode and decode again to the same thing.
            let again = Envelope::decode(&envelope.encode()).expect("re-decode an encoded envelope");
            assert_eq!(again.encode(), envelope.encode());
        }
    }
});
