//! An inbound WhatsApp message: the webhook form turned into domain values.

use crate::domain::{MessageSid, WhatsAppAddress};
use crate::twilio::form::TwilioForm;

/// WhatsApp carries at most 10 media items per message; more is not a real Twilio webhook.
pub const MAX_MEDIA: usize = 10;

/// One attached media item as the webhook announces it (downloaded later, by the processor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef {
    /// `MediaUrlN`: an absolute http(s) URL; whether it is Twilio's is checked before download.
    pub url: String,
    /// `MediaContentTypeN`, e.g. `image/jpeg`.
    pub content_type: String,
}

/// A shared location (`Latitude`, `Longitude`, optional `Address` and `Label`).
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    pub address: Option<String>,
    pub label: Option<String>,
}

/// A quick-reply button press (`ButtonText`, `ButtonPayload`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonReply {
    pub text: Option<String>,
    pub payload: Option<String>,
}

/// A parsed inbound WhatsApp message; the raw form is kept whole beside the typed view.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    pub form: TwilioForm,
    pub message_sid: MessageSid,
    pub account_sid: Option<String>,
    pub from: WhatsAppAddress,
    pub to: Option<String>,
    pub body: String,
    pub media: Vec<MediaRef>,
    pub profile_name: Option<String>,
    pub wa_id: Option<String>,
    pub forwarded: bool,
    pub frequently_forwarded: bool,
    pub message_type: Option<String>,
    pub location: Option<Location>,
    pub button: Option<ButtonReply>,
}

/// Why a form is not an inbound WhatsApp message; each names the parameter at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboundError {
    #[error("parameter {0} is missing")]
    Missing(&'static str),
    #[error("parameter {name} is invalid: {reason}")]
    Invalid { name: String, reason: String },
}

fn invalid(name: impl Into<String>, reason: impl ToString) -> InboundError {
    InboundError::Invalid {
        name: name.into(),
        reason: reason.to_string(),
    }
}

fn non_empty(form: &TwilioForm, name: &str) -> Option<String> {
    form.get(name).filter(|v| !v.is_empty()).map(str::to_owned)
}

fn flag(form: &TwilioForm, name: &'static str) -> Result<bool, InboundError> {
    match form.get(name).map(str::trim) {
        None | Some("") => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(invalid(name, "expected true or false")),
    }
}

fn coordinate(form: &TwilioForm, name: &'static str, limit: f64) -> Result<Option<f64>, InboundError> {
    match non_empty(form, name) {
        None => Ok(None),
        Some(raw) => match raw.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Ok(Some(v)),
            _ => Err(invalid(name, format!("expected a number within ±{limit}"))),
        },
    }
}

impl TryFrom<TwilioForm> for InboundMessage {
    type Error = InboundError;

    fn try_from(form: TwilioForm) -> Result<Self, Self::Error> {
        let message_sid = MessageSid::parse(form.get("MessageSid").ok_or(InboundError::Missing("MessageSid"))?)
            .map_err(|e| invalid("MessageSid", e))?;
        let from = WhatsAppAddress::parse(form.get("From").ok_or(InboundError::Missing("From"))?)
            .map_err(|e| invalid("From", e))?;

        let num_media = match form.get("NumMedia").map(str::trim) {
            None | Some("") => 0,
            Some(raw) => raw
                .parse::<usize>()
                .map_err(|_| invalid("NumMedia", "expected a whole number"))?,
        };
        if num_media > MAX_MEDIA {
            return Err(invalid("NumMedia", format!("at most {MAX_MEDIA} media items")));
        }
        let mut media = Vec::with_capacity(num_media);
        for index in 0..num_media {
            let url_name = format!("MediaUrl{index}");
            let url = non_empty(&form, &url_name)
                .ok_or_else(|| invalid(url_name.clone(), "missing while NumMedia counts it"))?;
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(url_name, "expected an absolute http(s) URL"));
            }
            let type_name = format!("MediaContentType{index}");
            let content_type =
                non_empty(&form, &type_name).ok_or_else(|| invalid(type_name, "missing while NumMedia counts it"))?;
            media.push(MediaRef { url, content_type });
        }

        let location = match (
            coordinate(&form, "Latitude", 90.0)?,
            coordinate(&form, "Longitude", 180.0)?,
        ) {
            (Some(latitude), Some(longitude)) => Some(Location {
                latitude,
                longitude,
                address: non_empty(&form, "Address"),
                label: non_empty(&form, "Label"),
            }),
            (None, None) => None,
            (Some(_), None) => return Err(InboundError::Missing("Longitude")),
            (None, Some(_)) => return Err(InboundError::Missing("Latitude")),
        };
        let button = match (non_empty(&form, "ButtonText"), non_empty(&form, "ButtonPayload")) {
            (None, None) => None,
            (text, payload) => Some(ButtonReply { text, payload }),
        };

        Ok(Self {
            message_sid,
            account_sid: non_empty(&form, "AccountSid"),
            from,
            to: non_empty(&form, "To"),
            body: form.get("Body").unwrap_or_default().to_owned(),
            media,
            profile_name: non_empty(&form, "ProfileName"),
            wa_id: non_empty(&form, "WaId"),
            forwarded: flag(&form, "Forwarded")?,
            frequently_forwarded: flag(&form, "FrequentlyForwarded")?,
            message_type: non_empty(&form, "MessageType"),
            location,
            button,
            form,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SID: &str = "SM0123456789abcdef0123456789abcdef";

    fn form(pairs: &[(&str, &str)]) -> TwilioForm {
        TwilioForm::from_pairs(pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect())
    }

    #[test]
    fn parses_a_text_message() {
        let message = InboundMessage::try_from(form(&[
            ("MessageSid", SID),
            ("From", "whatsapp:+14155550100"),
            ("To", "whatsapp:+14155238886"),
            ("Body", "Your parcel is held"),
            ("NumMedia", "0"),
            ("ProfileName", "Ana"),
            ("WaId", "14155550100"),
            ("Forwarded", "true"),
            ("MessageType", "text"),
            ("SomethingNew", "kept"),
        ]))
        .expect("valid");
        assert_eq!(message.message_sid.as_str(), SID);
        assert_eq!(message.body, "Your parcel is held");
        assert!(message.forwarded && !message.frequently_forwarded);
        assert_eq!(message.form.get("SomethingNew"), Some("kept"));
    }

    #[test]
    fn parses_media_location_and_buttons() {
        let message = InboundMessage::try_from(form(&[
            ("MessageSid", SID),
            ("From", "whatsapp:US.13491208655302741918"),
            ("NumMedia", "2"),
            ("MediaUrl0", "https://api.twilio.com/a"),
            ("MediaContentType0", "image/jpeg"),
            ("MediaUrl1", "https://api.twilio.com/b"),
            ("MediaContentType1", "application/pdf"),
            ("Latitude", "51.5"),
            ("Longitude", "-0.12"),
            ("Address", "London"),
            ("ButtonText", "Yes"),
        ]))
        .expect("valid");
        assert_eq!(message.media.len(), 2);
        assert_eq!(message.media[1].content_type, "application/pdf");
        assert_eq!(message.location.as_ref().map(|l| l.latitude), Some(51.5));
        assert_eq!(message.button.as_ref().and_then(|b| b.text.as_deref()), Some("Yes"));
    }

    #[test]
    fn errors_name_the_parameter() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("From", "whatsapp:+14155550100")], "MessageSid"),
            (
                &[("MessageSid", "nope"), ("From", "whatsapp:+14155550100")],
                "MessageSid",
            ),
            (&[("MessageSid", SID)], "From"),
            (&[("MessageSid", SID), ("From", "+14155550100")], "From"),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("NumMedia", "x"),
                ],
                "NumMedia",
            ),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("NumMedia", "11"),
                ],
                "NumMedia",
            ),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("NumMedia", "1"),
                ],
                "MediaUrl0",
            ),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("NumMedia", "1"),
                    ("MediaUrl0", "ftp://x"),
                ],
                "MediaUrl0",
            ),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("Forwarded", "maybe"),
                ],
                "Forwarded",
            ),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("Latitude", "91"),
                    ("Longitude", "0"),
                ],
                "Latitude",
            ),
            (
                &[
                    ("MessageSid", SID),
                    ("From", "whatsapp:+14155550100"),
                    ("Latitude", "1"),
                ],
                "Longitude",
            ),
        ];
        for (pairs, name) in cases {
            let error = InboundMessage::try_from(form(pairs)).expect_err("invalid");
            assert!(error.to_string().contains(name), "{error} should name {name}");
        }
    }
}
