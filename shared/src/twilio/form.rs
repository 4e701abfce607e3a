//! The raw webhook form: every parameter Twilio sent, in order, repeats included.
//!
//! Twilio adds parameters without notice, and the signature covers all of them, so nothing is
//! dropped here; typed access happens in [`crate::twilio::inbound`].

/// Why a body is not a usable `application/x-www-form-urlencoded` form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("the form is not valid UTF-8 once decoded (parameter #{index})")]
    NotUtf8 { index: usize },
}

/// Every received parameter in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TwilioForm {
    params: Vec<(String, String)>,
}

impl TwilioForm {
    /// Decodes a form body: split on `&`, then `=`, `+` as space, `%XX` escapes. A `%` not followed
    /// by two hex digits stays as it is, as the form decoders Twilio's SDKs sit behind do.
    pub fn parse(body: &[u8]) -> Result<Self, FormError> {
        let mut params = Vec::new();
        for (index, pair) in body.split(|b| *b == b'&').filter(|p| !p.is_empty()).enumerate() {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let name = decode(name).ok_or(FormError::NotUtf8 { index })?;
            let value = decode(value).ok_or(FormError::NotUtf8 { index })?;
            params.push((name, value));
        }
        Ok(Self { params })
    }

    /// Builds a form from pairs, in the order given.
    pub fn from_pairs(params: Vec<(String, String)>) -> Self {
        Self { params }
    }

    /// All parameters in the order received.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.params
    }

    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Encodes the form as a request body (for `tipline send` and tests).
    pub fn encode(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.params {
            serializer.append_pair(name, value);
        }
        serializer.finish()
    }
}

fn decode(raw: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_a_form_decoder() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("", &[]),
            ("a=1&b=2", &[("a", "1"), ("b", "2")]),
            ("Body=hello+world%21", &[("Body", "hello world!")]),
            ("a=1&a=1&a=2", &[("a", "1"), ("a", "1"), ("a", "2")]),
            ("flag&x=", &[("flag", ""), ("x", "")]),
            ("a=%E2%9C%93", &[("a", "✓")]),
            ("a=100%", &[("a", "100%")]),
            ("a=%zz", &[("a", "%zz")]),
            ("a=b=c", &[("a", "b=c")]),
            ("&&a=1&", &[("a", "1")]),
            ("Body=a%26b%3Dc", &[("Body", "a&b=c")]),
        ];
        for (body, expected) in cases {
            let form = TwilioForm::parse(body.as_bytes()).expect(body);
            let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
            assert_eq!(form.pairs(), expected.as_slice(), "{body}");
        }
    }

    #[test]
    fn invalid_utf8_is_an_error_naming_the_parameter() {
        assert_eq!(TwilioForm::parse(b"a=1&b=%FF"), Err(FormError::NotUtf8 { index: 1 }));
    }

    #[test]
    fn encode_round_trips() {
        let form = TwilioForm::from_pairs(vec![("Body".into(), "a&b=c +✓".into()), ("Body".into(), String::new())]);
        assert_eq!(TwilioForm::parse(form.encode().as_bytes()).expect("round trip"), form);
    }
}
