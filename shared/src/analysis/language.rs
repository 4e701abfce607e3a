//! The language a tip is written in, as far as the fixed texts of a reply care: English,
//! Spanish, Portuguese, French, German or Indonesian, told apart by their commonest short
//! words. Anything else (or too little text to tell) gets English.

/// A language the offline reasons and the reply's fixed strings are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Es,
    Pt,
    Fr,
    De,
    Id,
}

/// Words common in one language and rare in the others.
const MARKERS: &[(Lang, &[&str])] = &[
    (
        Lang::En,
        &[
            "the", "you", "your", "is", "and", "of", "this", "are", "have", "with", "to", "my", "it", "will", "please",
        ],
    ),
    (
        Lang::Es,
        &[
            "el", "los", "las", "tu", "su", "es", "por", "usted", "una", "del", "con", "hola", "que", "está", "para",
            "mi", "tus", "sus", "y",
        ],
    ),
    (
        Lang::Pt,
        &[
            "o", "os", "seu", "sua", "você", "voce", "é", "em", "não", "nao", "uma", "olá", "ola", "com", "do", "da",
            "meu", "seus", "oi", "que", "para",
        ],
    ),
    (
        Lang::Fr,
        &[
            "le", "les", "vous", "votre", "vos", "est", "pour", "une", "des", "et", "avec", "bonjour", "ce", "sur",
            "pas", "je", "au",
        ],
    ),
    (
        Lang::De,
        &[
            "der", "die", "das", "und", "sie", "ihr", "ihre", "ist", "zu", "mit", "nicht", "ein", "eine", "für",
            "bitte", "ich", "hallo", "wir",
        ],
    ),
    (
        Lang::Id,
        &[
            "anda", "yang", "dan", "di", "untuk", "ini", "dengan", "akan", "kami", "tidak", "dari", "segera",
            "silakan", "kamu", "sudah", "bisa", "saya", "ke",
        ],
    ),
];

/// Only the start of a text is read; a few dozen words settle it.
const MAX_WORDS: usize = 200;

impl Lang {
    /// The language of `text`, English when unsure.
    pub fn detect(text: &str) -> Self {
        let mut scores = [0usize; 6];
        let words = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(str::to_lowercase);
        for word in words {
            for (i, (_, markers)) in MARKERS.iter().enumerate() {
                scores[i] += usize::from(markers.contains(&word.as_str()));
            }
        }
        let (best, &score) = scores
            .iter()
            .enumerate()
            .max_by_key(|&(i, s)| (*s, usize::MAX - i))
            .unwrap_or((0, &0));
        if score == 0 {
            Lang::En
        } else {
            MARKERS[best].0
        }
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::Pt => "pt",
            Self::Fr => "fr",
            Self::De => "de",
            Self::Id => "id",
        }
    }

    /// Picks the text for this language from one per language, in the enum's order.
    pub fn pick(self, texts: [&'static str; 6]) -> &'static str {
        texts[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_six_languages_apart() {
        let cases = [
            ("Your parcel is held, pay the fee to release it", Lang::En),
            ("Hola mamá, este es mi nuevo número, ¿me haces un bizum?", Lang::Es),
            ("Olá, seu CPF está irregular, você precisa regularizar hoje", Lang::Pt),
            ("Votre colis est en attente, réglez les frais de livraison", Lang::Fr),
            ("Ihr Paket ist im Zoll, bitte zahlen Sie die Gebühr", Lang::De),
            (
                "Selamat! Anda memenangkan hadiah, segera klik link ini untuk klaim",
                Lang::Id,
            ),
            ("", Lang::En),
            ("🙂🙂", Lang::En),
            ("Привет, как дела?", Lang::En),
        ];
        for (text, lang) in cases {
            assert_eq!(Lang::detect(text), lang, "{text}");
        }
    }
}
