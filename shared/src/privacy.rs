//! What a person is told about their data, in their language: the privacy notice (on their first
//! message and on "PRIVACY"), and the replies of the "delete my data" exchange.
//!
//! The language is guessed from the message itself with a few common words: there is no profile
//! to read it from, and the sender's number says where the SIM was bought, not what they read.

use crate::domain::ReplyText;

/// A language tipline writes its own replies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Spanish,
    Portuguese,
}

/// Words frequent in short messages of each language and rare in the others.
const SPANISH: &[&str] = &[
    "el",
    "la",
    "los",
    "las",
    "es",
    "y",
    "por",
    "para",
    "con",
    "su",
    "usted",
    "tu",
    "cuenta",
    "hola",
    "mis",
    "datos",
    "borrar",
    "eliminar",
    "privacidad",
    "ayuda",
    "gracias",
    "pago",
    "aquí",
    "del",
    "una",
    "que",
    "si",
    "sí",
];
const PORTUGUESE: &[&str] = &[
    "o",
    "os",
    "as",
    "é",
    "e",
    "não",
    "você",
    "voce",
    "sua",
    "seu",
    "conta",
    "olá",
    "ola",
    "meus",
    "dados",
    "apagar",
    "excluir",
    "privacidade",
    "ajuda",
    "obrigado",
    "obrigada",
    "pagamento",
    "aqui",
    "do",
    "da",
    "uma",
    "que",
    "com",
    "sim",
];
const ENGLISH: &[&str] = &[
    "the", "is", "and", "your", "you", "to", "of", "for", "account", "hello", "hi", "my", "data", "delete", "privacy",
    "help", "thanks", "payment", "here", "click", "a", "this",
];

/// Guesses the language of `text`; English when nothing points elsewhere.
pub fn detect(text: &str) -> Language {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let score = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
    let (en, es, pt) = (score(ENGLISH), score(SPANISH), score(PORTUGUESE));
    // Letters only one of the two Iberian languages uses settle a tie between them.
    let pt_letters = lower.contains(['ã', 'õ', 'ç']);
    let es_letters = lower.contains(['ñ', '¿', '¡']);
    let (es, pt) = (es + usize::from(es_letters) * 2, pt + usize::from(pt_letters) * 2);
    if es > en && es > pt {
        Language::Spanish
    } else if pt > en && pt >= es && pt > 0 {
        Language::Portuguese
    } else {
        Language::English
    }
}

/// The short notice, with the full policy's link when one is configured.
pub fn notice(language: Language, policy_url: Option<&str>) -> String {
    let body = match language {
        Language::English => {
            "🔒 Privacy: we keep what you send us (and your number) to check it and improve the service. \
             Only the message you forward is sent to our checking model, never your number or profile. \
             Reply DELETE MY DATA at any time to erase it."
        }
        Language::Spanish => {
            "🔒 Privacidad: guardamos lo que nos envías (y tu número) para revisarlo y mejorar el servicio. \
             Solo el mensaje que reenvías va a nuestro modelo de revisión, nunca tu número ni tu perfil. \
             Responde BORRAR MIS DATOS cuando quieras para eliminarlo."
        }
        Language::Portuguese => {
            "🔒 Privacidade: guardamos o que você nos envia (e o seu número) para verificar e melhorar o serviço. \
             Só a mensagem que você encaminha vai para o nosso modelo de verificação, nunca o seu número ou perfil. \
             Responda APAGAR MEUS DADOS quando quiser para apagar tudo."
        }
    };
    match policy_url {
        Some(url) => {
            let more = match language {
                Language::English => "Full policy",
                Language::Spanish => "Política completa",
                Language::Portuguese => "Política completa",
            };
            format!("{body} {more}: {url}")
        }
        None => body.to_owned(),
    }
}

/// The reply to "PRIVACY": the notice on its own.
pub fn notice_reply(language: Language, policy_url: Option<&str>) -> ReplyText {
    ReplyText::fit(&notice(language, policy_url))
}

/// `reply` with the notice added: before the closing feedback prompt when there is one (that
/// prompt is what the next message answers, so it stays last), else at the end.
pub fn with_notice(reply: &ReplyText, notice: &str, closing_prompt: &str) -> ReplyText {
    let text = reply.as_str();
    let combined = match text.strip_suffix(closing_prompt) {
        Some(head) if !closing_prompt.is_empty() => format!("{}\n\n{notice}\n\n{closing_prompt}", head.trim_end()),
        _ => format!("{text}\n\n{notice}"),
    };
    ReplyText::fit(&combined)
}

/// Asks for confirmation of a deletion request.
pub fn deletion_confirm_reply(language: Language, window_minutes: u64) -> ReplyText {
    ReplyText::fit(&match language {
        Language::English => format!(
            "🗑️ You asked us to delete your data: everything you sent us, our replies and your number. \
             This cannot be undone. Reply YES within {window_minutes} minutes to confirm."
        ),
        Language::Spanish => format!(
            "🗑️ Pediste borrar tus datos: todo lo que nos enviaste, nuestras respuestas y tu número. \
             No se puede deshacer. Responde SÍ en los próximos {window_minutes} minutos para confirmar."
        ),
        Language::Portuguese => format!(
            "🗑️ Você pediu para apagar os seus dados: tudo o que nos enviou, as nossas respostas e o seu número. \
             Isso não pode ser desfeito. Responda SIM em até {window_minutes} minutos para confirmar."
        ),
    })
}

/// Confirms that a deletion is done.
pub fn deletion_done_reply(language: Language) -> ReplyText {
    ReplyText::fit(match language {
        Language::English => {
            "✅ Done: we deleted your messages, screenshots, our replies and your number from our records. \
             If you write again, we'll treat you as new."
        }
        Language::Spanish => {
            "✅ Listo: borramos tus mensajes, capturas, nuestras respuestas y tu número de nuestros registros. \
             Si vuelves a escribir, te trataremos como nuevo."
        }
        Language::Portuguese => {
            "✅ Pronto: apagamos as suas mensagens, capturas de tela, as nossas respostas e o seu número dos nossos \
             registros. Se escrever de novo, será tratado como novo."
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_three_languages() {
        let cases = [
            ("Your account is blocked, click here", Language::English),
            ("Hola, su cuenta está bloqueada, pague aquí", Language::Spanish),
            ("Olá, a sua conta foi bloqueada, não clique", Language::Portuguese),
            ("BORRAR MIS DATOS", Language::Spanish),
            ("apagar meus dados", Language::Portuguese),
            ("https://bit.ly/x", Language::English),
            ("", Language::English),
        ];
        for (text, expected) in cases {
            assert_eq!(detect(text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_notice_carries_the_link_and_fits() {
        for language in [Language::English, Language::Spanish, Language::Portuguese] {
            let with = notice(language, Some("https://example.org/privacy"));
            assert!(with.ends_with("https://example.org/privacy"), "{with}");
            assert!(!notice(language, None).contains("http"));
            assert!(with.chars().count() < 400, "short: {with}");
        }
    }

    #[test]
    fn the_notice_goes_before_the_closing_prompt() {
        let reply = ReplyText::fit("🚨 Scam.\n\nReply 1 if this helped, 2 if not.");
        let combined = with_notice(&reply, "NOTICE", "Reply 1 if this helped, 2 if not.");
        assert_eq!(
            combined.as_str(),
            "🚨 Scam.\n\nNOTICE\n\nReply 1 if this helped, 2 if not."
        );
        let help = ReplyText::fit("👋 Hi.");
        assert_eq!(with_notice(&help, "NOTICE", "Reply 1").as_str(), "👋 Hi.\n\nNOTICE");
    }
}
