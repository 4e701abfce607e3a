//! The normalised form of a tip's words that the keyword rules match: lowercase, accents
//! folded, punctuation and emoji turned into spaces, so one keyword list covers "Código",
//! "codigo" and "CÓDIGO:" alike.
//!
//! Phrases are matched on whole words: the text is kept as `" word word word "`, so a
//! phrase matches only where a space sits on both sides. A phrase ending in `*` matches
//! any word that starts with it (`"garantid*"` finds "garantido" and "garantidas").

/// The normalised words of a tip, space-separated with a space at both ends.
#[derive(Debug, Clone)]
pub(super) struct Words {
    padded: String,
}

/// At most this many occurrences of one phrase are looked at, so a megabyte of repeated
/// keywords costs no more than a normal message.
const MAX_OCCURRENCES: usize = 64;

/// Words that turn a following request around ("don't share", "nunca pediremos").
const NEGATIONS: &[&str] = &[
    "not", "never", "don", "dont", "no", "nao", "nunca", "jamas", "nie", "nicht", "niemals", "ne", "pas", "jamais",
    "mat", "nahi", "kabhi", "jangan", "tidak", "tak", "bukan",
];

impl Words {
    /// An empty text, ready for `push_token`.
    pub(super) fn with_capacity(bytes: usize) -> Self {
        let mut padded = String::with_capacity(bytes + 2);
        padded.push(' ');
        Self { padded }
    }

    /// Normalises one whitespace-separated token of the original text and appends its words.
    pub(super) fn push_token(&mut self, token: &str) {
        for c in token.chars() {
            for lower in c.to_lowercase() {
                match fold(lower) {
                    Folded::Char(f) => self.padded.push(f),
                    Folded::Pair(a, b) => {
                        self.padded.push(a);
                        self.padded.push(b);
                    }
                    Folded::Symbol(s) => {
                        self.break_word();
                        self.padded.push(s);
                        self.padded.push(' ');
                    }
                    Folded::Break => self.break_word(),
                    Folded::Drop => {}
                }
            }
        }
        self.break_word();
    }

    /// The normalised text, space-separated with a space at both ends.
    pub(super) fn as_str(&self) -> &str {
        &self.padded
    }

    /// True when no word was pushed.
    pub(super) fn is_empty(&self) -> bool {
        self.padded.trim().is_empty()
    }

    /// True when `phrase` occurs as whole words.
    pub(super) fn has(&self, phrase: &str) -> bool {
        self.occurrences(phrase).next().is_some()
    }

    /// The first of `phrases` that occurs, if any.
    pub(super) fn first_of(&self, phrases: &[&'static str]) -> Option<&'static str> {
        phrases.iter().copied().find(|p| self.has(p))
    }

    /// Byte offsets (into the normalised text) where `phrase` occurs as whole words.
    pub(super) fn occurrences<'a>(&'a self, phrase: &'a str) -> impl Iterator<Item = usize> + 'a {
        let (core, prefix) = match phrase.strip_suffix('*') {
            Some(core) => (core, true),
            None => (phrase, false),
        };
        let bytes = self.padded.as_bytes();
        self.padded
            .match_indices(core)
            .map(|(at, _)| at)
            .filter(move |&at| {
                !core.is_empty()
                    && at > 0
                    && bytes.get(at - 1) == Some(&b' ')
                    && (prefix || bytes.get(at + core.len()) == Some(&b' '))
            })
            .take(MAX_OCCURRENCES)
    }

    /// Byte offsets where `phrase` occurs and is not preceded closely by a negation,
    /// so "send me the code" counts and "don't send the code to anyone" does not.
    pub(super) fn affirmed<'a>(&'a self, phrase: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.occurrences(phrase).filter(|&at| !self.negated_before(at))
    }

    /// The word just before the occurrence at byte `at`, if any.
    pub(super) fn word_before(&self, at: usize) -> Option<&str> {
        self.padded.get(..at)?.split_whitespace().next_back()
    }

    /// Whether one of the three words before byte `at` is a negation.
    fn negated_before(&self, at: usize) -> bool {
        self.padded
            .get(..at)
            .is_some_and(|before| before.split_whitespace().rev().take(3).any(|w| NEGATIONS.contains(&w)))
    }

    /// Ends the current word, keeping exactly one space between words.
    fn break_word(&mut self) {
        if !self.padded.ends_with(' ') {
            self.padded.push(' ');
        }
    }
}

/// What one lowercase character becomes in the normalised text.
enum Folded {
    Char(char),
    Pair(char, char),
    /// A currency or percent sign, kept as a word of its own ("90 % off", "$ 50").
    Symbol(char),
    /// Punctuation, emoji and spaces separate words.
    Break,
    /// Combining accents vanish so a decomposed "é" folds like a composed one.
    Drop,
}

/// Folds accented Latin letters to plain ones; keeps other letters and digits of any script.
fn fold(c: char) -> Folded {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ß' => return Folded::Pair('s', 's'),
        'æ' => return Folded::Pair('a', 'e'),
        'œ' => return Folded::Pair('o', 'e'),
        '%' | '$' | '£' | '€' | '₹' => return Folded::Symbol(c),
        '\u{0300}'..='\u{036f}' => return Folded::Drop,
        c if c.is_alphanumeric() => c,
        _ => return Folded::Break,
    };
    Folded::Char(plain)
}

/// Normalises a whole phrase the way tip text is normalised (used to check keyword lists).
#[cfg(test)]
pub(super) fn normalise(text: &str) -> String {
    let mut words = Words::with_capacity(text.len());
    for token in text.split_whitespace() {
        words.push_token(token);
    }
    words.padded.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Words {
        let mut w = Words::with_capacity(text.len());
        for token in text.split_whitespace() {
            w.push_token(token);
        }
        w
    }

    #[test]
    fn normalises_case_accents_punctuation_and_symbols() {
        let cases = [
            ("Código:  123-456!", "codigo 123 456"),
            ("Don't SHARE", "don t share"),
            ("90% OFF", "90 % off"),
            ("earn $50/day", "earn $ 50 day"),
            ("Zollgebühr", "zollgebuhr"),
            ("Straße", "strasse"),
            ("ÉTÉ", "ete"),
            ("cafe\u{0301}", "cafe"),
            ("🔥🔥 hot 🙈", "hot"),
            ("нова ціна", "нова ціна"),
            ("", ""),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalise(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn matches_whole_words_and_prefixes() {
        let text = words("Ganancias GARANTIZADAS, pay now! Cheque");
        let cases = [
            ("ganancias garantizadas", true),
            ("garantizad*", true),
            ("garantizad", false),
            ("pay now", true),
            ("pay", true),
            ("ay now", false),
            ("check", false),
            ("", false),
            ("*", false),
        ];
        for (phrase, expected) in cases {
            assert_eq!(text.has(phrase), expected, "{phrase:?}");
        }
    }

    #[test]
    fn negation_hides_a_request() {
        let cases = [
            ("Don't share this code with anyone", "share", false),
            ("We will never ask for your PIN", "ask for", false),
            ("Não compartilhe este código", "compartilhe", false),
            ("Please share the code with me", "share", true),
            ("Reply with the code", "reply with", true),
        ];
        for (text, phrase, expected) in cases {
            assert_eq!(words(text).affirmed(phrase).next().is_some(), expected, "{text}");
        }
    }

    #[test]
    fn word_before_an_occurrence() {
        let text = words("only 90% off today");
        let at = text.occurrences("% off").next();
        assert_eq!(at.and_then(|at| text.word_before(at)), Some("90"));
        assert_eq!(text.word_before(0), None);
    }

    #[test]
    fn repeated_keywords_are_bounded() {
        let text = words(&"code ".repeat(10_000));
        assert_eq!(text.occurrences("code").count(), MAX_OCCURRENCES);
    }
}
