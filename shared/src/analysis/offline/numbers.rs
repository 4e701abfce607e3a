//! Phone numbers that cost the person who calls or texts them: premium-rate lines
//! (UK 09…, 087…; US/Canada 1-900) and "text WORD to 80086"-style short codes, the way
//! prize and subscription spam gets paid.

use super::signal::{Advice, Signal};
use super::text::Words;

/// Verbs that send a text or call to a number.
const CONTACT: &[&str] = &[
    "text", "txt", "send", "reply", "sms", "call", "ring", "envia", "manda", "envie", "sende", "envoyez", "kirim",
];

/// Signals for premium-rate numbers and paid short codes in the normalised words.
pub(super) fn signals(words: &Words) -> Vec<Signal> {
    let mut out = Vec::new();
    let all: Vec<&str> = words
        .as_str()
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(4_000)
        .collect();
    let premium = all.iter().enumerate().find_map(|(i, w)| {
        let digits = w.bytes().all(|b| b.is_ascii_digit());
        let uk = digits && w.len() == 11 && (w.starts_with("09") || w.starts_with("087"));
        let us = *w == "900" && all.get(i.wrapping_sub(1)).is_some_and(|p| *p == "1") && i > 0;
        (uk || us).then_some(*w)
    });
    if let Some(number) = premium {
        let shown = if number == "900" { "1-900" } else { number };
        out.push(Signal {
            rule: "premium_rate_number",
            weight: 0.45,
            reason: format!("It asks you to call a premium-rate number ({shown}…), which charges you by the minute."),
            advice: Advice::Prize,
        });
    }
    let short_code = all.windows(4).any(|w| {
        let code = |s: &str| (5..=6).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        let to = |s: &str| matches!(s, "to" | "al" | "para" | "an" | "au" | "ke");
        CONTACT.contains(&w[0]) && ((to(w[2]) && code(w[3])) || (to(w[1]) && code(w[2])))
    });
    if short_code {
        out.push(Signal {
            rule: "short_code",
            weight: 0.3,
            reason: "It asks you to text a short code, which can sign you up to paid messages.".to_owned(),
            advice: Advice::Prize,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<&'static str> {
        let mut words = Words::with_capacity(text.len());
        for token in text.split_whitespace() {
            words.push_token(token);
        }
        signals(&words).into_iter().map(|s| s.rule).collect()
    }

    #[test]
    fn finds_paid_numbers() {
        let cases: &[(&str, &[&str])] = &[
            ("To claim call 09061701461 now", &["premium_rate_number"]),
            ("Call 1-900-555-0199 for your prize", &["premium_rate_number"]),
            ("Text WIN to 80086 to enter", &["short_code"]),
            ("txt STOP to 87239", &["short_code"]),
            ("Call me on 07700900461", &[]),
            ("Meet at 10 to 12345 street", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(rules(text), *expected, "{text}");
        }
    }
}
