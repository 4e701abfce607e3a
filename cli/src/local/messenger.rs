//! The local stack's replies: printed to the terminal (and recorded by the processor, as always)
//! instead of sent through Twilio.

use async_trait::async_trait;
use tipline_shared::domain::{ReplyText, WhatsAppAddress};
use tipline_shared::twilio::messages::{Messenger, SendError, SentMessage};
use tokio::time::Instant;

/// Prints each reply and accepts it as Twilio would.
#[derive(Debug, Default)]
pub struct PrintingMessenger;

#[async_trait]
impl Messenger for PrintingMessenger {
    async fn send(&self, to: &WhatsAppAddress, body: &ReplyText, _deadline: Instant) -> Result<SentMessage, SendError> {
        let sid = format!("SM{}", uuid::Uuid::new_v4().simple());
        println!("\n── reply to {to} ──\n{body}\n");
        Ok(SentMessage { sid })
    }

    fn describe(&self) -> String {
        "printed here and recorded in the database (set TWILIO_ACCOUNT_SID to send through Twilio)".into()
    }
}
