//! The channel's own rules, apart from what a tip means: a sender's wish to stop or resume
//! messages (typed keywords and Twilio's `OptOutType`), and the per-sender tip limits that keep
//! one number from running up the model bill.

use std::time::Duration;

use crate::analysis::reply::Rating;
use crate::domain::ReplyText;
use crate::twilio::InboundMessage;

/// A sender asking to stop or to resume messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptChange {
    /// Stop every further message; `confirm` is false when Twilio already confirmed it (Advanced
    /// Opt-Out answers the keyword itself, and a second confirmation would be ours to send).
    Out { confirm: bool },
    /// Resume.
    In { confirm: bool },
}

/// Opt-out keywords: Twilio's English set and their equivalents in the languages the tipline
/// serves (es, pt, fr, de, id). Only a message that is the keyword alone counts, as with Twilio.
const OPT_OUT: &[&str] = &[
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "baja",
    "parar",
    "sair",
    "cancelar",
    "arret",
    "arrêt",
    "arrete",
    "arrête",
    "stopp",
    "berhenti",
];

/// Opt-in keywords.
const OPT_IN: &[&str] = &["start", "unstop", "subscribe", "alta", "iniciar", "commencer", "mulai"];

/// Reads a stop or resume request from a message: Twilio's `OptOutType` (sent when Advanced
/// Opt-Out on a Messaging Service matched the keyword) first, else the keyword typed alone.
/// A forwarded "STOP" or one under a screenshot is someone else's words, not a request.
pub fn opt_change(message: &InboundMessage) -> Option<OptChange> {
    match message.form.get("OptOutType").map(str::trim) {
        Some(kind) if kind.eq_ignore_ascii_case("STOP") => return Some(OptChange::Out { confirm: false }),
        Some(kind) if kind.eq_ignore_ascii_case("START") => return Some(OptChange::In { confirm: false }),
        _ => {}
    }
    if message.forwarded || message.frequently_forwarded || !message.media.is_empty() {
        return None;
    }
    opt_keyword(&message.body)
}

/// The keyword reading alone, for a text typed on its own.
pub fn opt_keyword(text: &str) -> Option<OptChange> {
    let normalized = text.trim().trim_end_matches(['.', '!']).trim().to_lowercase();
    if OPT_OUT.contains(&normalized.as_str()) {
        Some(OptChange::Out { confirm: true })
    } else if OPT_IN.contains(&normalized.as_str()) {
        Some(OptChange::In { confirm: true })
    } else {
        None
    }
}

/// The `ButtonPayload` ids of the feedback quick-reply buttons, as the Content API template
/// defines them: a press is read by its id, whatever language the button's text is in.
pub const HELPFUL_PAYLOAD: &str = "helpful";
pub const NOT_HELPFUL_PAYLOAD: &str = "not_helpful";

/// The rating a quick-reply button press carries, if it is one of the feedback buttons.
pub fn button_rating(message: &InboundMessage) -> Option<Rating> {
    let payload = message.button.as_ref()?.payload.as_deref()?.trim();
    if payload.eq_ignore_ascii_case(HELPFUL_PAYLOAD) || payload == "1" {
        Some(Rating::Helpful)
    } else if payload.eq_ignore_ascii_case(NOT_HELPFUL_PAYLOAD) || payload == "2" {
        Some(Rating::NotHelpful)
    } else {
        None
    }
}

/// The one message an opted-out person still gets.
pub fn opt_out_reply() -> ReplyText {
    ReplyText::fit("✅ You won't get any more messages from this tipline. Send START at any time to use it again.")
}

/// The confirmation that messages resume.
pub fn opt_in_reply() -> ReplyText {
    ReplyText::fit("👋 Welcome back! Forward us anything that looks like a scam and we'll check it.")
}

/// How many tips one sender may have checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipLimits {
    pub per_hour: u32,
    pub per_day: u32,
}

impl Default for TipLimits {
    /// Enough for a real person's burst of screenshots (each message of a burst answered
    /// separately is one tip), far below what a script sends.
    fn default() -> Self {
        Self {
            per_hour: 20,
            per_day: 50,
        }
    }
}

/// Which limit a sender reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitWindow {
    Hour,
    Day,
}

impl LimitWindow {
    /// The window's length: tips are counted over the last hour or the last 24 hours.
    pub fn length(self) -> Duration {
        match self {
            Self::Hour => Duration::from_secs(3600),
            Self::Day => Duration::from_secs(24 * 3600),
        }
    }
}

/// The polite reply, once per window, to a sender past a limit.
pub fn limit_reply(window: LimitWindow) -> ReplyText {
    ReplyText::fit(match window {
        LimitWindow::Hour => {
            "⏳ You've sent a lot of messages in the last hour, so we've paused checking for a \
             little while. Please try again later. Until then: don't click links, share codes or \
             send money."
        }
        LimitWindow::Day => {
            "⏳ You've reached today's limit of checks. Please try again tomorrow. Until then: \
             don't click links, share codes or send money."
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::twilio::TwilioForm;

    fn message(pairs: &[(&str, &str)]) -> InboundMessage {
        let mut all = vec![
            ("MessageSid", "SM0123456789abcdef0123456789abcdef"),
            ("From", "whatsapp:+14155550100"),
        ];
        all.extend_from_slice(pairs);
        InboundMessage::try_from(TwilioForm::from_pairs(
            all.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect(),
        ))
        .expect("valid")
    }

    #[test]
    fn reads_keywords_in_every_supported_language() {
        for word in [
            "STOP",
            "Unsubscribe",
            "baja",
            "PARAR",
            "sair",
            "ARRET",
            "arrêt",
            "STOPP",
            "berhenti",
            "stop!",
        ] {
            assert_eq!(opt_keyword(word), Some(OptChange::Out { confirm: true }), "{word}");
        }
        for word in ["START", "unstop", "Alta"] {
            assert_eq!(opt_keyword(word), Some(OptChange::In { confirm: true }), "{word}");
        }
        for text in ["stop please", "don't stop", "1", "", "started"] {
            assert_eq!(opt_keyword(text), None, "{text}");
        }
    }

    #[test]
    fn twilio_opt_out_type_wins_and_forwarded_keywords_do_not_count() {
        assert_eq!(
            opt_change(&message(&[("Body", "Stop please"), ("OptOutType", "STOP")])),
            Some(OptChange::Out { confirm: false })
        );
        assert_eq!(
            opt_change(&message(&[("Body", "start"), ("OptOutType", "START")])),
            Some(OptChange::In { confirm: false })
        );
        assert_eq!(opt_change(&message(&[("Body", "help"), ("OptOutType", "HELP")])), None);
        assert_eq!(opt_change(&message(&[("Body", "STOP"), ("Forwarded", "true")])), None);
        assert_eq!(
            opt_change(&message(&[("Body", "STOP")])),
            Some(OptChange::Out { confirm: true })
        );
    }

    #[test]
    fn feedback_buttons_are_read_by_their_payload() {
        let press = |payload: &str| {
            message(&[
                ("Body", "Não ajudou"),
                ("ButtonText", "Não ajudou"),
                ("ButtonPayload", payload),
            ])
        };
        assert_eq!(button_rating(&press("not_helpful")), Some(Rating::NotHelpful));
        assert_eq!(button_rating(&press("HELPFUL")), Some(Rating::Helpful));
        assert_eq!(button_rating(&press("menu")), None);
        assert_eq!(
            button_rating(&message(&[("Body", "2")])),
            None,
            "typed ratings are the classifier's"
        );
    }
}
