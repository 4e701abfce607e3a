//! The channel's rules inside a group's work: a sender's stop or resume request, and the
//! per-sender tip limits checked before any download or model call.

use tipline_shared::channel::{limit_reply, opt_in_reply, opt_out_reply, OptChange};
use tipline_shared::domain::{MessageSid, WhatsAppAddress};
use tipline_shared::store::{ReplyKind, TipAllowance};
use tokio::time::Instant;

use crate::metrics::{self, Event};
use crate::outcome::ProcessError;
use crate::reply::send_once;
use crate::state::AppState;

/// Carries out a stop or resume request. A stop is confirmed once, by the group whose request
/// opted the sender out (so a retry confirms exactly once and a second STOP stays silent), and
/// not at all when Twilio already answered it (`OptOutType`).
pub async fn opt_request(
    state: &AppState,
    key: &MessageSid,
    from: &WhatsAppAddress,
    change: OptChange,
    deadline: Instant,
) -> Result<(), ProcessError> {
    let address = from.as_address();
    match change {
        OptChange::Out { confirm } => {
            let source = if confirm { "keyword" } else { "twilio" };
            let ours = state.store.opt_out(&address, key, source).await?;
            tracing::info!(source, first = ours, "sender opted out");
            if ours && confirm {
                send_once(state, key, ReplyKind::OptOut, from, &opt_out_reply(), deadline).await?;
            }
        }
        OptChange::In { confirm } => {
            state.store.opt_in(&address).await?;
            tracing::info!("sender opted in");
            if confirm {
                send_once(state, key, ReplyKind::OptIn, from, &opt_in_reply(), deadline).await?;
            }
        }
    }
    Ok(())
}

/// Counts the group as one of the sender's tips; false when a limit is reached, after the one
/// notice per window (the rest are recorded as not sent).
pub async fn within_limits(
    state: &AppState,
    key: &MessageSid,
    from: &WhatsAppAddress,
    deadline: Instant,
) -> Result<bool, ProcessError> {
    let address = from.as_address();
    let TipAllowance::Limited { window, notify } =
        state.store.take_tip(&address, key, state.settings.tip_limits).await?
    else {
        return Ok(true);
    };
    metrics::count(Event::SenderLimited);
    let reply = limit_reply(window);
    if notify {
        tracing::info!(window = ?window, "sender reached a tip limit; telling them once");
        send_once(state, key, ReplyKind::Limit, from, &reply, deadline).await?;
    } else {
        tracing::info!(window = ?window, "sender past a tip limit; not checked");
        state
            .store
            .record_unsent(
                key,
                ReplyKind::Limit,
                &address,
                reply.as_str(),
                "not sent: the sender was already told about the limit in this window",
            )
            .await?;
    }
    Ok(false)
}
