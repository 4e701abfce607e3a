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

/// The fewest digits a run needs to count as a phone number: E.164's shortest (see [`WhatsAppAddress::parse`]).
const MIN_PHONE_DIGITS: usize = 8;

/// Characters that may sit between the digit groups of a written number: `+1 (415) 555-0123`.
const NUMBER_SEPARATORS: [char; 5] = [' ', '-', '.', '(', ')'];

/// Masks every phone-number-like run in free text (error messages from Twilio, the database,
/// anything bound for a log line or an error column), leaving the rest as it is.
///
/// A run is an optional `+`, then at least eight digits, possibly grouped by spaces, dashes,
/// dots or parentheses, and not part of a longer word, so message SIDs and hex ids stay whole.
/// It errs towards masking: an eight-digit date written `2026-11-22` is masked too.
pub fn mask_phone_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < chars.len() {
        match phone_run_end(&chars, at) {
            Some(end) => {
                mask_digits(&chars[at..end], &mut out);
                at = end;
            }
            None => {
                out.push(chars[at]);
                at += 1;
            }
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where a phone-number-like run starting at `start` ends, if one starts there.
fn phone_run_end(chars: &[char], start: usize) -> Option<usize> {
    if start > 0 && (is_word_char(chars[start - 1]) || chars[start - 1] == '+') {
        return None;
    }
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut i = start;
    match chars[i] {
        '+' | '(' if digit_at(i + 1) => i += 1,
        c if c.is_ascii_digit() => {}
        _ => return None,
    }
    let mut digits = 0;
    let mut end = i;
    loop {
        if digit_at(i) {
            digits += 1;
            i += 1;
            end = i;
            continue;
        }
        // At most two separators in a row (`) ` in `(415) 555`), and only before another digit.
        let mut j = i;
        while j < i + 2 && chars.get(j).is_some_and(|c| NUMBER_SEPARATORS.contains(c)) {
            j += 1;
        }
        if j > i && digit_at(j) {
            i = j;
        } else {
            break;
        }
    }
    let ends_a_word = chars.get(end).is_none_or(|c| !is_word_char(*c));
    (digits >= MIN_PHONE_DIGITS && ends_a_word).then_some(end)
}

/// Writes a run with all but its first digits (three after a `+`, else two) and last two starred,
/// keeping `+` and separators: `+14155550123` becomes `+141******23`, as [`WhatsAppAddress::masked`].
fn mask_digits(run: &[char], out: &mut String) {
    let total = run.iter().filter(|c| c.is_ascii_digit()).count();
    let head = if run.first() == Some(&'+') { 3 } else { 2 };
    let mut seen = 0;
    for &c in run {
        if c.is_ascii_digit() {
            seen += 1;
            out.push(if seen <= head || seen > total - 2 { c } else { '*' });
        } else {
            out.push(c);
        }
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

    #[test]
    fn masks_every_phone_number_in_free_text() {
        let cases: &[(&str, &str)] = &[
            (
                "The 'To' number whatsapp:+14155550123 is not a valid phone number.",
                "The 'To' number whatsapp:+141******23 is not a valid phone number.",
            ),
            ("To +14155550123", "To +141******23"),
            (
                "twice: +14155550123, +447700900123.",
                "twice: +141******23, +447*******23.",
            ),
            ("(+1 415-555-0123)", "(+1 41*-***-**23)"),
            ("call +1 (415) 555 0123 now", "call +1 (41*) *** **23 now"),
            ("national 07700 900123", "national 07*** ****23"),
            ("dotted 415.555.0123", "dotted 41*.***.**23"),
            (
                "business id US.13491208655302741918",
                "business id US.13****************18",
            ),
            ("eight 12345678", "eight 12****78"),
            // Not phone numbers: too short, or part of a word (SIDs, hex ids).
            ("HTTP 400, code 21211", "HTTP 400, code 21211"),
            ("seven 1234567", "seven 1234567"),
            (
                "SM1234567890abcdef1234567890abcdef",
                "SM1234567890abcdef1234567890abcdef",
            ),
            ("id 1234567890abc", "id 1234567890abc"),
            ("a sum of 1 234", "a sum of 1 234"),
            ("", ""),
            ("ünïcödé +14155550123 ✓", "ünïcödé +141******23 ✓"),
        ];
        for (raw, expected) in cases {
            assert_eq!(mask_phone_numbers(raw), *expected, "{raw}");
        }
    }
}
