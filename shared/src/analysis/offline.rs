//! The offline analyser: a statistical text model beside an explainable rule set, judging a
//! tip without any network call. It is the local stack's default and the production fallback.
//!
//! The model (`model.rs`, trained on the public SMS Spam Collection and the project's own
//! tips) says how much a text reads like spam and scams; the rules say why. Each rule that
//! fires is a `Signal` with a weight in 0..1 and a reason a person understands; a confident
//! model is one more signal whose reason names the words that weighed most. Weights combine
//! like independent evidence (1 − Π(1 − wᵢ)), so two moderate signs outweigh one and the
//! score never passes 1. The score picks the label; the strongest signals become the
//! reasons, and the strongest one picks the advice. Every flagged verdict therefore has a
//! reason, and a text the model scores high is never called likely safe.

mod brands;
mod disguise;
#[rustfmt::skip]
mod keywords;
mod links;
pub mod model;
mod numbers;
mod reasons;
mod rules;
mod signal;
mod text;
pub mod training;

use super::language::Lang;
use super::normalize::normalize;
use super::tip::Tip;
use super::verdict::{Label, Verdict};
use model::TextModel;
use reasons::Sentence;
use signal::{Advice, Signal};
use text::Words;

/// The rule-based analyser that needs no network and explains every verdict.
#[derive(Debug, Clone, Default)]
pub struct OfflineAnalyzer;

/// A score at or above this is a scam.
const SCAM_THRESHOLD: f64 = 0.75;
/// A score at or above this is suspicious.
const SUSPICIOUS_THRESHOLD: f64 = 0.4;
/// How much of its score a message keeps when it reads as a warning about scams.
const WARNING_DISCOUNT: f64 = 0.5;
/// The model's probability counts as a signal from here; below it the model only stays silent.
const MODEL_SIGNAL_FROM: f64 = 0.5;
/// The model's signal weighs from `SUSPICIOUS_THRESHOLD` at `MODEL_SIGNAL_FROM` up to this at
/// certainty: alone it makes a text suspicious, never a scam; "scam" needs a rule as well.
const MODEL_MAX_WEIGHT: f64 = 0.7;
/// Below this probability the model vouches for the text: weak rule signs alone (no link
/// problem, nothing strong) are then not enough to call it suspicious.
const MODEL_VOUCHES_BELOW: f64 = 0.02;
/// How much of the rule score is kept when the model vouches for the text.
const MODEL_VOUCH_DISCOUNT: f64 = 0.8;
/// The reply shows at most this many reasons.
const MAX_REASONS: usize = 4;
/// Only this many links are judged; more add nothing but work.
const MAX_LINKS: usize = 16;
/// Only the start of a longer text is read: WhatsApp allows 65,536 characters, but a scam
/// shows itself in its first screens, and the bound keeps a 64 KB tip to a few milliseconds.
const MAX_TEXT_BYTES: usize = 16 * 1024;

impl OfflineAnalyzer {
    /// Judges one tip from its text, links and WhatsApp's forwarding flags.
    pub fn analyze(&self, tip: &Tip) -> Verdict {
        let text = truncate(&tip.text, MAX_TEXT_BYTES);
        let normalized = normalize(text);
        let mut words = Words::with_capacity(normalized.text.len());
        let mut links = Vec::new();
        for token in normalized.text.split_whitespace() {
            match links::parse(token) {
                // Link text ("/verify", "pay") would fire keyword rules the sender never wrote.
                Some(link) => {
                    if links.len() < MAX_LINKS {
                        links.push(link);
                    }
                }
                None => words.push_token(token),
            }
        }

        let lang = Lang::detect(&normalized.text);
        if words.is_empty() && links.is_empty() {
            return no_text_verdict(!tip.media.is_empty(), lang);
        }

        let mut signals = links::signals(&links, lang);
        signals.extend(rules::signals(&words));
        signals.extend(numbers::signals(&words));
        signals.extend(disguise::signal(&normalized));
        signals.extend(forwarding_signal(tip));
        let model = TextModel::shipped().map(|m| m.score(&normalized.text));
        let probability = model.as_ref().map_or(0.5, |m| m.probability);

        let mut rule_score = combined_score(&signals);
        // People forward warnings ("don't click these links") to ask if they are true;
        // their scam words describe a scam, they are not one. A link keeps full weight.
        let warning = links.is_empty() && rules::warns_about_scams(&words);
        if warning {
            rule_score *= WARNING_DISCOUNT;
        }
        // Everyday words trip weak rules ("urgent", "pay the"); when the model is sure the
        // text is ordinary and no single sign is strong, those alone don't make it suspicious.
        let strongest = signals.iter().fold(0.0f64, |m, s| m.max(s.weight));
        if probability < MODEL_VOUCHES_BELOW && strongest < SUSPICIOUS_THRESHOLD && links.is_empty() {
            rule_score *= MODEL_VOUCH_DISCOUNT;
        }
        // Strongest first; the stable sort keeps rule order among equal weights.
        signals.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        // The model's reason is general, so it comes after the rules' specific ones and
        // never picks the advice, unless nothing else fired.
        let model_signal = model.as_ref().and_then(|m| model_signal(m, lang));
        let model_weight = model_signal.as_ref().map_or(0.0, |s| s.weight);
        if let Some(signal) = model_signal {
            // When the model is what tips the label, its reason must survive the reply's cut
            // to three reasons.
            let at = if rule_score < SUSPICIOUS_THRESHOLD {
                2
            } else {
                MAX_REASONS - 1
            };
            signals.insert(at.min(signals.len()), signal);
            signals.truncate(MAX_REASONS);
        }
        let score = 1.0 - (1.0 - rule_score) * (1.0 - model_weight);
        for signal in &mut signals {
            if let Some(reason) = reasons::reason(signal.rule, lang) {
                signal.reason = reason.to_owned();
            }
        }

        if score >= SUSPICIOUS_THRESHOLD {
            let label = if score >= SCAM_THRESHOLD {
                Label::Scam
            } else {
                Label::Suspicious
            };
            let advice = signals.first().map_or(Advice::Account, |s| s.advice);
            let advice = reasons::advice(advice, lang).unwrap_or(advice.text()).to_owned();
            return Verdict {
                label,
                confidence: round(score),
                reasons: top_reasons(&signals, MAX_REASONS),
                advice,
            };
        }
        if !tip.media.is_empty() {
            // The text looks fine, but the real message may be in the screenshot.
            return no_text_verdict(true, lang);
        }
        let mut reasons = vec![if signals.is_empty() {
            reasons::sentence(Sentence::NoSigns, lang).to_owned()
        } else {
            reasons::sentence(Sentence::OnlyWeakSigns, lang).to_owned()
        }];
        if warning {
            reasons.push(reasons::sentence(Sentence::Warning, lang).to_owned());
        }
        reasons.extend(top_reasons(&signals, MAX_REASONS - reasons.len()));
        Verdict {
            label: Label::LikelySafe,
            // Rules can miss a new trick, so "safe" is never stated with high certainty.
            confidence: round(0.8 - 0.3 * score / SUSPICIOUS_THRESHOLD),
            reasons,
            advice: reasons::sentence(Sentence::SafeAdvice, lang).to_owned(),
        }
    }
}

/// The verdict when there is nothing readable: no text, or only an image we can't read offline.
fn no_text_verdict(has_media: bool, lang: Lang) -> Verdict {
    let reason = if has_media {
        Sentence::ImageUnread
    } else {
        Sentence::NoText
    };
    Verdict {
        label: Label::Unknown,
        confidence: 0.0,
        reasons: vec![reasons::sentence(reason, lang).to_owned()],
        advice: reasons::sentence(Sentence::NoTextAdvice, lang).to_owned(),
    }
}

/// The model as a signal when it is confident, its reason naming the words that weighed most.
fn model_signal(score: &model::Score, lang: Lang) -> Option<Signal> {
    if score.probability < MODEL_SIGNAL_FROM {
        return None;
    }
    let words: Vec<String> = score.top_words.iter().map(|c| format!("\"{}\"", c.word)).collect();
    let lead = reasons::sentence(Sentence::ModelLead, lang);
    let reason = if words.is_empty() {
        format!("{lead}.")
    } else {
        let such_as = reasons::sentence(Sentence::ModelWords, lang);
        format!("{lead} ({such_as} {}).", words.join(", "))
    };
    Some(Signal {
        rule: "text_model",
        weight: SUSPICIOUS_THRESHOLD
            + (score.probability - MODEL_SIGNAL_FROM) / (1.0 - MODEL_SIGNAL_FROM)
                * (MODEL_MAX_WEIGHT - SUSPICIOUS_THRESHOLD),
        reason,
        advice: Advice::Account,
    })
}

/// WhatsApp's own forwarding marks: chain messages spread hoaxes and scams.
fn forwarding_signal(tip: &Tip) -> Option<Signal> {
    if tip.frequently_forwarded {
        Some(Signal::new(
            "frequently_forwarded",
            0.15,
            "WhatsApp marks it as forwarded many times; chain messages like this often carry scams and hoaxes.",
            Advice::Chain,
        ))
    } else if tip.forwarded {
        Some(Signal::new(
            "forwarded",
            0.05,
            "WhatsApp marks it as forwarded, so whoever sent it to you did not write it.",
            Advice::Chain,
        ))
    } else {
        None
    }
}

/// Combines weights as independent evidence: 1 − Π(1 − wᵢ), always within 0..=1.
fn combined_score(signals: &[Signal]) -> f64 {
    let doubt: f64 = signals.iter().map(|s| 1.0 - s.weight.clamp(0.0, 1.0)).product();
    (1.0 - doubt).clamp(0.0, 1.0)
}

/// The reasons of the strongest signals, without repeating a sentence.
fn top_reasons(signals: &[Signal], max: usize) -> Vec<String> {
    let mut reasons: Vec<String> = Vec::with_capacity(max);
    for signal in signals {
        if reasons.len() == max {
            break;
        }
        if !reasons.contains(&signal.reason) {
            reasons.push(signal.reason.clone());
        }
    }
    reasons
}

/// Two decimals are all the precision a rule score has.
fn round(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

/// The longest prefix of `text` within `max` bytes that ends on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::super::tip::TipMedia;
    use super::*;

    fn analyze(text: &str) -> Verdict {
        OfflineAnalyzer.analyze(&Tip::from_text(text))
    }

    #[test]
    fn labels_typical_messages() {
        let cases = [
            ("", Label::Unknown),
            ("   \n\t ", Label::Unknown),
            ("🙂🙂🙂 !!!", Label::Unknown),
            ("haha you have to see this 😂 https://www.youtube.com/watch?v=dQw4w9WgXcQ", Label::LikelySafe),
            ("Are we still on for dinner at 8?", Label::LikelySafe),
            ("G-482913 is your Google verification code. Don't share this code with anyone.", Label::LikelySafe),
            (
                "Your PayPal account has been limited. Verify your identity within 24 hours: http://paypa1-secure-login.com/verify",
                Label::Scam,
            ),
            (
                "Hi Mum, this is my new number, my phone broke. Can you send me £300 today? It's urgent",
                Label::Scam,
            ),
            // The gift-card rule and the text model together: a scam, not just suspicious.
            ("Buy 5 Apple gift cards for a client and send me the codes", Label::Scam),
            // The "new number" opener of the Hi-Dad scam, which the text model also knows.
            ("Hey dad, lost my phone so this is my new number x", Label::Scam),
            (
                "Royal Mail: your parcel is held, pay the £1.99 redelivery fee: https://royalmail-redelivery-fee.com/pay",
                Label::Scam,
            ),
            // An account-takeover code request that the model also scores high.
            ("Hola, ¿me reenvías el código de 6 dígitos que te llegó? Es urgente", Label::Scam),
            ("Ganhe R$ 500 por dia em casa curtindo vídeos, sem experiência!", Label::Suspicious),
            ("Selamat! Anda terpilih sebagai pemenang hadiah. Segera klik link ini: http://hadiah-bri.xyz/klaim", Label::Suspicious),
            ("Nanti malam kita makan di rumah ibu ya, jangan lupa bawa kue", Label::LikelySafe),
        ];
        for (text, expected) in cases {
            let verdict = analyze(text);
            assert_eq!(verdict.label, expected, "{text:?}: {verdict:?}");
        }
    }

    #[test]
    fn verdicts_are_well_formed_for_any_input() {
        let huge_scam = "URGENT pay the fee now https://bit.ly/x ".repeat(30_000);
        let huge_words = "a".repeat(1024 * 1024);
        let many_links = "http://1.2.3.4/x ".repeat(50_000);
        let cases = [
            String::new(),
            "é".repeat(400_000),
            "🔥".repeat(300_000),
            huge_scam,
            huge_words,
            many_links,
            "xn--.com https://@/ http://[::1]/ www. http://a..b/ .com ....".to_owned(),
            "\u{0000}\u{200b}\u{feff} code \u{202e} send me".to_owned(),
        ];
        for text in cases {
            let verdict = analyze(&text);
            assert!((0.0..=1.0).contains(&verdict.confidence), "{verdict:?}");
            assert!(!verdict.reasons.is_empty() && verdict.reasons.len() <= MAX_REASONS);
            assert!(!verdict.advice.is_empty());
            let mut unique = verdict.reasons.clone();
            unique.dedup();
            assert_eq!(unique.len(), verdict.reasons.len());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any text, any bytes read as text, any mix of scripts and controls: a well-formed
        /// verdict, and a flagged one always gives a reason.
        #[test]
        fn any_input_gets_a_well_formed_verdict(
            text in proptest::prelude::any::<String>(),
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
            tricky in "[a-zA-Z0-9 аеорсі\u{200b}\u{202e}🙂.:/@-]{0,300}",
        ) {
            for text in [text, String::from_utf8_lossy(&bytes).into_owned(), tricky.clone(), format!("https://{tricky}")] {
                let verdict = analyze(&text);
                proptest::prop_assert!((0.0..=1.0).contains(&verdict.confidence));
                proptest::prop_assert!(!verdict.reasons.is_empty() && verdict.reasons.len() <= MAX_REASONS);
                proptest::prop_assert!(!verdict.advice.is_empty());
            }
        }
    }

    #[test]
    fn bad_input_gets_a_verdict_or_an_honest_unknown() {
        let cases = [
            (String::new(), Some(Label::Unknown)),
            ("🙂🎉🔥".to_owned(), Some(Label::Unknown)),
            ("\u{200b}\u{202e}\u{feff}".to_owned(), Some(Label::Unknown)),
            ("https://www.youtube.com/watch?v=x".to_owned(), Some(Label::LikelySafe)),
            ("http://185.22.14.7/login".to_owned(), None),
            ("see you later ".repeat(5_000), Some(Label::LikelySafe)),
            (
                String::from_utf8_lossy(&[0xff, 0x00, 0xfe, 0x80, 0x7f].repeat(2000)).into_owned(),
                None,
            ),
        ];
        for (text, expected) in cases {
            let verdict = analyze(&text);
            if let Some(label) = expected {
                assert_eq!(verdict.label, label, "{:?}: {verdict:?}", text.get(..40));
            }
            assert!(!verdict.reasons.is_empty());
        }
    }

    #[test]
    fn the_model_flags_spam_the_rules_miss_and_says_so() {
        let verdict = analyze("Free entry in 2 a wkly comp to win FA Cup final tkts 21st May 2005. Text FA to 87121 to receive entry question");
        assert!(matches!(verdict.label, Label::Scam | Label::Suspicious), "{verdict:?}");
        assert!(
            verdict.reasons.iter().any(|r| r.contains("offline model")),
            "{verdict:?}"
        );
    }

    #[test]
    fn reasons_and_advice_follow_the_language() {
        let cases = [
            ("Ihr Konto wird gesperrt. Bitte bestätigen Sie Ihre Daten sofort", "Es "),
            ("Su cuenta será bloqueada, confirme sus datos en 24 horas", "Dice "),
            ("Sua conta foi bloqueada, confirme seus dados hoje", "Diz "),
            ("Votre compte sera bloqué, confirmez vos coordonnées bancaires", "Il "),
            ("Akun anda akan diblokir, segera verifikasi akun anda", "Pesan ini"),
        ];
        for (text, start) in cases {
            let verdict = analyze(text);
            assert!(
                matches!(verdict.label, Label::Scam | Label::Suspicious),
                "{text}: {verdict:?}"
            );
            assert!(
                verdict.reasons.iter().any(|r| r.starts_with(start)),
                "{text}: {verdict:?}"
            );
            assert!(!verdict.advice.starts_with("Don't"), "{text}: {verdict:?}");
        }
    }

    #[test]
    fn link_reasons_follow_the_language_and_name_the_domain() {
        // The word for "link" in each language, beside the domain the reason names.
        let cases = [
            (
                "Su paquete está retenido, pague la tasa en https://correos-envio.top/pago",
                "enlace",
                "correos-envio.top",
            ),
            (
                "Sua conta foi bloqueada, acesse http://paypa1.com/login agora",
                "link",
                "paypa1.com",
            ),
            (
                "Votre colis est en attente, payez sur https://bit.ly/3xColis",
                "lien",
                "bit.ly",
            ),
            (
                "Ihr Konto wird gesperrt, bestätigen Sie hier: http://185.22.14.7/bank",
                "Link",
                "185.22.14.7",
            ),
            (
                "Akun anda diblokir, verifikasi di https://bca-verifikasi-akun.xyz segera",
                "tautan",
                "bca-verifikasi-akun.xyz",
            ),
        ];
        for (text, word, domain) in cases {
            let verdict = analyze(text);
            assert!(
                verdict.reasons.iter().any(|r| r.contains(word) && r.contains(domain)),
                "{text}: {verdict:?}"
            );
            assert!(
                !verdict.reasons.iter().any(|r| r.starts_with("The link")),
                "{text}: {verdict:?}"
            );
        }
    }

    #[test]
    fn an_image_without_text_is_unknown_and_says_why() {
        let screenshot = TipMedia {
            content_type: "image/jpeg".into(),
            bytes: vec![0xff, 0xd8, 0xff],
        };
        let cases = [
            ("", Label::Unknown),
            ("is this real?", Label::Unknown),
            (
                "Your account has been suspended, verify your identity at http://185.1.2.3/login",
                Label::Scam,
            ),
        ];
        for (text, expected) in cases {
            let tip = Tip {
                text: text.into(),
                media: vec![screenshot.clone()],
                ..Tip::default()
            };
            let verdict = OfflineAnalyzer.analyze(&tip);
            assert_eq!(verdict.label, expected, "{text:?}");
            if expected == Label::Unknown {
                assert!(verdict.reasons[0].contains("image"), "{verdict:?}");
                assert!(verdict.advice.contains("official channel"), "{verdict:?}");
            }
        }
    }

    #[test]
    fn forwarding_flags_add_a_little_weight() {
        // Bait the text model doesn't know ("Free data for everyone tonight!" it scores as spam).
        let bait = "Free pizza for everyone at the party tonight";
        let chat = "See you at the park at 5";
        let cases = [
            (bait, false, false, Label::LikelySafe),
            (bait, true, false, Label::LikelySafe),
            (bait, false, true, Label::Suspicious),
            (chat, true, true, Label::LikelySafe),
        ];
        for (text, forwarded, frequently_forwarded, expected) in cases {
            let tip = Tip {
                text: text.into(),
                forwarded,
                frequently_forwarded,
                ..Tip::default()
            };
            let verdict = OfflineAnalyzer.analyze(&tip);
            assert_eq!(verdict.label, expected, "{tip:?}: {verdict:?}");
            let says_forwarded = verdict.reasons.iter().any(|r| r.contains("forwarded"));
            assert_eq!(says_forwarded, forwarded || frequently_forwarded, "{verdict:?}");
        }
    }

    #[test]
    fn reasons_are_strongest_first_and_advice_follows_the_strongest() {
        let verdict =
            analyze("Dear customer, your parcel is held. Pay the customs fee within 24 hours: http://185.22.14.7/dhl");
        assert_eq!(verdict.label, Label::Scam);
        assert_eq!(verdict.reasons.len(), MAX_REASONS);
        assert!(verdict.reasons[0].contains("bare number address"), "{verdict:?}");
        assert_eq!(verdict.advice, Advice::Link.text());
    }

    #[test]
    fn scores_combine_as_independent_evidence() {
        let signal = |weight| Signal::new("t", weight, "r", Advice::Link);
        let cases: &[(&[f64], f64)] = &[
            (&[], 0.0),
            (&[0.5], 0.5),
            (&[0.5, 0.5], 0.75),
            (&[1.0, 0.3], 1.0),
            (&[2.0, -1.0], 1.0),
        ];
        for (weights, expected) in cases {
            let signals: Vec<Signal> = weights.iter().map(|&w| signal(w)).collect();
            assert!((combined_score(&signals) - expected).abs() < 1e-9, "{weights:?}");
        }
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        let cases = [
            ("abc", 2, "ab"),
            ("ééé", 3, "é"),
            ("ééé", 4, "éé"),
            ("", 5, ""),
            ("🔥", 1, ""),
        ];
        for (text, max, expected) in cases {
            assert_eq!(truncate(text, max), expected);
        }
    }
}
