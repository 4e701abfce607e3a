//! `tipline send`: a correctly signed, Twilio-shaped webhook to a running local stack, then the
//! reply, read back from the stack once the processor has recorded it.

use std::time::Duration;

use anyhow::{bail, Context as _};
use tipline_shared::twilio::signature::{sign, Algorithm};
use tipline_shared::twilio::TwilioForm;
use tipline_shared::Secret;
use tokio::time::Instant;

use super::session::Session;
use crate::args::SendArgs;

/// The account SID the local stack's messages claim to come from.
pub const LOCAL_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

/// A reply as the local stack recorded it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Reply {
    pub kind: String,
    pub status: String,
    pub body: String,
}

/// A new random MessageSid, as Twilio would assign.
pub fn new_message_sid() -> String {
    format!("SM{}", uuid::Uuid::new_v4().simple())
}

/// The form Twilio posts for an inbound WhatsApp text.
pub fn inbound_form(sid: &str, from: &str, text: &str, forwarded: bool) -> TwilioForm {
    let wa_id = from.trim_start_matches("whatsapp:").trim_start_matches('+').to_owned();
    let mut pairs = vec![
        ("SmsMessageSid", sid.to_owned()),
        ("NumMedia", "0".to_owned()),
        ("ProfileName", "Local tester".to_owned()),
        ("MessageType", "text".to_owned()),
        ("SmsSid", sid.to_owned()),
        ("WaId", wa_id),
        ("SmsStatus", "received".to_owned()),
        ("Body", text.to_owned()),
        ("To", "whatsapp:+14155238886".to_owned()),
        ("NumSegments", "1".to_owned()),
        ("MessageSid", sid.to_owned()),
        ("AccountSid", LOCAL_ACCOUNT_SID.to_owned()),
        ("From", from.to_owned()),
        ("ApiVersion", "2010-04-01".to_owned()),
    ];
    if forwarded {
        pairs.push(("Forwarded", "true".to_owned()));
    }
    TwilioForm::from_pairs(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Posts a form signed as Twilio signs it; returns the status and body of the answer.
pub async fn post_signed(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    form: &TwilioForm,
) -> anyhow::Result<(u16, String)> {
    let signature = sign(Algorithm::HmacSha1, &Secret::new(token), url, form.pairs());
    let response = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", signature)
        .header("i-twilio-idempotency-token", uuid::Uuid::new_v4().to_string())
        .header("user-agent", "TwilioProxy/1.1")
        .body(form.encode())
        .send()
        .await
        .with_context(|| format!("cannot reach the webhook at {url}: is `tipline serve` running?"))?;
    Ok((response.status().as_u16(), response.text().await.unwrap_or_default()))
}

/// Polls the local stack (bounded by `timeout`) until the message's reply is recorded.
pub async fn wait_for_reply(
    http: &reqwest::Client,
    base_url: &str,
    sid: &str,
    timeout: Duration,
) -> anyhow::Result<Reply> {
    let give_up = Instant::now() + timeout;
    let url = format!("{base_url}/local/replies/{sid}");
    loop {
        let response = http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        if response.status().is_success() {
            let reply: Reply = response
                .json()
                .await
                .context("the reply endpoint answered something else")?;
            if reply.status != "sending" {
                return Ok(reply);
            }
        }
        if Instant::now() >= give_up {
            bail!(
                "no reply to {sid} within {} s (see the `tipline serve` output)",
                timeout.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends one tip and waits for its reply.
pub async fn send_tip(
    http: &reqwest::Client,
    session: &Session,
    from: &str,
    text: &str,
    forwarded: bool,
    timeout: Duration,
) -> anyhow::Result<(String, Reply)> {
    let sid = new_message_sid();
    let form = inbound_form(&sid, from, text, forwarded);
    let (status, body) = post_signed(http, &session.webhook_url, &session.auth_token, &form).await?;
    if status != 200 {
        bail!("the webhook answered {status}: {body}");
    }
    let reply = wait_for_reply(http, &session.base_url, &sid, timeout).await?;
    Ok((sid, reply))
}

/// `tipline send`.
pub async fn run(args: SendArgs) -> anyhow::Result<()> {
    let mut session = Session::load(&args.data.data_dir)?;
    if let Some(url) = args.url {
        session.webhook_url = url;
    }
    if let Ok(token) = std::env::var("TWILIO_AUTH_TOKEN") {
        if let Some(first) = token.split(',').map(str::trim).find(|t| !t.is_empty()) {
            session.auth_token = first.to_owned();
        }
    }
    let http = reqwest::Client::new();
    let (sid, reply) = send_tip(
        &http,
        &session,
        &args.from,
        &args.text,
        args.forwarded,
        Duration::from_secs(args.timeout_secs),
    )
    .await?;
    println!("sent {sid} to {}", session.webhook_url);
    println!("reply ({}, {}):\n{}", reply.kind, reply.status, reply.body);
    Ok(())
}
