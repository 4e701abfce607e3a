//! Secrets Manager (the moto server's) layered over the environment, as the Lambdas read it.

use std::collections::HashMap;
use std::time::Duration;

use tipline_shared::config::Source;
use tipline_shared::secrets::{load, load_parameters, SecretsError};

async fn sdk() -> aws_config::SdkConfig {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`"
    );
    tipline_shared::aws::load(2, Duration::from_secs(2), Duration::from_secs(5)).await
}

async fn secret(sdk: &aws_config::SdkConfig, value: &str) -> String {
    let client = aws_sdk_secretsmanager::Client::new(sdk);
    let name = format!("tipline/test/{}", uuid::Uuid::new_v4());
    client
        .create_secret()
        .name(name)
        .secret_string(value)
        .send()
        .await
        .expect("moto creates the secret")
        .arn
        .expect("arn")
}

fn source(pairs: &[(&str, String)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

#[tokio::test]
async fn secrets_supply_variables_over_the_environment() {
    let sdk = sdk().await;
    let database = secret(&sdk, r#"{"DATABASE_URL": "postgres://app:s3cret@db/tipline"}"#).await;
    let twilio = secret(
        &sdk,
        r#"{"TWILIO_AUTH_TOKEN": "from-secret", "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef"}"#,
    )
    .await;
    let env = source(&[
        ("DATABASE_SECRET_ARN", database),
        ("TWILIO_SECRET_ARN", twilio),
        ("TWILIO_AUTH_TOKEN", "from-env".into()),
        ("QUEUE_URL", "https://sqs/queue".into()),
    ]);
    let layered = load(env, &sdk).await.expect("secrets load");
    assert_eq!(
        layered.get("DATABASE_URL").as_deref(),
        Some("postgres://app:s3cret@db/tipline")
    );
    assert_eq!(
        layered.get("TWILIO_AUTH_TOKEN").as_deref(),
        Some("from-secret"),
        "the secret wins"
    );
    assert_eq!(
        layered.get("QUEUE_URL").as_deref(),
        Some("https://sqs/queue"),
        "the environment fills the rest"
    );
    assert_eq!(
        layered.supplied(),
        ["DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"]
    );
}

#[tokio::test]
async fn bad_secrets_name_the_variable() {
    let sdk = sdk().await;
    let not_json = secret(&sdk, "postgres://plain-string").await;
    let error = load(source(&[("DATABASE_SECRET_ARN", not_json)]), &sdk)
        .await
        .expect_err("not an object");
    assert!(
        matches!(
            error,
            SecretsError::Shape {
                variable: "DATABASE_SECRET_ARN",
                ..
            }
        ),
        "{error}"
    );

    let missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tipline/none-AbCdEf".to_owned();
    let error = load(source(&[("OPENAI_SECRET_ARN", missing)]), &sdk)
        .await
        .expect_err("no such secret");
    assert!(error.to_string().contains("OPENAI_SECRET_ARN"), "{error}");

    let plain = load(source(&[("QUEUE_URL", "q".into())]), &sdk)
        .await
        .expect("no secrets to read");
    assert!(plain.supplied().is_empty());
}

#[tokio::test]
async fn the_webhook_url_comes_from_the_stacks_parameter_unless_pinned() {
    let sdk = sdk().await;
    let name = format!("/tipline/test-{}/public-webhook-url", uuid::Uuid::new_v4().simple());
    aws_sdk_ssm::Client::new(&sdk)
        .put_parameter()
        .name(&name)
        .value("https://abc.lambda-url.us-east-1.on.aws/")
        .r#type(aws_sdk_ssm::types::ParameterType::String)
        // The SDK retries a put whose answer was slow; overwriting keeps that retry harmless.
        .overwrite(true)
        .send()
        .await
        .expect("moto stores the parameter");

    let from_parameter = load_parameters(
        load(source(&[("PUBLIC_WEBHOOK_URL_PARAMETER", name.clone())]), &sdk)
            .await
            .expect("no secrets"),
        &sdk,
    )
    .await
    .expect("parameter read");
    assert_eq!(
        from_parameter.get("PUBLIC_WEBHOOK_URL").as_deref(),
        Some("https://abc.lambda-url.us-east-1.on.aws/")
    );

    let pinned = load_parameters(
        load(
            source(&[
                ("PUBLIC_WEBHOOK_URL_PARAMETER", name),
                (
                    "PUBLIC_WEBHOOK_URL",
                    "https://tipline.example.org/twilio/whatsapp".into(),
                ),
            ]),
            &sdk,
        )
        .await
        .expect("no secrets"),
        &sdk,
    )
    .await
    .expect("nothing to read");
    assert_eq!(
        pinned.get("PUBLIC_WEBHOOK_URL").as_deref(),
        Some("https://tipline.example.org/twilio/whatsapp"),
        "a pinned URL wins"
    );

    let missing = load_parameters(
        load(
            source(&[("PUBLIC_WEBHOOK_URL_PARAMETER", "/tipline/nowhere".into())]),
            &sdk,
        )
        .await
        .expect("no secrets"),
        &sdk,
    )
    .await
    .expect_err("no such parameter");
    assert!(
        matches!(&missing, SecretsError::Parameter { name, .. } if name == "/tipline/nowhere"),
        "{missing}"
    );
}
