//! Reading what a sender meant: a new tip to check, a request for help, or an answer to the
//! verdict they were just given (feedback, which is stored, never analysed as a tip).

use crate::analysis::reply::Rating;

/// What an inbound message is, before the sender's conversation state is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// `help`, `ajuda`, `ayuda`, `?`: explain the service.
    Help,
    /// `1`/`2`, yes/no and their Portuguese and Spanish forms: a rating of the last verdict.
    Rating(Rating),
    /// A short plain remark: feedback if a verdict was just given and not yet rated, else a tip.
    Remark,
    /// Anything else: something to check.
    Tip,
}

/// Longest text that can be a remark on a verdict rather than a message to check.
pub const MAX_REMARK_CHARS: usize = 80;

const HELP: &[&str] = &["help", "ajuda", "ayuda", "?", "menu", "info"];
const HELPFUL: &[&str] = &[
    "1",
    "yes",
    "y",
    "sim",
    "sí",
    "si",
    "👍",
    "helpful",
    "ok thanks",
    "thanks",
];
const NOT_HELPFUL: &[&str] = &["2", "no", "n", "não", "nao", "👎", "not helpful"];

/// Classifies a message's text. Forwarded messages and messages with media are always tips: a
/// rating is typed, and a forwarded "yes" is someone else's words.
pub fn classify(text: &str, forwarded: bool, has_media: bool) -> Intent {
    if forwarded || has_media {
        return Intent::Tip;
    }
    let normalized = text
        .trim()
        .trim_end_matches(['.', '!'])
        .trim()
        .to_lowercase()
        .replace('\u{fe0f}', "");
    if normalized.is_empty() {
        return Intent::Tip;
    }
    if HELP.contains(&normalized.as_str()) {
        return Intent::Help;
    }
    if HELPFUL.contains(&normalized.as_str()) {
        return Intent::Rating(Rating::Helpful);
    }
    if NOT_HELPFUL.contains(&normalized.as_str()) {
        return Intent::Rating(Rating::NotHelpful);
    }
    // Links, addresses and long numbers (phone numbers, codes, amounts) are what scams carry.
    let looks_like_content = normalized.contains("http")
        || normalized.contains("www.")
        || normalized.contains('@')
        || normalized
            .split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() >= 4);
    if normalized.chars().count() <= MAX_REMARK_CHARS && !looks_like_content {
        Intent::Remark
    } else {
        Intent::Tip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_help_ratings_remarks_and_tips() {
        let cases = [
            ("help", false, false, Intent::Help),
            (" Ajuda ", false, false, Intent::Help),
            ("?", false, false, Intent::Help),
            ("1", false, false, Intent::Rating(Rating::Helpful)),
            ("Yes!", false, false, Intent::Rating(Rating::Helpful)),
            ("sí", false, false, Intent::Rating(Rating::Helpful)),
            ("👍\u{fe0f}", false, false, Intent::Rating(Rating::Helpful)),
            ("2", false, false, Intent::Rating(Rating::NotHelpful)),
            ("NÃO", false, false, Intent::Rating(Rating::NotHelpful)),
            ("it was my bank after all", false, false, Intent::Remark),
            ("2", true, false, Intent::Tip),
            ("1", false, true, Intent::Tip),
            ("", false, false, Intent::Tip),
            ("pay at http://x.co", false, false, Intent::Tip),
            ("call 08001234", false, false, Intent::Tip),
            ("write to a@b.example", false, false, Intent::Tip),
            (
                "Dear customer your account is suspended, please verify your identity today to avoid closure",
                false,
                false,
                Intent::Tip,
            ),
        ];
        for (text, forwarded, media, expected) in cases {
            assert_eq!(classify(text, forwarded, media), expected, "{text:?}");
        }
    }
}
