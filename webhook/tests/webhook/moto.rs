//! End to end over real protocols: SQS from the moto server, Lambda's Invoke API from a stand-in.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sqs::types::MessageSystemAttributeName;
use tipline_shared::queue::lambda_invoke::AsyncInvoke;
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::queue::{Envelope, Queue};
use tipline_webhook::handle_lambda_event;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{fixture, state};

async fn sdk_config() -> aws_config::SdkConfig {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`, which starts a moto server"
    );
    tipline_shared::aws::load(2, Duration::from_secs(2), Duration::from_secs(5)).await
}

async fn create_queue(client: &aws_sdk_sqs::Client) -> String {
    let name = format!("webhook-{}", uuid::Uuid::new_v4());
    client
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .expect("moto creates the queue")
        .queue_url
        .expect("queue url")
}

#[tokio::test]
async fn a_signed_webhook_becomes_exactly_one_sqs_message() {
    let sdk = sdk_config().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let queue_url = create_queue(&sqs).await;
    let app = state(Arc::new(SqsQueue::new(sqs.clone(), &queue_url)), None);

    let response = handle_lambda_event(&app, fixture("text_function_url_base64.json")).await;
    assert_eq!(response["statusCode"], 200);

    let received = sqs
        .receive_message()
        .queue_url(&queue_url)
        .max_number_of_messages(10)
        .message_attribute_names("All")
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .expect("receive");
    let messages = received.messages.unwrap_or_default();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    let envelope = Envelope::decode(message.body.as_deref().expect("body")).expect("an envelope");
    assert_eq!(envelope.message_sid.as_str(), "SM00000000000000000000000000000001");
    let attributes = message.message_attributes.as_ref().expect("attributes");
    let value = |name: &str| {
        attributes
            .get(name)
            .and_then(|a| a.string_value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("message_id"), "SM00000000000000000000000000000001");
    assert_eq!(value("client_type"), "whatsapp");
    assert_eq!(value("phone_number"), "whatsapp:+5511987654321");
    assert_eq!(value("timestamp"), envelope.attributes().timestamp);

    let again = sqs
        .receive_message()
        .queue_url(&queue_url)
        .send()
        .await
        .expect("receive");
    assert!(
        again.messages.unwrap_or_default().is_empty(),
        "only one message was sent"
    );
}

#[tokio::test]
async fn with_sqs_unreachable_the_envelope_goes_by_async_invoke() {
    let sdk = sdk_config().await;
    // Port 9 (discard) is closed on loopback: every attempt is refused at once.
    let dead_sqs = aws_sdk_sqs::Client::from_conf(
        aws_sdk_sqs::config::Builder::from(&sdk)
            .endpoint_url("http://127.0.0.1:9")
            .build(),
    );
    let lambda_api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2015-03-31/functions/tipline-processor/invocations"))
        .and(header("x-amz-invocation-type", "Event"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&lambda_api)
        .await;
    let lambda = aws_sdk_lambda::Client::from_conf(
        aws_sdk_lambda::config::Builder::from(&sdk)
            .endpoint_url(lambda_api.uri())
            .build(),
    );
    let app = state(
        Arc::new(SqsQueue::new(dead_sqs.clone(), "http://127.0.0.1:9/000000000000/q")),
        Some(Arc::new(AsyncInvoke::new(lambda, "tipline-processor")) as Arc<dyn Queue>),
    );

    let response = handle_lambda_event(&app, fixture("media_function_url.json")).await;
    assert_eq!(response["statusCode"], 200);
    assert_eq!(response["body"], "<Response/>");
    let requests = lambda_api.received_requests().await.expect("recorded");
    let envelope = Envelope::decode(std::str::from_utf8(&requests[0].body).expect("utf8")).expect("the same envelope");
    assert_eq!(envelope.message_sid.as_str(), "MM00000000000000000000000000000002");

    // The invoke API failing too leaves Twilio to its fallback URL: a 5xx, not a silent drop.
    let failing_api = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&failing_api)
        .await;
    let lambda = aws_sdk_lambda::Client::from_conf(
        aws_sdk_lambda::config::Builder::from(&sdk)
            .endpoint_url(failing_api.uri())
            .build(),
    );
    let app = state(
        Arc::new(SqsQueue::new(dead_sqs, "http://127.0.0.1:9/000000000000/q")),
        Some(Arc::new(AsyncInvoke::new(lambda, "tipline-processor")) as Arc<dyn Queue>),
    );
    let response = handle_lambda_event(&app, fixture("text_http_api.json")).await;
    assert_eq!(response["statusCode"], 503);
}
