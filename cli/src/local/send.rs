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

/// A file attached to a tip: its content type and bytes.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Attachment {
    /// Reads a file, naming its type from the extension as WhatsApp would label it.
    pub fn read(path: &std::path::Path) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read --media {}", path.display()))?;
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let content_type = match extension.as_str() {
            "jpg" | "jpeg" => "image/jpeg",
            "png" => "image/png",
            "webp" => "image/webp",
            "gif" => "image/gif",
            "pdf" => "application/pdf",
            "ogg" | "opus" => "audio/ogg",
            "mp3" => "audio/mpeg",
            "amr" => "audio/amr",
            "m4a" | "aac" => "audio/aac",
            "mp4" => "video/mp4",
            _ => "application/octet-stream",
        };
        Ok(Self {
            content_type: content_type.to_owned(),
            bytes,
        })
    }
}

/// Uploads attachments to the local stack and adds them to the form as Twilio lists media.
async fn attach(
    http: &reqwest::Client,
    session: &Session,
    sid: &str,
    form: TwilioForm,
    media: &[Attachment],
) -> anyhow::Result<TwilioForm> {
    let mut pairs: Vec<(String, String)> = form
        .pairs()
        .iter()
        .filter(|(k, _)| k != "NumMedia" && k != "MessageType")
        .cloned()
        .collect();
    for (index, attachment) in media.iter().enumerate() {
        let response = http
            .post(format!("{}/local/media?message_sid={sid}", session.base_url))
            .header("content-type", &attachment.content_type)
            .body(attachment.bytes.clone())
            .send()
            .await
            .context("cannot upload --media to the local stack")?;
        if !response.status().is_success() {
            bail!("the local stack refused the media upload: {}", response.status());
        }
        let uploaded: serde_json::Value = response
            .json()
            .await
            .context("the media upload answered something else")?;
        let url = uploaded["url"]
            .as_str()
            .context("the media upload answered no url")?
            .to_owned();
        pairs.push((format!("MediaContentType{index}"), attachment.content_type.clone()));
        pairs.push((format!("MediaUrl{index}"), url));
    }
    pairs.push(("NumMedia".into(), media.len().to_string()));
    let kind = if media.is_empty() { "text" } else { "image" };
    pairs.push(("MessageType".into(), kind.into()));
    Ok(TwilioForm::from_pairs(pairs))
}

/// Sends one tip and waits for its reply.
pub async fn send_tip(
    http: &reqwest::Client,
    session: &Session,
    from: &str,
    text: &str,
    media: &[Attachment],
    forwarded: bool,
    timeout: Duration,
) -> anyhow::Result<(String, Reply)> {
    let sid = if media.is_empty() {
        new_message_sid()
    } else {
        new_message_sid().replacen("SM", "MM", 1)
    };
    let form = attach(http, session, &sid, inbound_form(&sid, from, text, forwarded), media).await?;
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
    let media = args
        .media
        .iter()
        .map(|path| Attachment::read(path))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let http = reqwest::Client::new();
    let timeout = Duration::from_secs(args.timeout_secs);
    let (sid, reply) = send_tip(&http, &session, &args.from, &args.text, &media, args.forwarded, timeout).await?;
    println!("sent {sid} to {}", session.webhook_url);
    println!("reply ({}, {}):\n{}", reply.kind, reply.status, reply.body);
    Ok(())
}
