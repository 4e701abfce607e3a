//! Reading what a sender meant: a new tip to check, a request for help, or an answer to the
//! verdict they were just given (feedback, which is stored, never analysed as a tip), or a
//! question about their data (the privacy notice, a deletion request and its confirmation).

use crate::analysis::reply::Rating;

/// What an inbound message is, before the sender's conversation state is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// `help`, `ajuda`, `ayuda`, `?`: explain the service.
    Help,
    /// `privacy` and its translations: the privacy notice again.
    Privacy,
    /// "delete my data" and its translations: asks for confirmation before anything is erased.
    DeleteData,
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
const PRIVACY: &[&str] = &[
    "privacy",
    "privacidad",
    "privacidade",
    "confidentialité",
    "confidentialite",
    "datenschutz",
    "privasi",
];
const DELETE_DATA: &[&str] = &[
    "delete my data",
    "delete my info",
    "delete my information",
    "erase my data",
    "borrar mis datos",
    "borra mis datos",
    "eliminar mis datos",
    "elimina mis datos",
    "apagar meus dados",
    "apague meus dados",
    "apagar os meus dados",
    "excluir meus dados",
    "exclua meus dados",
    "supprimer mes données",
    "supprimer mes donnees",
    "effacer mes données",
    "effacer mes donnees",
    "meine daten löschen",
    "meine daten loeschen",
    "lösche meine daten",
    "loesche meine daten",
    "hapus data saya",
];
/// "Yes" in the supported languages: the confirmation of a pending deletion request.
const CONFIRM: &[&str] = &["yes", "y", "si", "sí", "sim", "oui", "ja", "ya", "iya"];
const NOT_HELPFUL: &[&str] = &["2", "no", "n", "não", "nao", "👎", "not helpful"];

/// Classifies a message's text. Forwarded messages and messages with media are always tips: a
/// rating is typed, and a forwarded "yes" is someone else's words.
pub fn classify(text: &str, forwarded: bool, has_media: bool) -> Intent {
    if forwarded || has_media {
        return Intent::Tip;
    }
    let normalized = normalize(text);
    if normalized.is_empty() {
        return Intent::Tip;
    }
    if HELP.contains(&normalized.as_str()) {
        return Intent::Help;
    }
    if PRIVACY.contains(&normalized.as_str()) {
        return Intent::Privacy;
    }
    let words = normalized.split_whitespace().collect::<Vec<_>>().join(" ");
    if DELETE_DATA.contains(&words.as_str()) {
        return Intent::DeleteData;
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

/// Whether a typed message is a plain "yes" (what confirms a pending deletion request).
pub fn is_confirmation(text: &str, forwarded: bool, has_media: bool) -> bool {
    !forwarded && !has_media && CONFIRM.contains(&normalize(text).as_str())
}

fn normalize(text: &str) -> String {
    text.trim()
        .trim_end_matches(['.', '!'])
        .trim()
        .to_lowercase()
        .replace('\u{fe0f}', "")
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
            ("PRIVACY", false, false, Intent::Privacy),
            ("Privacidade.", false, false, Intent::Privacy),
            ("DELETE MY DATA", false, false, Intent::DeleteData),
            ("Delete  my data!", false, false, Intent::DeleteData),
            ("borrar mis datos", false, false, Intent::DeleteData),
            ("Apagar meus dados", false, false, Intent::DeleteData),
            ("supprimer mes données", false, false, Intent::DeleteData),
            ("Meine Daten löschen", false, false, Intent::DeleteData),
            ("hapus data saya", false, false, Intent::DeleteData),
            ("DELETE MY DATA", true, false, Intent::Tip),
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

    #[test]
    fn confirmations_are_typed_yeses() {
        for text in ["YES", "sí", "Sim!", "si", "oui", "ja", "ya"] {
            assert!(is_confirmation(text, false, false), "{text}");
        }
        assert!(!is_confirmation("yes", true, false));
        assert!(!is_confirmation("yes please delete", false, false));
        assert!(!is_confirmation("no", false, false));
    }
}
