//! The sender's WhatsApp address: a phone number, or one of WhatsApp's business-scoped user ids.
//!
//! Since 2026 WhatsApp users may have a username and reach businesses under a business-scoped
//! user id (BSUID) instead of their phone number, so an address is never assumed to be a number.

use std::fmt;

/// Who a WhatsApp address names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WhatsAppIdentity {
    /// An E.164 phone number, `+` and 8 to 15 digits.
    Phone(String),
    /// A business-scoped user id such as `US.13491208655302741918`.
    BusinessScoped(String),
}

/// A `whatsapp:` channel address as Twilio writes it in `From` and `To`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WhatsAppAddress {
    identity: WhatsAppIdentity,
}

/// Why a string is not a WhatsApp address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAddress {
    #[error("the address does not start with `whatsapp:`")]
    NotWhatsApp,
    #[error("the phone number is not + followed by 8 to 15 digits")]
    BadPhoneNumber,
    #[error("the user id is empty, too long or has characters other than letters, digits, `.`, `_` and `-`")]
    BadUserId,
}

const PREFIX: &str = "whatsapp:";

impl WhatsAppAddress {
    /// Parses `whatsapp:+14155550100` or `whatsapp:US.1234…`.
    pub fn parse(raw: &str) -> Result<Self, InvalidAddress> {
        let rest = raw.strip_prefix(PREFIX).ok_or(InvalidAddress::NotWhatsApp)?;
        let identity = if let Some(digits) = rest.strip_prefix('+') {
            if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(InvalidAddress::BadPhoneNumber);
            }
            WhatsAppIdentity::Phone(rest.to_owned())
        } else {
            let ok = !rest.is_empty()
                && rest.len() <= 128
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !ok {
                return Err(InvalidAddress::BadUserId);
            }
            WhatsAppIdentity::BusinessScoped(rest.to_owned())
        };
        Ok(Self { identity })
    }

    /// Who the address names.
    pub fn identity(&self) -> &WhatsAppIdentity {
        &self.identity
    }

    /// The full address, `whatsapp:` included, for Twilio's `To` and the database.
    pub fn as_address(&self) -> String {
        match &self.identity {
            WhatsAppIdentity::Phone(id) | WhatsAppIdentity::BusinessScoped(id) => format!("{PREFIX}{id}"),
        }
    }

    /// A form safe for logs: enough to tell senders apart in an incident, not enough to call them.
    pub fn masked(&self) -> String {
        match &self.identity {
            WhatsAppIdentity::Phone(number) => mask_keep(number, 4, 2),
            WhatsAppIdentity::BusinessScoped(id) => mask_keep(id, 3, 2),
        }
    }
}

/// Masks any phone-like string for logs; for strings that failed to parse as an address too.
pub fn mask(raw: &str) -> String {
    match WhatsAppAddress::parse(raw) {
        Ok(address) => address.masked(),
        Err(_) => mask_keep(raw, 2, 0),
    }
}

fn mask_keep(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

impl fmt::Display for WhatsAppAddress {
    /// Displays masked, so an address dropped into a log line by accident leaks nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_phones_and_business_scoped_ids() {
        let cases: &[(&str, Result<WhatsAppIdentity, InvalidAddress>)] = &[
            (
                "whatsapp:+14155550100",
                Ok(WhatsAppIdentity::Phone("+14155550100".into())),
            ),
            (
                "whatsapp:US.13491208655302741918",
                Ok(WhatsAppIdentity::BusinessScoped("US.13491208655302741918".into())),
            ),
            ("+14155550100", Err(InvalidAddress::NotWhatsApp)),
            ("whatsapp:+1415", Err(InvalidAddress::BadPhoneNumber)),
            ("whatsapp:+1415555010a", Err(InvalidAddress::BadPhoneNumber)),
            ("whatsapp:", Err(InvalidAddress::BadUserId)),
            ("whatsapp:US 1", Err(InvalidAddress::BadUserId)),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                WhatsAppAddress::parse(raw).map(|a| a.identity().clone()),
                expected.clone(),
                "{raw}"
            );
        }
    }

    #[test]
    fn masks_for_logs() {
        let phone = WhatsAppAddress::parse("whatsapp:+14155550100").expect("valid");
        assert_eq!(phone.masked(), "+141******00");
        assert_eq!(phone.to_string(), "+141******00");
        assert_eq!(phone.as_address(), "whatsapp:+14155550100");
        let bsuid = WhatsAppAddress::parse("whatsapp:US.1349120865").expect("valid");
        assert_eq!(bsuid.masked(), "US.********65");
        assert_eq!(mask("garbage-number"), "ga************");
    }
}
