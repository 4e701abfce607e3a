//! Lambda's HTTP event (payload format 2.0, shared by HTTP API and Function URLs) in and out.

use std::collections::HashMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// A transport-neutral HTTP request: what the handler needs, whichever front door it came through.
#[derive(Debug, Clone, Default)]
pub struct WebhookRequest {
    pub method: String,
    /// Header names lower-cased; repeated headers joined with commas, as API Gateway does.
    pub headers: HashMap<String, String>,
    /// The query string exactly as received, without `?`.
    pub raw_query: Option<String>,
    pub body: Vec<u8>,
}

impl WebhookRequest {
    /// A header's value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A transport-neutral HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// Extra headers (e.g. `Allow` on 405).
    pub headers: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HttpEventV2 {
    #[serde(default)]
    raw_query_string: Option<String>,
    #[serde(default)]
    headers: HashMap<String, String>,
    request_context: RequestContext,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    is_base64_encoded: bool,
}

#[derive(Debug, Deserialize)]
struct RequestContext {
    http: HttpContext,
}

#[derive(Debug, Deserialize)]
struct HttpContext {
    method: String,
}

/// Why an invocation payload is not an HTTP event.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("the invocation is not an HTTP API v2 or Function URL event: {0}")]
    Shape(#[from] serde_json::Error),
    #[error("the body is marked base64 but does not decode: {0}")]
    Base64(#[from] base64::DecodeError),
}

/// Reads a Lambda HTTP event (HTTP API v2 or Function URL) into a [`WebhookRequest`].
pub fn from_lambda(event: serde_json::Value) -> Result<WebhookRequest, EventError> {
    let event: HttpEventV2 = serde_json::from_value(event)?;
    let body = match event.body {
        None => Vec::new(),
        Some(body) if event.is_base64_encoded => base64::engine::general_purpose::STANDARD.decode(body.as_bytes())?,
        Some(body) => body.into_bytes(),
    };
    Ok(WebhookRequest {
        method: event.request_context.http.method.to_ascii_uppercase(),
        headers: event
            .headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect(),
        raw_query: event.raw_query_string.filter(|q| !q.is_empty()),
        body,
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HttpResponseV2 {
    status_code: u16,
    headers: HashMap<&'static str, &'static str>,
    body: String,
    is_base64_encoded: bool,
    /// Always empty; AWS tolerates its absence, but `cargo lambda watch`'s Function URL
    /// emulation answers 500 without it, as `lambda_http` always sends it.
    cookies: Vec<String>,
}

/// Writes a [`WebhookResponse`] as the JSON Lambda expects back from an HTTP event.
pub fn to_lambda(response: WebhookResponse) -> serde_json::Value {
    let mut headers: HashMap<&'static str, &'static str> = response.headers.into_iter().collect();
    headers.insert("content-type", response.content_type);
    serde_json::to_value(HttpResponseV2 {
        status_code: response.status,
        headers,
        body: response.body,
        is_base64_encoded: false,
        cookies: Vec::new(),
    })
    .expect("a response always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_has_every_field_lambda_http_sends() {
        let value = to_lambda(WebhookResponse {
            status: 200,
            content_type: "text/xml",
            body: "<Response/>".into(),
            headers: Vec::new(),
        });
        for field in ["statusCode", "headers", "body", "isBase64Encoded", "cookies"] {
            assert!(value.get(field).is_some(), "{field} missing from {value}");
        }
        assert_eq!(value["cookies"], serde_json::json!([]));
        assert_eq!(value["headers"]["content-type"], "text/xml");
    }
}
