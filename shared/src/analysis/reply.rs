//! The reply a person reads: verdict first, then why, one thing to do, and the feedback prompt.
//!
//! Everything here is built from validated [`Verdict`] fields with length caps, so no raw model
//! output reaches a user unchecked and the whole reply always fits one WhatsApp message.

use crate::domain::ReplyText;

use super::verdict::{Label, Verdict};

/// How many reasons a reply lists; more is noise on a phone screen.
const MAX_REASONS: usize = 3;
const MAX_REASON_CHARS: usize = 240;
const MAX_ADVICE_CHARS: usize = 400;

/// The prompt that turns the next short reply into feedback.
pub const FEEDBACK_PROMPT: &str = "Reply 1 if this helped, 2 if not.";

fn headline(label: Label) -> &'static str {
    match label {
        Label::Scam => "🚨 This looks like a SCAM.",
        Label::Suspicious => "⚠️ This looks SUSPICIOUS.",
        Label::LikelySafe => "✅ This looks likely SAFE.",
        Label::Unknown => "❔ We couldn't tell whether this is a scam.",
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

/// The reply for a verdict.
pub fn verdict_reply(verdict: &Verdict) -> ReplyText {
    verdict_reply_noting(verdict, &[])
}

/// The reply for a verdict, with one line per attachment saying whether the verdict covers it.
pub fn verdict_reply_noting(verdict: &Verdict, notes: &[String]) -> ReplyText {
    let mut text = String::from(headline(verdict.label));
    let reasons: Vec<String> = verdict
        .reasons
        .iter()
        .map(|r| clip(r, MAX_REASON_CHARS))
        .filter(|r| !r.is_empty())
        .take(MAX_REASONS)
        .collect();
    if !reasons.is_empty() {
        text.push_str("\n\nWhy:");
        for reason in reasons {
            text.push_str("\n• ");
            text.push_str(&reason);
        }
    }
    let advice = clip(&verdict.advice, MAX_ADVICE_CHARS);
    if !advice.is_empty() {
        text.push_str("\n\nWhat to do: ");
        text.push_str(&advice);
    }
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join("\n"));
    }
    text.push_str("\n\n");
    text.push_str(FEEDBACK_PROMPT);
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
    fn attachment_notes_come_before_the_prompt() {
        let verdict = Verdict {
            label: Label::LikelySafe,
            confidence: 0.6,
            reasons: vec![],
            advice: String::new(),
        };
        let notes = ["⚠️ We couldn't check a video.".to_owned()];
        let reply = verdict_reply_noting(&verdict, &notes);
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
