//! Text as scammers write it, made comparable before anything scores it: Unicode NFKC
//! (fullwidth and "𝐛𝐨𝐥𝐝" letters become plain ones), invisible zero-width and bidi
//! controls removed, look-alike Cyrillic and Greek letters inside Latin words folded
//! ("аmazon" with a Cyrillic а), and letters spelled out with spaces joined ("P a y P a l").
//! SMS shorthand ("u", "2nite", "txt") is left as it is: the text model learnt from it.
//!
//! The rules, the text model, the links work and tip memory all read this one form.

use unicode_normalization::UnicodeNormalization;

/// A tip's text after normalisation, with the words that needed a trick undone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The cleaned text, in its original case.
    pub text: String,
    /// Lowercase words that were disguised: spaced out, mixed-script or split by invisible characters.
    pub disguised: Vec<String>,
}

/// At most this many disguised words are kept; one is enough to raise a signal.
const MAX_DISGUISED: usize = 16;

/// A run of at least this many single letters separated by single spaces is one spelled-out word.
const MIN_SPACED_LETTERS: usize = 4;

/// Normalises a tip's text: NFKC, invisible controls removed, look-alikes folded, spaced letters joined.
pub fn normalize(text: &str) -> Normalized {
    let mut disguised = Vec::new();
    let mut cleaned = String::with_capacity(text.len());
    for word in text.nfkc().collect::<String>().split_inclusive(char::is_whitespace) {
        let had_invisible = word.chars().any(is_invisible);
        let visible: String = word
            .chars()
            .filter(|&c| !is_invisible(c))
            .map(|c| if c.is_control() && !c.is_whitespace() { ' ' } else { c })
            .collect();
        let folded = fold_mixed_script(&visible);
        let changed = folded != visible;
        let core = folded.trim();
        if (changed || (had_invisible && !core.is_empty())) && disguised.len() < MAX_DISGUISED {
            disguised.push(core.to_lowercase());
        }
        cleaned.push_str(&folded);
    }
    let text = join_spaced_letters(&cleaned, &mut disguised);
    Normalized { text, disguised }
}

/// Zero-width, joiner, bidi-override and other invisible format characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
    )
}

/// The Latin letter a Cyrillic or Greek letter is made to pass for, if it looks like one.
pub fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'е' | 'ε' => 'e',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'с' | 'ϲ' => 'c',
        'у' | 'γ' => 'y',
        'х' | 'χ' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ν' => 'v',
        'κ' | 'к' => 'k',
        'τ' | 'т' => 't',
        'υ' => 'u',
        'ɡ' => 'g',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'Е' | 'Ε' => 'E',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Н' | 'Η' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' | 'Ϲ' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ζ' => 'Z',
        'Ν' => 'N',
        _ => return None,
    })
}

/// Folds look-alike letters to Latin, but only in a word that also has Latin letters:
/// Russian or Greek written in its own script is left alone.
fn fold_mixed_script(word: &str) -> String {
    let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let has_lookalike = word.chars().any(|c| latin_lookalike(c).is_some());
    if !(has_latin && has_lookalike) {
        return word.to_owned();
    }
    word.chars().map(|c| latin_lookalike(c).unwrap_or(c)).collect()
}

/// Joins runs of single letters separated by single spaces ("P a y P a l" -> "PayPal").
fn join_spaced_letters(text: &str, disguised: &mut Vec<String>) -> String {
    let tokens: Vec<&str> = text.split(' ').collect();
    let single = |t: &str| {
        let mut chars = t.trim_end_matches(|c: char| c.is_ascii_punctuation()).chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < tokens.len() {
        let run = tokens[i..].iter().take_while(|t| single(t)).count();
        if i > 0 {
            out.push(' ');
        }
        if run >= MIN_SPACED_LETTERS {
            let word: String = tokens[i..i + run].concat();
            if disguised.len() < MAX_DISGUISED {
                disguised.push(word.to_lowercase());
            }
            out.push_str(&word);
            i += run;
        } else {
            out.push_str(tokens[i]);
            i += 1;
        }
    }
    out
}

/// A word reduced to what it looks like: lowercase, look-alikes folded and digits read as
/// the letters they imitate ("AMAZ0N", "аmazon", "paypa1" all become one form).
pub fn skeleton(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let lower = word.to_lowercase();
    let mut chars = lower.chars().map(|c| latin_lookalike(c).unwrap_or(c)).peekable();
    while let Some(c) = chars.next() {
        let mapped = match c {
            '0' => 'o',
            '1' | 'i' | '!' | '|' => 'l',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            '8' => 'b',
            'r' if chars.peek() == Some(&'n') => {
                chars.next();
                'm'
            }
            'v' if chars.peek() == Some(&'v') => {
                chars.next();
                'w'
            }
            other => other,
        };
        out.push(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_the_tricks_scammers_use() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("Pay\u{200b}Pal account", "PayPal account", &["paypal"]),
            ("ｐａｙｐａｌ", "paypal", &[]),
            ("𝐀𝐦𝐚𝐳𝐨𝐧 prize", "Amazon prize", &[]),
            ("your \u{0430}mazon order", "your amazon order", &["amazon"]),
            ("P a y P a l verify", "PayPal verify", &["paypal"]),
            ("r u ok", "r u ok", &[]),
            ("нова ціна", "нова ціна", &[]),
            ("abc\u{202e}def", "abcdef", &["abcdef"]),
            ("ok\u{0007}go", "ok go", &[]),
            ("", "", &[]),
        ];
        for (raw, text, disguised) in cases {
            let n = normalize(raw);
            assert_eq!(n.text, *text, "{raw:?}");
            assert_eq!(n.disguised, *disguised, "{raw:?}");
        }
    }

    #[test]
    fn skeletons_agree_for_lookalikes() {
        let cases = [
            ("amaz0n", "amazon", true),
            ("PAYPA1", "paypal", true),
            ("\u{0430}mazon", "amazon", true),
            ("arnazon", "amazon", true),
            ("amazing", "amazon", false),
        ];
        for (word, brand, same) in cases {
            assert_eq!(skeleton(word) == skeleton(brand), same, "{word}");
        }
    }
}
