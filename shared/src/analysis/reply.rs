//! The reply a person reads: verdict first, then why, one thing to do, and the feedback prompt.
//!
//! Everything here is built from validated [`Verdict`] fields with length caps, so no raw model
//! output reaches a user unchecked and the whole reply always fits one WhatsApp message.

use crate::domain::ReplyText;

use super::language::Lang;
use super::verdict::{Label, Verdict};

/// How many reasons a reply lists; more is noise on a phone screen.
const MAX_REASONS: usize = 3;
const MAX_REASON_CHARS: usize = 240;
const MAX_ADVICE_CHARS: usize = 400;

/// The prompt that turns the next short reply into feedback.
pub const FEEDBACK_PROMPT: &str = "Reply 1 if this helped, 2 if not.";

fn headline(label: Label, lang: Lang) -> &'static str {
    lang.pick(match label {
        Label::Scam => [
            "🚨 This looks like a SCAM.",
            "🚨 Esto parece una ESTAFA.",
            "🚨 Isto parece um GOLPE.",
            "🚨 Cela ressemble à une ARNAQUE.",
            "🚨 Das sieht nach BETRUG aus.",
            "🚨 Ini tampak seperti PENIPUAN.",
        ],
        Label::Suspicious => [
            "⚠️ This looks SUSPICIOUS.",
            "⚠️ Esto parece SOSPECHOSO.",
            "⚠️ Isto parece SUSPEITO.",
            "⚠️ Cela semble SUSPECT.",
            "⚠️ Das wirkt VERDÄCHTIG.",
            "⚠️ Ini tampak MENCURIGAKAN.",
        ],
        Label::LikelySafe => [
            "✅ This looks likely SAFE.",
            "✅ Esto parece probablemente SEGURO.",
            "✅ Isto parece provavelmente SEGURO.",
            "✅ Cela semble probablement SANS DANGER.",
            "✅ Das wirkt wahrscheinlich UNBEDENKLICH.",
            "✅ Ini tampaknya AMAN.",
        ],
        Label::Unknown => [
            "❔ We couldn't tell whether this is a scam.",
            "❔ No pudimos saber si esto es una estafa.",
            "❔ Não conseguimos saber se isto é um golpe.",
            "❔ Nous n'avons pas pu dire si c'est une arnaque.",
            "❔ Wir konnten nicht feststellen, ob das Betrug ist.",
            "❔ Kami tidak bisa memastikan apakah ini penipuan.",
        ],
    })
}

/// The closing "reply 1 if this helped" line of a verdict in `lang`.
pub fn feedback_prompt(lang: Lang) -> &'static str {
    frame(lang).2
}

/// "Why:", "What to do:" and the feedback prompt in `lang`.
fn frame(lang: Lang) -> (&'static str, &'static str, &'static str) {
    match lang {
        Lang::En => ("Why:", "What to do:", FEEDBACK_PROMPT),
        Lang::Es => ("Por qué:", "Qué hacer:", "Responde 1 si te ayudó, 2 si no."),
        Lang::Pt => ("Por quê:", "O que fazer:", "Responda 1 se ajudou, 2 se não."),
        Lang::Fr => ("Pourquoi :", "Que faire :", "Répondez 1 si cela vous a aidé, 2 sinon."),
        Lang::De => ("Warum:", "Was tun:", "Antworten Sie 1, wenn das geholfen hat, sonst 2."),
        Lang::Id => (
            "Alasan:",
            "Yang harus dilakukan:",
            "Balas 1 jika membantu, 2 jika tidak.",
        ),
    }
}

fn clip(text: &str, max: usize) -> String {
    let text: String = text.chars().filter(|c| !c.is_control() || *c == ' ').collect();
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Said when the offline rules decided because the model did not answer: the sender should know
/// the verdict is the less thorough one.
pub const BASIC_RULES_NOTE: &str = "(Checked with our basic rules; a full check was not available in time.)";

/// The honest note on a verdict the offline rules gave because the model was not available.
pub fn basic_rules_note(lang: Lang) -> &'static str {
    lang.pick([
        BASIC_RULES_NOTE,
        "(Revisado con nuestras reglas básicas; no hubo tiempo para una revisión completa.)",
        "(Verificado com as nossas regras básicas; não houve tempo para uma verificação completa.)",
        "(Vérifié avec nos règles de base ; une vérification complète n'était pas disponible à temps.)",
        "(Mit unseren Grundregeln geprüft; eine vollständige Prüfung war nicht rechtzeitig möglich.)",
        "(Diperiksa dengan aturan dasar kami; pemeriksaan lengkap tidak tersedia tepat waktu.)",
    ])
}

/// The reply for a verdict.
pub fn verdict_reply(verdict: &Verdict) -> ReplyText {
    verdict_reply_noting(verdict, &[], false)
}

/// The reply for a verdict, with one line per attachment saying whether the verdict covers it
/// (`notes`), and whether it came from the `basic_rules` because the model was not available.
pub fn verdict_reply_noting(verdict: &Verdict, notes: &[String], basic_rules: bool) -> ReplyText {
    verdict_reply_in(verdict, notes, Lang::En, basic_rules)
}

/// The reply with its fixed strings in `lang` (the tip's language, `Lang::detect`).
pub fn verdict_reply_in(verdict: &Verdict, notes: &[String], lang: Lang, basic_rules: bool) -> ReplyText {
    let (why, what_to_do, prompt) = frame(lang);
    let mut text = String::from(headline(verdict.label, lang));
    let reasons: Vec<String> = verdict
        .reasons
        .iter()
        .map(|r| clip(r, MAX_REASON_CHARS))
        .filter(|r| !r.is_empty())
        .take(MAX_REASONS)
        .collect();
    if !reasons.is_empty() {
        text.push_str("\n\n");
        text.push_str(why);
        for reason in reasons {
            text.push_str("\n• ");
            text.push_str(&reason);
        }
    }
    let advice = clip(&verdict.advice, MAX_ADVICE_CHARS);
    if !advice.is_empty() {
        text.push_str("\n\n");
        text.push_str(what_to_do);
        text.push(' ');
        text.push_str(&advice);
    }
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join("\n"));
    }
    if basic_rules {
        text.push_str("\n\n");
        text.push_str(basic_rules_note(lang));
    }
    text.push_str("\n\n");
    text.push_str(prompt);
    ReplyText::fit(&text)
}

/// What tipline can check in this setup (`voice_notes`: a transcription service is configured).
fn what_we_check(voice_notes: bool) -> &'static str {
    if voice_notes {
        "we can check text, screenshots and photos (JPG, PNG, WEBP up to 5 MB), PDFs with text, and voice notes"
    } else {
        "we can check text, screenshots and photos (JPG, PNG, WEBP up to 5 MB) and PDFs with text"
    }
}

/// The reply when nothing in a message could be checked, with a line per attachment saying why.
pub fn unsupported_reply(notes: &[String], voice_notes: bool) -> ReplyText {
    let mut text = String::from("❔ Sorry, we couldn't check what you sent.");
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join("\n"));
    }
    text.push_str(&format!(
        "\n\nForward the message as text, or send a screenshot of it: {}.",
        what_we_check(voice_notes)
    ));
    ReplyText::fit(&text)
}

/// How a sender rated the last verdict, read from a short answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Helpful,
    NotHelpful,
    /// Free text: kept as it is, without a rating.
    Comment,
}

/// The brief thanks for feedback.
pub fn feedback_ack(rating: Rating) -> ReplyText {
    ReplyText::fit(match rating {
        Rating::Helpful => "🙏 Thanks for the feedback! Forward anything else that looks odd.",
        Rating::NotHelpful => {
            "🙏 Thanks for telling us — it helps us improve. When in doubt, don't click links, \
             share codes or send money."
        }
        Rating::Comment => "🙏 Thanks, we've noted your comment.",
    })
}

/// What the service is, for `help`.
pub fn help_reply() -> ReplyText {
    ReplyText::fit(
        "👋 This is a scam-checking tipline. Forward us a message, a link or a screenshot you're \
         unsure about, and we'll tell you whether it looks like a scam, why, and what to do.\n\n\
         After a verdict, reply 1 if it helped or 2 if not. We keep what you send to improve the \
         service; never send us passwords or codes.",
    )
}

/// The honest reply when a tip could not be checked, sent on the last attempt.
pub fn fallback_reply() -> ReplyText {
    ReplyText::fit(
        "❔ Sorry, we couldn't check this message right now.\n\n\
         Until you can verify it: don't click links, don't share codes or passwords, and don't send \
         money. If it claims to be from a company or someone you know, contact them through a number \
         or app you already trust.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_first_then_reasons_advice_and_prompt() {
        let verdict = Verdict {
            label: Label::Scam,
            confidence: 0.9,
            reasons: vec!["a".into(), "b\u{0007}".into(), "c".into(), "d".into()],
            advice: "Don't pay.".into(),
        };
        let reply = verdict_reply(&verdict);
        assert_eq!(
            reply.as_str(),
            "🚨 This looks like a SCAM.\n\nWhy:\n• a\n• b\n• c\n\nWhat to do: Don't pay.\n\nReply 1 if this helped, 2 if not."
        );
    }

    #[test]
    fn fixed_strings_follow_the_language() {
        let verdict = Verdict {
            label: Label::Scam,
            confidence: 0.9,
            reasons: vec!["r".into()],
            advice: "a".into(),
        };
        let cases = [
            (Lang::Es, "ESTAFA", "Por qué:"),
            (Lang::Pt, "GOLPE", "O que fazer:"),
            (Lang::Fr, "ARNAQUE", "Pourquoi :"),
            (Lang::De, "BETRUG", "Was tun:"),
            (Lang::Id, "PENIPUAN", "Alasan:"),
            (Lang::En, "SCAM", "Why:"),
        ];
        for (lang, headline, label) in cases {
            let reply = verdict_reply_in(&verdict, &[], lang, false);
            assert!(
                reply.as_str().contains(headline) && reply.as_str().contains(label),
                "{}",
                reply.as_str()
            );
        }
    }

    #[test]
    fn attachment_notes_come_before_the_prompt() {
        let verdict = Verdict {
            label: Label::LikelySafe,
            confidence: 0.6,
            reasons: vec![],
            advice: String::new(),
        };
        let notes = ["⚠️ We couldn't check a video.".to_owned()];
        let reply = verdict_reply_noting(&verdict, &notes, false);
        assert!(
            reply.as_str().contains("\n\n⚠️ We couldn't check a video.\n\n"),
            "{}",
            reply.as_str()
        );
        assert!(reply.as_str().ends_with(FEEDBACK_PROMPT));
        assert!(!verdict_reply(&verdict).as_str().contains("check"));
    }

    #[test]
    fn only_a_configured_transcriber_makes_voice_notes_a_promise() {
        let offline = unsupported_reply(&[], false);
        assert!(!offline.as_str().contains("voice"), "{}", offline.as_str());
        assert!(unsupported_reply(&[], true).as_str().contains("voice notes"));
    }

    #[test]
    fn a_basic_rules_verdict_says_so_before_the_prompt() {
        let verdict = Verdict {
            label: Label::Scam,
            confidence: 0.8,
            reasons: vec!["x".repeat(5000); 3],
            advice: "y".repeat(5000),
        };
        let reply = verdict_reply_noting(&verdict, &["note".to_owned()], true);
        let text = reply.as_str();
        assert!(text.contains(BASIC_RULES_NOTE), "{text}");
        assert!(text.ends_with(FEEDBACK_PROMPT), "{text}");
        assert!(!verdict_reply(&verdict).as_str().contains(BASIC_RULES_NOTE));
    }

    #[test]
    fn fixed_replies_fit_and_differ() {
        let replies = [
            unsupported_reply(&[], false),
            help_reply(),
            feedback_ack(Rating::Helpful),
            feedback_ack(Rating::NotHelpful),
            feedback_ack(Rating::Comment),
        ];
        for reply in &replies {
            assert!(!reply.as_str().is_empty());
            assert!(reply.as_str().chars().count() <= crate::domain::reply_text::MAX_CHARS);
        }
        assert_ne!(replies[2], replies[3]);
    }

    #[test]
    fn huge_model_output_still_fits() {
        let verdict = Verdict {
            label: Label::Suspicious,
            confidence: 0.5,
            reasons: vec!["x".repeat(5000); 10],
            advice: "y".repeat(5000),
        };
        let reply = verdict_reply(&verdict);
        assert!(reply.as_str().chars().count() <= crate::domain::reply_text::MAX_CHARS);
        assert!(reply.as_str().ends_with(FEEDBACK_PROMPT));
    }
}
