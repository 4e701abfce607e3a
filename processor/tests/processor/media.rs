//! Media download against stand-ins for Twilio's media API and its CDN: credentials on the
//! first hop only, refusals that make no credentialed request, caps, types, and the deadline.

use std::time::Duration;

use base64::Engine as _;
use tipline_shared::domain::MessageSid;
use tipline_shared::media::MediaError;
use tipline_shared::twilio::inbound::MediaRef;
use tokio::time::Instant;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

fn media_ref(url: String, content_type: &str) -> MediaRef {
    MediaRef {
        url,
        content_type: content_type.into(),
    }
}

/// The first attachment of message 1 at Twilio's media URL, declared as `content_type`.
fn first_media(twilio: &MockServer, content_type: &str) -> MediaRef {
    media_ref(format!("{}{}", twilio.uri(), media_path(1, 1)), content_type)
}

/// Twilio answers the first attachment of message 1 with one redirect to `cdn_path` on the CDN.
async fn redirect_first_media(twilio: &MockServer, cdn: &MockServer, cdn_path: &str) {
    Mock::given(method("GET"))
        .and(path(media_path(1, 1)))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}{cdn_path}", cdn.uri()).as_str()))
        .expect(1)
        .mount(twilio)
        .await;
}

fn message(n: u32) -> MessageSid {
    MessageSid::parse(&sid(n)).expect("sid")
}

/// A server that must receive nothing at all.
async fn untouchable() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_redirect_is_followed_with_credentials_on_the_first_hop_only() {
    let (twilio, cdn) = (MockServer::start().await, MockServer::start().await);
    serve_media(&twilio, &cdn, 1, 1, "image/png", png(7)).await;
    let downloader = downloader(&twilio, &[host_of(&cdn)]);

    let media = downloader
        .fetch(&first_media(&twilio, "image/png"), &message(1), deadline())
        .await
        .expect("downloaded");
    assert_eq!(media.bytes, png(7));
    assert_eq!((media.accepted.mime, media.accepted.extension), ("image/png", "png"));

    let first = twilio.received_requests().await.unwrap_or_default();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT}:test-token"))
    );
    assert_eq!(first.len(), 1);
    assert_eq!(
        first[0].headers.get("authorization").and_then(|v| v.to_str().ok()),
        Some(expected.as_str())
    );
    let second = cdn.received_requests().await.unwrap_or_default();
    assert_eq!(second.len(), 1);
    assert!(
        second[0].headers.get("authorization").is_none(),
        "credentials must not reach the CDN"
    );
    assert_eq!(second[0].url.query(), Some("X-Amz-Signature=abc"));
}

#[tokio::test]
async fn a_media_url_on_another_host_is_refused_without_a_request() {
    let (twilio, elsewhere) = (untouchable().await, untouchable().await);
    let downloader = downloader(&twilio, &[host_of(&elsewhere)]);
    // The right path under our account, on a host that is not the Twilio API.
    let url = format!("{}{}", elsewhere.uri(), media_path(1, 1));
    let error = downloader
        .fetch(&media_ref(url, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("refused");
    assert!(matches!(error, MediaError::Refused(_)), "{error}");
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("not the Twilio API"), "{error}");
}

#[tokio::test]
async fn another_accounts_media_is_refused_without_a_request() {
    let twilio = untouchable().await;
    let downloader = downloader(&twilio, &[]);
    let other = "AC99999999999999999999999999999999";
    let url = format!(
        "{}/2010-04-01/Accounts/{other}/Messages/{}/Media/{}",
        twilio.uri(),
        sid(1),
        media_sid(1)
    );
    let error = downloader
        .fetch(&media_ref(url, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("refused");
    assert!(matches!(error, MediaError::Refused(_)), "{error}");
    // Another message's media under our account is refused too: a webhook names only its own.
    let url = format!("{}{}", twilio.uri(), media_path(2, 1));
    let error = downloader
        .fetch(&media_ref(url, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("refused");
    assert!(matches!(error, MediaError::Refused(_)), "{error}");
}

#[tokio::test]
async fn a_redirect_off_twilios_media_hosts_is_not_followed() {
    let (twilio, cdn) = (MockServer::start().await, untouchable().await);
    Mock::given(method("GET"))
        .and(path(media_path(1, 1)))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/x", cdn.uri()).as_str()))
        .expect(1)
        .mount(&twilio)
        .await;
    let downloader = downloader(&twilio, &["media.twiliocdn.com".into()]);
    let error = downloader
        .fetch(&first_media(&twilio, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("refused");
    assert!(matches!(error, MediaError::Refused(_)), "{error}");
}

#[tokio::test]
async fn an_oversize_image_is_unsupported() {
    let (twilio, cdn) = (MockServer::start().await, MockServer::start().await);
    serve_media(&twilio, &cdn, 1, 1, "image/jpeg", vec![0; 5 * 1024 * 1024 + 1]).await;
    let error = downloader(&twilio, &[host_of(&cdn)])
        .fetch(&first_media(&twilio, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("too large");
    assert!(matches!(error, MediaError::Unsupported(_)), "{error}");
    assert!(error.to_string().contains("5 MB"), "{error}");
}

#[tokio::test]
async fn a_disallowed_type_is_unsupported_declared_or_served() {
    // Declared as video: nothing is requested.
    let twilio = untouchable().await;
    let error = downloader(&twilio, &[])
        .fetch(&first_media(&twilio, "video/mp4"), &message(1), deadline())
        .await
        .expect_err("unsupported");
    assert!(matches!(error, MediaError::Unsupported(_)), "{error}");

    // Declared as an image, served as HTML: what was served decides.
    let (twilio, cdn) = (MockServer::start().await, MockServer::start().await);
    serve_media(&twilio, &cdn, 1, 1, "text/html", b"<html>".to_vec()).await;
    let error = downloader(&twilio, &[host_of(&cdn)])
        .fetch(&first_media(&twilio, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("unsupported");
    assert!(error.to_string().contains("text/html"), "{error}");
}

#[tokio::test]
async fn a_cdn_404_is_retryable() {
    let (twilio, cdn) = (MockServer::start().await, MockServer::start().await);
    redirect_first_media(&twilio, &cdn, "/gone").await;
    Mock::given(method("GET"))
        .and(path("/gone"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&cdn)
        .await;
    let error = downloader(&twilio, &[host_of(&cdn)])
        .fetch(&first_media(&twilio, "image/jpeg"), &message(1), deadline())
        .await
        .expect_err("404");
    assert!(error.is_retryable(), "{error}");
    assert!(error.to_string().contains("404"), "{error}");
}

#[tokio::test]
async fn a_slow_cdn_is_abandoned_at_the_deadline() {
    let (twilio, cdn) = (MockServer::start().await, MockServer::start().await);
    redirect_first_media(&twilio, &cdn, "/slow").await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(png(1), "image/png")
                .set_delay(Duration::from_secs(10)),
        )
        .expect(1)
        .mount(&cdn)
        .await;
    let started = Instant::now();
    let error = downloader(&twilio, &[host_of(&cdn)])
        .fetch(
            &first_media(&twilio, "image/png"),
            &message(1),
            started + Duration::from_millis(300),
        )
        .await
        .expect_err("deadline");
    assert_eq!(error, MediaError::Deadline);
    assert!(error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn attachments_held_past_the_bytes_in_flight_budget_make_the_next_download_wait() {
    let twilio = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8; 1024], "audio/ogg"))
        .mount(&twilio)
        .await;
    // 16 MiB: exactly one attachment at the 16 MB cap for audio.
    let downloader = downloader(&twilio, &[]).with_bytes_in_flight_mb(16);
    let note = |n: u32| media_ref(format!("{}{}", twilio.uri(), media_path(n, n)), "audio/ogg");

    let held = downloader
        .fetch(&note(1), &message(1), deadline())
        .await
        .expect("first note");
    let waiting = downloader
        .fetch(&note(2), &message(2), Instant::now() + Duration::from_millis(300))
        .await;
    assert_eq!(waiting.expect_err("over budget"), MediaError::Deadline);

    drop(held);
    downloader
        .fetch(&note(2), &message(2), deadline())
        .await
        .expect("the budget is free again");
}
