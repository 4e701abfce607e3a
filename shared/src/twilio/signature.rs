//! Twilio's webhook signature (`X-Twilio-Signature`), computed exactly as Twilio's own SDKs do.
//!
//! The string signed is the full URL Twilio requested followed by every POST parameter, sorted
//! by name, each name's values de-duplicated and sorted, concatenated without delimiters. JSON
//! bodies are signed over the URL alone, which carries `bodySHA256` of the raw body. The SDKs
//! accept the URL with and without its port, because Twilio's own signing is inconsistent there.
//! Requests signed with a Twilio shared key name the key and algorithm in
//! `X-Twilio-Webhooks-Signature-Settings`.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Digest as _;
use subtle::ConstantTimeEq;

use crate::secret::Secret;

/// The HMAC a signature was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA1: the Auth Token signature, and shared keys that ask for it.
    HmacSha1,
    /// HMAC-SHA256: shared keys only.
    HmacSha256,
}

impl Algorithm {
    /// Parses Twilio's algorithm name (`HMAC_SHA1`, `HMAC_SHA256`), case-insensitively as the SDKs do.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_uppercase().as_str() {
            "HMAC_SHA1" => Some(Self::HmacSha1),
            "HMAC_SHA256" => Some(Self::HmacSha256),
            _ => None,
        }
    }
}

/// What was signed besides the URL.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// Form parameters in the order received; repeated names allowed.
    Form(&'a [(String, String)]),
    /// A raw JSON body; its SHA-256 travels in the URL's `bodySHA256` query parameter.
    Json(&'a [u8]),
}

/// Why a request's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the X-Twilio-Signature header is missing")]
    Missing,
    #[error("the signature does not match any configured key")]
    Mismatch,
    #[error("the JSON body does not match the bodySHA256 in the URL")]
    BodyHashMismatch,
    #[error("a JSON body was sent without bodySHA256 in the URL")]
    BodyHashMissing,
    #[error("the signature settings name an unknown shared key")]
    UnknownKey,
    #[error("the signature settings name an unsupported algorithm")]
    UnsupportedAlgorithm,
}

/// The string Twilio signs: the URL followed by the sorted, de-duplicated parameters.
pub fn string_to_sign(url: &str, params: &[(String, String)]) -> String {
    let mut by_name: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, value) in params {
        by_name.entry(name).or_default().insert(value);
    }
    // Rust orders `str` by UTF-8 bytes, which is code point order: the order Python's sorted() uses.
    let mut out = String::with_capacity(url.len() + params.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>());
    out.push_str(url);
    for (name, values) in by_name {
        for value in values {
            out.push_str(name);
            out.push_str(value);
        }
    }
    out
}

/// Base64 of the HMAC of `data` under `key`: what `X-Twilio-Signature` carries.
pub fn hmac_base64(algorithm: Algorithm, key: &[u8], data: &[u8]) -> String {
    let digest = match algorithm {
        Algorithm::HmacSha1 => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC accepts keys of any length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Algorithm::HmacSha256 => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
    };
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// Signs a form webhook as Twilio would: for tests, the CLI's `send`, and the benchmarks.
pub fn sign(algorithm: Algorithm, key: &Secret, url: &str, params: &[(String, String)]) -> String {
    hmac_base64(
        algorithm,
        key.expose().as_bytes(),
        string_to_sign(url, params).as_bytes(),
    )
}

/// Hex SHA-256 of a raw body, the value Twilio puts in `bodySHA256`.
pub fn body_sha256(body: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(body))
}

/// Checks one signature against one key, trying the URL with and without its port as Twilio's
/// SDKs do. `url` is the full URL, query string included.
pub fn verify(
    algorithm: Algorithm,
    key: &Secret,
    url: &str,
    payload: Payload<'_>,
    signature: &str,
) -> Result<(), SignatureError> {
    let body_ok = match payload {
        Payload::Form(_) => true,
        Payload::Json(body) => {
            let expected = query_value(url, "bodySHA256").ok_or(SignatureError::BodyHashMissing)?;
            constant_time_eq(&body_sha256(body), &expected)
        }
    };
    let params: &[(String, String)] = match payload {
        Payload::Form(params) => params,
        Payload::Json(_) => &[],
    };
    let mut matched = false;
    for candidate in [url_without_port(url), url_with_port(url)] {
        let computed = hmac_base64(
            algorithm,
            key.expose().as_bytes(),
            string_to_sign(&candidate, params).as_bytes(),
        );
        // Both candidates are always computed so the time taken does not reveal which one matched.
        matched |= constant_time_eq(&computed, signature);
    }
    match (matched, body_ok) {
        (true, true) => Ok(()),
        (true, false) => Err(SignatureError::BodyHashMismatch),
        (false, _) => Err(SignatureError::Mismatch),
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The first non-empty value of a query parameter, form-decoded (Python's `parse_qs` skips blanks).
fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.into_owned())
}

/// The URL split around its authority (`host[:port]`), as Python's `urlparse` splits it.
struct UrlParts<'a> {
    scheme: &'a str,
    before_authority: &'a str,
    authority: &'a str,
    rest: &'a str,
}

fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let scheme_end = url.find("://")?;
    let authority_start = scheme_end + 3;
    let authority_len = url[authority_start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - authority_start);
    Some(UrlParts {
        scheme: &url[..scheme_end],
        before_authority: &url[..authority_start],
        authority: &url[authority_start..authority_start + authority_len],
        rest: &url[authority_start + authority_len..],
    })
}

/// The port the authority names, when it names a usable one (Python treats an absent or zero port alike).
fn explicit_port(authority: &str) -> Option<&str> {
    let (_, port) = authority.rsplit_once(':')?;
    match port.parse::<u16>() {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(port),
    }
}

/// The URL without any explicit port (Twilio's SDKs strip any port, not only the default one).
pub fn url_without_port(url: &str) -> String {
    match split_url(url) {
        Some(parts) if explicit_port(parts.authority).is_some() => {
            let host = parts.authority.split(':').next().unwrap_or_default();
            format!("{}{}{}", parts.before_authority, host, parts.rest)
        }
        _ => url.to_owned(),
    }
}

/// The URL with the scheme's default port added when it names none.
pub fn url_with_port(url: &str) -> String {
    match split_url(url) {
        Some(parts) if explicit_port(parts.authority).is_none() => {
            let port = if parts.scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            format!("{}{}:{}{}", parts.before_authority, parts.authority, port, parts.rest)
        }
        _ => url.to_owned(),
    }
}

/// One key a request may be signed with.
#[derive(Debug, Clone)]
pub struct SharedKey {
    /// The shared key's id, as named in `X-Twilio-Webhooks-Signature-Settings`.
    pub id: String,
    /// Its secret.
    pub secret: Secret,
}

/// The signature settings header parsed: which shared key and algorithm signed the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureSettings {
    pub key_id: Option<String>,
    pub algorithm: Option<String>,
}

impl SignatureSettings {
    /// Parses `key=<id>,algorithm=<alg>`; an absent header or one without `algorithm=` means the
    /// legacy Auth Token signature.
    pub fn parse(header: Option<&str>) -> Self {
        let mut settings = Self {
            key_id: None,
            algorithm: None,
        };
        for part in header.unwrap_or_default().split(',') {
            if let Some((name, value)) = part.split_once('=') {
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                match name.trim() {
                    "key" => settings.key_id = Some(value.to_owned()),
                    "algorithm" => settings.algorithm = Some(value.to_owned()),
                    _ => {}
                }
            }
        }
        settings
    }

    fn is_legacy(&self) -> bool {
        self.algorithm.is_none()
    }
}

/// Checks webhook signatures against the configured public URL and every valid key.
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    public_url: String,
    auth_tokens: Vec<Secret>,
    shared_keys: Vec<SharedKey>,
}

/// What one request brings for verification.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// The raw query string as received (no leading `?`); Twilio appends `bodySHA256` here.
    pub raw_query: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub settings: Option<&'a str>,
    pub payload: Payload<'a>,
}

impl WebhookVerifier {
    /// `auth_tokens` holds every token valid right now, so a rotation never refuses real traffic.
    pub fn new(public_url: impl Into<String>, auth_tokens: Vec<Secret>, shared_keys: Vec<SharedKey>) -> Self {
        Self {
            public_url: public_url.into(),
            auth_tokens,
            shared_keys,
        }
    }

    /// The URL Twilio was configured with.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The URL that was signed: scheme, host and path always from configuration (never from
    /// request headers, which a proxy rewrites); the query string exactly as received, since
    /// Twilio adds `bodySHA256` to it.
    pub fn signed_url(&self, raw_query: Option<&str>) -> String {
        match raw_query.filter(|q| !q.is_empty()) {
            Some(query) => {
                let base = self.public_url.split(['?', '#']).next().unwrap_or_default();
                format!("{base}?{query}")
            }
            None => self.public_url.clone(),
        }
    }

    /// Accepts the request when any configured key produced its signature.
    pub fn verify(&self, request: &SignedRequest<'_>) -> Result<(), SignatureError> {
        let signature = request
            .signature
            .filter(|s| !s.is_empty())
            .ok_or(SignatureError::Missing)?;
        let url = self.signed_url(request.raw_query);
        let settings = SignatureSettings::parse(request.settings);
        if settings.is_legacy() {
            return first_match(self.auth_tokens.iter(), |token| {
                verify(Algorithm::HmacSha1, token, &url, request.payload, signature)
            });
        }
        let algorithm = settings
            .algorithm
            .as_deref()
            .and_then(Algorithm::parse)
            .ok_or(SignatureError::UnsupportedAlgorithm)?;
        let key_id = settings.key_id.as_deref().ok_or(SignatureError::UnknownKey)?;
        let keys = self.shared_keys.iter().filter(|k| k.id == key_id).map(|k| &k.secret);
        let mut keys = keys.peekable();
        if keys.peek().is_none() {
            return Err(SignatureError::UnknownKey);
        }
        first_match(keys, |secret| {
            verify(algorithm, secret, &url, request.payload, signature)
        })
    }
}

/// The first success, or the most telling failure (a body hash mismatch over a plain mismatch).
fn first_match<'a>(
    keys: impl Iterator<Item = &'a Secret>,
    check: impl Fn(&Secret) -> Result<(), SignatureError>,
) -> Result<(), SignatureError> {
    let mut error = SignatureError::Mismatch;
    for key in keys {
        match check(key) {
            Ok(()) => return Ok(()),
            Err(SignatureError::Mismatch) => {}
            Err(other) => error = other,
        }
    }
    Err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn published_params() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    #[test]
    fn twilio_published_vectors() {
        let token = Secret::new(TOKEN);
        let params = published_params();
        let cases = [
            (URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            (
                "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                "kvajT1Ptam85bY51eRf/AJRuM3w=",
            ),
            (
                "http://mycompany.com:80/myapp.php?foo=1&bar=2",
                "0ZXoZLH/DfblKGATFgpif+LLRf4=",
            ),
            (
                "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(sign(Algorithm::HmacSha1, &token, url, &params), expected, "{url}");
            assert_eq!(
                verify(Algorithm::HmacSha1, &token, url, Payload::Form(&params), expected),
                Ok(()),
                "{url}"
            );
        }
    }

    #[test]
    fn port_variants_validate_both_ways() {
        let token = Secret::new(TOKEN);
        let params = published_params();
        // Signed without the port, configured with it, and the other way round.
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                Payload::Form(&params),
                "RSOYDt4T1cUTdK1PDd93/VVr8B8="
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                URL,
                Payload::Form(&params),
                "kvajT1Ptam85bY51eRf/AJRuM3w="
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                Payload::Form(&params),
                "RSOYDt4T1cUTdK1PDd93/VVr8B8="
            ),
            Ok(())
        );
    }

    #[test]
    fn repeated_keys_are_deduplicated_and_sorted() {
        let params = pairs(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            sign(Algorithm::HmacSha1, &Secret::new(TOKEN), URL, &params),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }

    #[test]
    fn json_body_uses_body_sha256() {
        let body = br#"{"property": "value", "boolean": true}"#;
        let hash = body_sha256(body);
        assert_eq!(hash, "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
        let url = format!("{URL}&bodySHA256={hash}");
        let token = Secret::new(TOKEN);
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                &url,
                Payload::Json(body),
                "a9nBmqA0ju/hNViExpshrM61xv4="
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                &url,
                Payload::Json(b"{\"property\": \"other\"}"),
                "a9nBmqA0ju/hNViExpshrM61xv4="
            ),
            Err(SignatureError::BodyHashMismatch)
        );
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                URL,
                Payload::Json(body),
                "a9nBmqA0ju/hNViExpshrM61xv4="
            ),
            Err(SignatureError::BodyHashMissing)
        );
    }

    #[test]
    fn one_changed_byte_fails() {
        let token = Secret::new(TOKEN);
        let params = published_params();
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &token,
                URL,
                Payload::Form(&params),
                "RSOYDt4T1cUTdK1PDd93/VVr8B9="
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                Algorithm::HmacSha1,
                &Secret::new("12346"),
                URL,
                Payload::Form(&params),
                "RSOYDt4T1cUTdK1PDd93/VVr8B8="
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(Algorithm::HmacSha1, &token, URL, Payload::Form(&params), ""),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn url_port_helpers_match_the_sdks() {
        let cases = [
            ("https://a.com/x", "https://a.com/x", "https://a.com:443/x"),
            ("http://a.com/x?q=1", "http://a.com/x?q=1", "http://a.com:80/x?q=1"),
            ("https://a.com:8443/x", "https://a.com/x", "https://a.com:8443/x"),
            ("https://a.com", "https://a.com", "https://a.com:443"),
            ("https://a.com?x=1:2", "https://a.com?x=1:2", "https://a.com:443?x=1:2"),
        ];
        for (url, without, with) in cases {
            assert_eq!(url_without_port(url), without, "{url}");
            assert_eq!(url_with_port(url), with, "{url}");
        }
    }

    fn verifier() -> WebhookVerifier {
        WebhookVerifier::new(
            "https://hooks.example.com/twilio/whatsapp",
            vec![Secret::new("old-token"), Secret::new("new-token")],
            vec![SharedKey {
                id: "webhooks_sharedkey_1".into(),
                secret: Secret::new("shared-secret"),
            }],
        )
    }

    #[test]
    fn rotation_accepts_every_configured_token() {
        let verifier = verifier();
        let params = pairs(&[("Body", "hi")]);
        for token in ["old-token", "new-token"] {
            let signature = sign(Algorithm::HmacSha1, &Secret::new(token), verifier.public_url(), &params);
            let request = SignedRequest {
                raw_query: None,
                signature: Some(&signature),
                settings: None,
                payload: Payload::Form(&params),
            };
            assert_eq!(verifier.verify(&request), Ok(()), "{token}");
        }
        let signature = sign(
            Algorithm::HmacSha1,
            &Secret::new("stale"),
            verifier.public_url(),
            &params,
        );
        let request = SignedRequest {
            raw_query: None,
            signature: Some(&signature),
            settings: None,
            payload: Payload::Form(&params),
        };
        assert_eq!(verifier.verify(&request), Err(SignatureError::Mismatch));
        let request = SignedRequest {
            raw_query: None,
            signature: None,
            settings: None,
            payload: Payload::Form(&params),
        };
        assert_eq!(verifier.verify(&request), Err(SignatureError::Missing));
    }

    #[test]
    fn shared_keys_sign_with_their_own_secret_and_algorithm() {
        let verifier = verifier();
        let params = pairs(&[("Body", "hi")]);
        let signature = sign(
            Algorithm::HmacSha256,
            &Secret::new("shared-secret"),
            verifier.public_url(),
            &params,
        );
        let ok = SignedRequest {
            raw_query: None,
            signature: Some(&signature),
            settings: Some("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"),
            payload: Payload::Form(&params),
        };
        assert_eq!(verifier.verify(&ok), Ok(()));
        let unknown_key = SignedRequest {
            settings: Some("key=other,algorithm=HMAC_SHA256"),
            ..ok
        };
        assert_eq!(verifier.verify(&unknown_key), Err(SignatureError::UnknownKey));
        let bad_algorithm = SignedRequest {
            settings: Some("key=webhooks_sharedkey_1,algorithm=HMAC_MD5"),
            ..ok
        };
        assert_eq!(
            verifier.verify(&bad_algorithm),
            Err(SignatureError::UnsupportedAlgorithm)
        );
        // The auth token does not stand in for a shared key.
        let token_signed = sign(
            Algorithm::HmacSha256,
            &Secret::new("new-token"),
            verifier.public_url(),
            &params,
        );
        let wrong_secret = SignedRequest {
            signature: Some(&token_signed),
            ..ok
        };
        assert_eq!(verifier.verify(&wrong_secret), Err(SignatureError::Mismatch));
    }

    #[test]
    fn query_comes_from_the_request_and_the_rest_from_configuration() {
        let verifier = verifier();
        assert_eq!(verifier.signed_url(None), "https://hooks.example.com/twilio/whatsapp");
        assert_eq!(
            verifier.signed_url(Some("bodySHA256=ab")),
            "https://hooks.example.com/twilio/whatsapp?bodySHA256=ab"
        );
    }
}
