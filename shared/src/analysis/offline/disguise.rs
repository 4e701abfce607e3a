//! Brand names written to slip past filters: with digits for letters ("amaz0n"), with
//! look-alike letters from another script ("аmazon"), spelled out with spaces ("P a y P a l")
//! or split by invisible characters. Nobody writing honestly spells a brand like that.

use super::brands::BRANDS;
use super::signal::{Advice, Signal};
use crate::analysis::normalize::{skeleton, Normalized};

/// Brand keys shorter than this are too easily made by accident ("ups", "sbi").
const MIN_KEY_LEN: usize = 5;

/// A signal when the text writes a brand's name in disguise.
pub(super) fn signal(normalized: &Normalized) -> Option<Signal> {
    let brands = || BRANDS.iter().filter(|b| b.key.len() >= MIN_KEY_LEN);
    // Words that needed a trick undone: the brand inside them is the disguise.
    let tricked = normalized.disguised.iter().find_map(|word| {
        let letters: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        brands().find(|b| letters.contains(b.key))
    });
    let swapped = || {
        normalized
            .text
            .split(|c: char| !c.is_alphanumeric())
            .take(2_000)
            .find_map(|word| {
                let lower = word.to_lowercase();
                if lower.len() < MIN_KEY_LEN || !lower.bytes().any(|b| b.is_ascii_digit()) {
                    return None;
                }
                let shape = skeleton(&lower);
                brands().find(|b| shape == skeleton(b.key) && lower != b.key)
            })
    };
    let brand = tricked.or_else(swapped)?;
    Some(Signal {
        rule: "disguised_brand",
        weight: 0.45,
        reason: format!(
            "It writes the name {} with look-alike characters, digits or spaces, a trick to slip past scam filters.",
            brand.name
        ),
        advice: Advice::Account,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize::normalize;

    #[test]
    fn finds_brands_in_disguise() {
        let cases = [
            ("Your amaz0n order is on hold", true),
            ("Your \u{0430}mazon order is on hold", true),
            ("P a y P a l: confirm your account", true),
            ("Net\u{200b}flix payment failed", true),
            ("Your Amazon order has shipped", false),
            ("Meet at 10:30 at gate 5", false),
            ("I'm A M A Z E D", false),
        ];
        for (text, expected) in cases {
            assert_eq!(signal(&normalize(text)).is_some(), expected, "{text}");
        }
    }
}
