//! The webhook's first steps on untrusted bytes: the form parser, then the signature check
//! (legacy and shared-key settings headers), with the first line of the input as signature,
//! the second as the settings header and the rest as the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tipline_shared::twilio::signature::{Payload, SignedRequest, WebhookVerifier};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use tipline_shared::Secret;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let signature = parts.next().and_then(|s| std::str::from_utf8(s).ok());
    let settings = parts.next().and_then(|s| std::str::from_utf8(s).ok());
    let body = parts.next().unwrap_or_default();
    let verifier = WebhookVerifier::new(
        "https://example.com/twilio/whatsapp",
        vec![Secret::new("fuzz-token")],
        Vec::new(),
    );
    if let Ok(form) = TwilioForm::parse(body) {
        let _ = verifier.verify(&SignedRequest {
            raw_query: None,
            signature,
            settings,
            payload: Payload::Form(form.pairs()),
        });
        let _ = InboundMessage::try_from(form);
    }
    let _ = verifier.verify(&SignedRequest {
        raw_query: Some("bodySHA256=abc"),
        signature,
        settings,
        payload: Payload::Json(body),
    });
});
