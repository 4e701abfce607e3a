//! Sending a reply exactly once: recorded before it goes to Twilio, checked before every send,
//! and, when a send may have reached Twilio without its answer reaching us, reconciled with
//! Twilio's own list of messages before anything is sent again.
//!
//! It is also the one place that keeps the channel's promises: nothing goes to a person who
//! opted out (except the confirmation of that request) or who is on the block list, whichever
//! path the reply comes from; nor free text to someone whose last message is more than 24 h old
//! (WhatsApp's window). Such a reply is recorded as not sent, with the reason.

use std::time::Duration;

use tipline_shared::domain::{MessageSid, ReplyText, WhatsAppAddress};
use tipline_shared::store::{ReplyKind, ReplyRecord, ReplyStatus};
use tipline_shared::twilio::messages::{SendError, SentMessage, OPTED_OUT};
use tokio::time::Instant;

use crate::outcome::ProcessError;
use crate::state::AppState;

/// Whether this call sent the reply or found it already handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    AlreadySent,
    /// An earlier send's answer was lost, and Twilio's list showed the message had gone out.
    Reconciled,
    /// Deliberately not sent (opted out, blocked); recorded with the reason.
    NotSent,
}

/// Sends after an ambiguous one that Twilio's list did not show; more stay for the next receive.
const RESENDS_AFTER_AMBIGUITY: u32 = 1;
/// Pauses before each look at Twilio's list after an ambiguous send: a message Twilio is still
/// creating shows up a moment later.
const LOOKUP_PAUSES: [Duration; 2] = [Duration::from_millis(300), Duration::from_millis(1200)];

/// Sends one reply of one kind for one group, unless that already happened.
pub async fn send_once(
    state: &AppState,
    key: &MessageSid,
    kind: ReplyKind,
    to: &WhatsAppAddress,
    text: &ReplyText,
    deadline: Instant,
) -> Result<Delivery, ProcessError> {
    match state.store.reply(key, kind).await? {
        Some(reply) if reply.status == ReplyStatus::Sent => return Ok(Delivery::AlreadySent),
        Some(reply) if reply.status == ReplyStatus::NotSent => return Ok(Delivery::NotSent),
        Some(reply) if reply.status == ReplyStatus::Sending => {
            // A previous attempt handed it to Twilio and never recorded the answer (a crash, or
            // a lost answer): Twilio knows whether it went out.
            tracing::warn!(
                kind = kind.as_str(),
                "a previous reply has no recorded answer; asking Twilio"
            );
            if let Some(sent) = look_up(state, &reply, to, &[Duration::ZERO], deadline).await? {
                return record_found(state, key, kind, &sent).await;
            }
            // Twilio has no such message: it never went out, so sending now is the first copy.
            state
                .store
                .finish_reply(key, kind, Err("Twilio has no such message; sending again"))
                .await?;
        }
        Some(_) | None => {}
    }
    let address = to.as_address();
    let standing = state.store.standing(&address).await?;
    let refusal = if standing.blocked {
        Some("not sent: the recipient is on the block list")
    } else if standing.opted_out && kind != ReplyKind::OptOut {
        Some("not sent: the recipient opted out (STOP)")
    } else if standing
        .last_inbound_at
        .is_some_and(|last| chrono::Utc::now() - last > chrono::Duration::hours(24))
    {
        // Twilio would refuse free text with 63016; no template is configured to send instead.
        Some("undeliverable: outside WhatsApp's 24-hour window and no template is configured")
    } else {
        None
    };
    if let Some(reason) = refusal {
        state
            .store
            .record_unsent(key, kind, &address, text.as_str(), reason)
            .await?;
        tracing::info!(kind = kind.as_str(), reason, "reply withheld");
        return Ok(Delivery::NotSent);
    }
    state.store.begin_reply(key, kind, &address, text.as_str()).await?;
    let mut resends = 0;
    loop {
        match state.messenger.send(to, text, deadline).await {
            Ok(sent) => {
                state.store.finish_reply(key, kind, Ok(&sent.sid)).await?;
                tracing::info!(kind = kind.as_str(), twilio_sid = %sent.sid, "reply sent");
                return Ok(Delivery::Sent);
            }
            Err(error @ SendError::Ambiguous { .. }) => {
                // The row stays `sending`: if this worker dies now, the next receive reconciles.
                tracing::warn!(kind = kind.as_str(), error = %error, "reply may have gone out; asking Twilio");
                let Some(reply) = state.store.reply(key, kind).await? else {
                    return Err(error.into());
                };
                if let Some(sent) = look_up(state, &reply, to, &LOOKUP_PAUSES, deadline).await? {
                    return record_found(state, key, kind, &sent).await;
                }
                if resends >= RESENDS_AFTER_AMBIGUITY {
                    return Err(error.into());
                }
                resends += 1;
                tracing::info!(kind = kind.as_str(), "Twilio has no such message; sending again");
            }
            Err(SendError::Permanent {
                code: Some(OPTED_OUT), ..
            }) => {
                // The person opted out at Twilio (a STOP we never saw): nothing more is tried.
                state.store.opt_out(&address, key, "twilio").await?;
                state
                    .store
                    .record_unsent(
                        key,
                        kind,
                        &address,
                        text.as_str(),
                        "not sent: Twilio says the recipient opted out (21610)",
                    )
                    .await?;
                tracing::info!(kind = kind.as_str(), "reply refused by Twilio: the recipient opted out");
                return Ok(Delivery::NotSent);
            }
            Err(error) => {
                state.store.finish_reply(key, kind, Err(&error.to_string())).await?;
                return Err(error.into());
            }
        }
    }
}

/// Whether a reply of this kind reached Twilio: recorded as sent, or left `sending` and found in
/// Twilio's list (then recorded). One not found is marked failed, so it may be sent again.
pub async fn went_out(
    state: &AppState,
    key: &MessageSid,
    kind: ReplyKind,
    to: &WhatsAppAddress,
    deadline: Instant,
) -> Result<bool, ProcessError> {
    match state.store.reply(key, kind).await? {
        Some(reply) if reply.status == ReplyStatus::Sent => Ok(true),
        Some(reply) if reply.status == ReplyStatus::Sending => {
            match look_up(state, &reply, to, &[Duration::ZERO], deadline).await? {
                Some(sent) => record_found(state, key, kind, &sent).await.map(|_| true),
                None => {
                    state
                        .store
                        .finish_reply(key, kind, Err("Twilio has no such message"))
                        .await?;
                    Ok(false)
                }
            }
        }
        Some(_) | None => Ok(false),
    }
}

/// Looks the recorded reply up in Twilio's list, pausing before each look; `None` only when
/// every look found nothing. A failed look is an error: never a reason to send blindly.
async fn look_up(
    state: &AppState,
    reply: &ReplyRecord,
    to: &WhatsAppAddress,
    pauses: &[Duration],
    deadline: Instant,
) -> Result<Option<SentMessage>, ProcessError> {
    for pause in pauses {
        if Instant::now() + *pause >= deadline {
            return Err(SendError::Deadline.into());
        }
        tokio::time::sleep(*pause).await;
        if let Some(sent) = state
            .messenger
            .find_sent(to, &reply.body, reply.began_at, deadline)
            .await?
        {
            return Ok(Some(sent));
        }
    }
    Ok(None)
}

async fn record_found(
    state: &AppState,
    key: &MessageSid,
    kind: ReplyKind,
    sent: &SentMessage,
) -> Result<Delivery, ProcessError> {
    state.store.finish_reply(key, kind, Ok(&sent.sid)).await?;
    tracing::info!(kind = kind.as_str(), twilio_sid = %sent.sid, "reply found at Twilio; not sent again");
    Ok(Delivery::Reconciled)
}
