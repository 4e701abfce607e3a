//! The webhook's CPU work per request: form parse, signature check, domain parse and envelope
//! encode — everything but the queue call.
//!
//! Run: `cargo bench -p tipline-shared --bench webhook_path`

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion};
use tipline_shared::queue::Envelope;
use tipline_shared::twilio::signature::{sign, Algorithm, Payload, SignedRequest, WebhookVerifier};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use tipline_shared::Secret;

const URL: &str = "https://abc.lambda-url.eu-west-1.on.aws/twilio/whatsapp";

fn request_body() -> (Vec<u8>, String) {
    let form = TwilioForm::from_pairs(
        [
            ("SmsMessageSid", "SM0123456789abcdef0123456789abcdef"),
            ("NumMedia", "1"),
            ("ProfileName", "Ana Souza"),
            ("MessageType", "image"),
            ("SmsSid", "SM0123456789abcdef0123456789abcdef"),
            ("WaId", "5511987654321"),
            ("SmsStatus", "received"),
            ("Body", "URGENT: your parcel is held at customs. Pay the £1.99 fee at https://bit.ly/3xYz to release it"),
            ("To", "whatsapp:+14155238886"),
            ("NumSegments", "1"),
            ("MessageSid", "SM0123456789abcdef0123456789abcdef"),
            ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            ("From", "whatsapp:+5511987654321"),
            ("MediaContentType0", "image/jpeg"),
            ("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM0123456789abcdef0123456789abcdef/Media/ME0123456789abcdef0123456789abcdef"),
            ("ApiVersion", "2010-04-01"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
    );
    let signature = sign(Algorithm::HmacSha1, &Secret::new("token"), URL, form.pairs());
    (form.encode().into_bytes(), signature)
}

fn webhook_path(c: &mut Criterion) {
    let verifier = WebhookVerifier::new(URL, vec![Secret::new("old"), Secret::new("token")], Vec::new());
    let (body, signature) = request_body();
    c.bench_function("parse+verify+envelope", |b| {
        b.iter(|| {
            let form = TwilioForm::parse(std::hint::black_box(&body)).expect("form");
            verifier
                .verify(&SignedRequest {
                    raw_query: None,
                    signature: Some(&signature),
                    settings: None,
                    payload: Payload::Form(form.pairs()),
                })
                .expect("valid");
            let message = InboundMessage::try_from(form).expect("message");
            std::hint::black_box(Envelope::new(&message, Utc::now(), None, None).encode())
        })
    });
}

criterion_group!(benches, webhook_path);
criterion_main!(benches);
