//! Sending a reply at most once: recorded before it goes to Twilio, checked before every send.

use tipline_shared::domain::{MessageSid, ReplyText, WhatsAppAddress};
use tipline_shared::store::{ReplyKind, ReplyStatus};
use tokio::time::Instant;

use crate::outcome::ProcessError;
use crate::state::AppState;

/// Whether this call sent the reply or found it already handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    AlreadySent,
    /// A previous attempt handed it to Twilio and crashed before recording the answer: it may
    /// have been delivered, and a second copy is worse than none, so it is not sent again.
    Ambiguous,
}

/// Sends one reply of one kind for one inbound message, unless that already happened.
pub async fn send_once(
    state: &AppState,
    sid: &MessageSid,
    kind: ReplyKind,
    to: &WhatsAppAddress,
    text: &ReplyText,
    deadline: Instant,
) -> Result<Delivery, ProcessError> {
    match state.store.reply(sid, kind).await?.map(|r| r.status) {
        Some(ReplyStatus::Sent) => return Ok(Delivery::AlreadySent),
        Some(ReplyStatus::Sending) => {
            tracing::warn!(
                kind = kind.as_str(),
                "a previous attempt's reply has no recorded answer; not resending"
            );
            return Ok(Delivery::Ambiguous);
        }
        Some(ReplyStatus::Failed) | None => {}
    }
    state
        .store
        .begin_reply(sid, kind, &to.as_address(), text.as_str())
        .await?;
    match state.messenger.send(to, text, deadline).await {
        Ok(sent) => {
            state.store.finish_reply(sid, kind, Ok(&sent.sid)).await?;
            tracing::info!(kind = kind.as_str(), twilio_sid = %sent.sid, "reply sent");
            Ok(Delivery::Sent)
        }
        Err(error) => {
            state.store.finish_reply(sid, kind, Err(&error.to_string())).await?;
            Err(error.into())
        }
    }
}
