//! The keyword rules: each names a kind of scam pressure (urgency, threats, payment,
//! secret codes, impersonation, prizes, jobs, investments...), says which ideas from
//! `keywords.rs` must appear for it to fire, how much it weighs, why it matters to the
//! sender and what to do about it.

use super::keywords::*;
use super::signal::{Advice, Signal};
use super::text::Words;

/// When a keyword rule fires.
#[derive(Debug)]
enum Trigger {
    /// Any phrase of the concept occurs.
    Any(Concept),
    /// Each concept has at least one phrase in the text.
    All(&'static [Concept]),
    /// At least this many of the concepts have a phrase in the text.
    AtLeast(usize, &'static [Concept]),
    /// At least this many different phrases of one concept occur.
    Several(usize, Concept),
}

impl Trigger {
    fn fires(&self, words: &Words) -> bool {
        let present = |concept: &Concept| words.first_of(concept).is_some();
        match self {
            Self::Any(concept) => present(concept),
            Self::All(concepts) => concepts.iter().all(present),
            Self::AtLeast(n, concepts) => concepts.iter().filter(|c| present(c)).count() >= *n,
            Self::Several(n, concept) => concept.iter().filter(|p| words.has(p)).count() >= *n,
        }
    }
}

/// A keyword rule.
#[derive(Debug)]
struct Rule {
    name: &'static str,
    weight: f64,
    reason: &'static str,
    advice: Advice,
    trigger: Trigger,
}

/// The keyword rules, in the order ties between equal weights are broken.
const RULES: &[Rule] = &[
    Rule {
        name: "gift_cards",
        weight: 0.6,
        reason: "It asks you to pay with gift cards, which real companies and bosses never do.",
        advice: Advice::GiftCard,
        trigger: Trigger::Any(GIFT_CARDS),
    },
    Rule {
        name: "family_new_number",
        weight: 0.6,
        reason: "It claims to be a family member writing from a new number, the start of the common \"Hi Mum\" scam.",
        advice: Advice::Family,
        trigger: Trigger::All(&[FAMILY, NEW_NUMBER]),
    },
    Rule {
        name: "investment_promise",
        weight: 0.55,
        reason: "It promises guaranteed or risk-free returns; real investments never can.",
        advice: Advice::Investment,
        trigger: Trigger::Any(INVESTMENT_PROMISE),
    },
    Rule {
        name: "job_easy_money",
        weight: 0.55,
        reason: "It offers easy money for simple tasks or work from home, a job scam that ends with you paying in.",
        advice: Advice::Job,
        trigger: Trigger::AtLeast(
            3,
            &[JOB_HOME, JOB_NO_EXPERIENCE, JOB_EARN, JOB_PAY_RATE, JOB_TASKS, JOB_RECRUITING, JOB_PAY_IN],
        ),
    },
    Rule {
        name: "courier_fee",
        weight: 0.5,
        reason: "It says a parcel is held until you pay a fee or confirm details; couriers don't ask for that by message.",
        advice: Advice::Courier,
        trigger: Trigger::All(&[DELIVERY, DELIVERY_DEMAND]),
    },
    Rule {
        name: "government_impersonation",
        weight: 0.5,
        reason: "It claims to be a tax office or government agency offering a refund or demanding a fine; they don't do that by message.",
        advice: Advice::Government,
        trigger: Trigger::All(&[GOVERNMENT, GOVERNMENT_HOOK]),
    },
    Rule {
        name: "windfall_story",
        weight: 0.5,
        reason: "It tells a story about a fortune or valuables you could help with or share, a classic advance-fee scam.",
        advice: Advice::Stranger,
        trigger: Trigger::Several(2, WINDFALL_STORY),
    },
    Rule {
        name: "tech_support",
        weight: 0.5,
        reason: "It says your device is infected and asks you to contact a technician, a tech-support scam.",
        advice: Advice::TechSupport,
        trigger: Trigger::All(&[TECH_PROBLEM, TECH_SUPPORT_ACTION]),
    },
    Rule {
        name: "prize",
        weight: 0.45,
        reason: "It says you have won or been picked for a prize you never entered for.",
        advice: Advice::Prize,
        trigger: Trigger::Any(PRIZE),
    },
    Rule {
        name: "prize_draw",
        weight: 0.45,
        reason: "It says your number or email was picked in a draw or lottery you never entered.",
        advice: Advice::Prize,
        trigger: Trigger::All(&[DRAW, DRAW_NAMES_YOU]),
    },
    Rule {
        name: "fee_to_receive",
        weight: 0.45,
        reason: "It asks for a fee before you can receive money or a prize; real payouts don't charge upfront.",
        advice: Advice::Prize,
        trigger: Trigger::Any(FEE_TO_RECEIVE),
    },
    Rule {
        name: "loan_bait",
        weight: 0.45,
        reason: "It offers a pre-approved loan without checks, the bait for an upfront-fee scam.",
        advice: Advice::Loan,
        trigger: Trigger::Any(LOAN_BAIT),
    },
    Rule {
        name: "crypto_payment",
        weight: 0.45,
        reason: "It asks you to send or invest cryptocurrency, which can't be traced or taken back.",
        advice: Advice::Investment,
        trigger: Trigger::All(&[CRYPTO, SEND_OR_INVEST]),
    },
    Rule {
        name: "trading_profits",
        weight: 0.45,
        reason: "It promises profits from crypto or trading, the usual hook of investment scams.",
        advice: Advice::Investment,
        trigger: Trigger::All(&[TRADING, PROFIT]),
    },
    Rule {
        name: "untraceable_payment",
        weight: 0.45,
        reason: "It asks for money by Western Union, MoneyGram or a crypto machine, which can't be traced or taken back.",
        advice: Advice::Stranger,
        trigger: Trigger::Any(UNTRACEABLE_PAYMENT),
    },
    Rule {
        name: "distress_money",
        weight: 0.45,
        reason: "It asks for money with a story of being stuck, abroad or in trouble, a classic trick of romance and impersonation scams.",
        advice: Advice::Distress,
        trigger: Trigger::All(&[DISTRESS, MONEY_ASK]),
    },
    Rule {
        name: "contact_new_number",
        weight: 0.45,
        reason: "It says it's someone you know on a new number and asks for money or a favour.",
        advice: Advice::Family,
        trigger: Trigger::All(&[NEW_NUMBER, FAVOUR_OR_MONEY]),
    },
    Rule {
        name: "boss_payment",
        weight: 0.45,
        reason: "It claims to be your boss or someone senior asking for an urgent payment, a common business scam.",
        advice: Advice::Distress,
        trigger: Trigger::All(&[BOSS, PAYMENT_REQUEST]),
    },
    Rule {
        name: "mistaken_payment",
        weight: 0.45,
        reason: "It says money reached you by mistake and asks for it back; the first payment is usually fake or stolen.",
        advice: Advice::Refund,
        trigger: Trigger::All(&[BY_MISTAKE, SEND_BACK]),
    },
    Rule {
        name: "legal_threat",
        weight: 0.45,
        reason: "It threatens arrest or legal action to scare you into acting fast.",
        advice: Advice::Government,
        trigger: Trigger::Any(LEGAL_THREAT),
    },
    Rule {
        name: "expiring_points",
        weight: 0.4,
        reason: "It says reward points are about to expire, a common bait for a fake redemption site.",
        advice: Advice::Account,
        trigger: Trigger::All(&[POINTS, POINTS_HOOK]),
    },
    Rule {
        name: "cheap_gadget",
        weight: 0.4,
        reason: "It offers an expensive gadget for almost nothing, the bait of fake shops and subscription traps.",
        advice: Advice::Shopping,
        trigger: Trigger::All(&[GADGET, TINY_PRICE]),
    },
    Rule {
        name: "unrecognised_charge",
        weight: 0.4,
        reason: "It reports a payment you didn't make and asks you to call or cancel, a trick to get you talking to a scammer.",
        advice: Advice::Account,
        trigger: Trigger::All(&[NOT_YOU, CALL_OR_CANCEL]),
    },
    Rule {
        name: "account_threat",
        weight: 0.35,
        reason: "It says your account or service is blocked, cut off or misused, to make you act before you think.",
        advice: Advice::Account,
        trigger: Trigger::Any(ACCOUNT_THREAT),
    },
    Rule {
        name: "details_request",
        weight: 0.35,
        reason: "It asks you to confirm personal, login or payment details, which real companies don't ask for by message.",
        advice: Advice::Account,
        trigger: Trigger::Any(DETAILS_REQUEST),
    },
    Rule {
        name: "third_party_account",
        weight: 0.35,
        reason: "It asks you to pay into someone else's account, which is how impersonators collect.",
        advice: Advice::Distress,
        trigger: Trigger::All(&[OTHER_ACCOUNT, PAYMENT_REQUEST]),
    },
    Rule {
        name: "payment_request",
        weight: 0.3,
        reason: "It asks you to pay or transfer money.",
        advice: Advice::Distress,
        trigger: Trigger::Any(PAYMENT_REQUEST),
    },
    Rule {
        name: "giveaway",
        weight: 0.3,
        reason: "It offers something free for everyone, a common bait to spread a link.",
        advice: Advice::Chain,
        trigger: Trigger::AtLeast(2, &[GIVEAWAY, FOR_EVERYONE, FREE]),
    },
    Rule {
        name: "secrecy",
        weight: 0.25,
        reason: "It asks you to keep it secret, which stops you checking with anyone.",
        advice: Advice::Distress,
        trigger: Trigger::Any(SECRECY),
    },
    Rule {
        name: "urgency",
        weight: 0.2,
        reason: "It pushes you to act fast, so you don't stop to check.",
        advice: Advice::Account,
        trigger: Trigger::Any(URGENCY),
    },
    Rule {
        name: "click_link",
        weight: 0.15,
        reason: "It pushes you to click a link.",
        advice: Advice::Link,
        trigger: Trigger::Any(CLICK_LINK),
    },
    Rule {
        name: "generic_greeting",
        weight: 0.15,
        reason: "It greets you as \"dear customer\" instead of by name.",
        advice: Advice::Account,
        trigger: Trigger::Any(GENERIC_GREETING),
    },
];

/// Secret and request must sit this close (in bytes of normalised text) to count as asking
/// for the secret; about a dozen words.
const HAND_OVER_WINDOW: usize = 90;

/// Signals from every keyword rule that fires on the normalised words.
pub(super) fn signals(words: &Words) -> Vec<Signal> {
    let mut out: Vec<Signal> = RULES
        .iter()
        .filter(|rule| rule.trigger.fires(words))
        .map(|rule| Signal::new(rule.name, rule.weight, rule.reason, rule.advice))
        .collect();
    if let Some(signal) = big_discount(words) {
        out.push(signal);
    }
    let fired = |name: &str, out: &[Signal]| out.iter().any(|s| s.rule == name);
    // Gift card codes are asked for too; the reason about gift cards says it better.
    if !fired("gift_cards", &out) && asks_for_secret(words) {
        out.push(Signal::new(
            "secret_request",
            0.6,
            "It asks you to share a code, PIN or password; nobody genuine ever needs these from you.",
            Advice::Code,
        ));
    }
    // A bank named alone is everyday talk; a bank plus pressure is the phishing pattern.
    let pressure = ["account_threat", "details_request", "secret_request"];
    if words.first_of(BANK).is_some() && pressure.iter().any(|p| fired(p, &out)) {
        out.push(Signal::new(
            "bank_impersonation",
            0.3,
            "It claims to be your bank and puts pressure on you about your account.",
            Advice::Bank,
        ));
    }
    out
}

/// Whether the text warns about a scam ("don't click these links") rather than being one.
pub(super) fn warns_about_scams(words: &Words) -> bool {
    words.first_of(SCAM_WARNING).is_some()
}

/// A request to hand over a code or password, close to the word for it and not negated
/// ("send me the code" yes, "don't share this code" no), or to confirm a PIN or password.
fn asks_for_secret(words: &Words) -> bool {
    let near = |secrets: Concept, verbs: Concept| {
        let found: Vec<usize> = secrets
            .iter()
            .flat_map(|phrase| words.occurrences(phrase))
            .filter(|&at| words.word_before(at).is_none_or(|before| !NOT_SECRET.contains(&before)))
            .take(64)
            .collect();
        !found.is_empty()
            && verbs
                .iter()
                .flat_map(|phrase| words.affirmed(phrase))
                .take(64)
                .any(|ask| found.iter().any(|&at| at.abs_diff(ask) <= HAND_OVER_WINDOW))
    };
    near(SECRET, HAND_OVER) || near(SECRET, JUST_SENT) || near(PASSWORD, CONFIRM_SECRET)
}

/// A discount of 70% or more: too good to be true.
fn big_discount(words: &Words) -> Option<Signal> {
    let percent = DISCOUNT_WORDS
        .iter()
        .flat_map(|phrase| words.occurrences(phrase))
        .filter_map(|at| words.word_before(at)?.parse::<u32>().ok())
        .find(|p| (70..=100).contains(p))?;
    Some(Signal {
        rule: "too_good_deal",
        weight: 0.45,
        reason: format!("It offers {percent}% off, a deal too good to be true."),
        advice: Advice::Shopping,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Words {
        let mut words = Words::with_capacity(text.len());
        for token in text.split_whitespace() {
            words.push_token(token);
        }
        words
    }

    fn fired(text: &str) -> Vec<&'static str> {
        signals(&words(text)).into_iter().map(|s| s.rule).collect()
    }

    #[test]
    fn each_rule_fires_on_its_kind_of_message() {
        let cases: &[(&str, &str)] = &[
            ("Buy 3 iTunes cards and send the codes", "gift_cards"),
            ("Hola mamá, este es mi nuevo número", "family_new_number"),
            ("Lucro garantido todo mês", "investment_promise"),
            ("Earn 100 a day, no experience", "job_easy_money"),
            ("Ganhe por dia curtindo vídeos", "job_easy_money"),
            ("Votre colis: frais de livraison à régler", "courier_fee"),
            ("HMRC tax refund: you are eligible", "government_impersonation"),
            ("The late client's inheritance of 4 million", "windfall_story"),
            ("Your PC is infected, call our technician", "tech_support"),
            ("¡Felicidades, eres el ganador!", "prize"),
            ("Pay the release fee to get your funds", "fee_to_receive"),
            ("Your mobile number was selected in our lottery", "prize_draw"),
            ("I'm in a meeting, please wire the money now", "boss_payment"),
            ("I sent you 40 by mistake, can you send it back?", "mistaken_payment"),
            ("Brand new iPhone for just $2", "cheap_gadget"),
            ("Pay the 50 into my friend's account", "third_party_account"),
            ("Tell me the code you just received", "secret_request"),
            ("Pre-approved loan, no credit check", "loan_bait"),
            ("Deposit USDT to start", "crypto_payment"),
            ("Join my forex group, members earn daily", "trading_profits"),
            ("Send it through Western Union", "untraceable_payment"),
            ("I'm stuck abroad and need you to send 500", "distress_money"),
            ("Grandma I'm in trouble and need money for bail", "distress_money"),
            ("It's me, my phone was stolen, can you lend me 50", "contact_new_number"),
            ("A warrant for your arrest", "legal_threat"),
            ("Seus pontos expiram hoje, resgate já", "expiring_points"),
            ("If this wasn't you, call us", "unrecognised_charge"),
            ("Ihr Konto wird gesperrt", "account_threat"),
            ("Confirme seus dados", "details_request"),
            ("Your bank account has been locked", "bank_impersonation"),
            ("Haz un bizum de 50", "payment_request"),
            ("Free data for everyone", "giveaway"),
            ("Please don't tell anyone about this", "secrecy"),
            ("Responda imediatamente", "urgency"),
            ("Cliquez ici", "click_link"),
            ("Dear customer, hello", "generic_greeting"),
            ("Watches 85% OFF", "too_good_deal"),
            ("Can you send me the code I got by mistake", "secret_request"),
            ("OTP batao jaldi", "secret_request"),
            ("Para cancelar, confirme a senha do seu cartão", "secret_request"),
        ];
        for (text, rule) in cases {
            assert!(
                fired(text).contains(rule),
                "{rule} did not fire on {text:?}: {:?}",
                fired(text)
            );
        }
    }

    #[test]
    fn everyday_messages_fire_nothing() {
        let cases = [
            "Hi mum, I'll be home around 7",
            "Don't share this code with anyone. Your code is 123456",
            "Não compartilhe este código com ninguém",
            "We will never ask for your PIN",
            "Use code 482913 to confirm your login",
            "20% off garden furniture this weekend",
            "Bitcoin dropped again today, glad I didn't buy",
            "Your parcel will be delivered today between 1 and 2pm",
            "Football is cancelled tonight",
            "Happy birthday!! 🎉",
            "Share the discount code SAVE10 with your friends",
            "The code for the gate is 4590",
            "The police arrested two men after the match",
            "Ganó el premio a la mejor película",
            "Lottery results are out, we didn't win again",
            "I sent you the photos by mistake, ignore them",
            "My new iPhone was only £20 cheaper in the sale",
            "Mum got a new phone for her birthday",
            "Dad's new number is 07700 900461",
            "I'm going abroad next week, I need to pack",
            "Dad is in hospital, can you send me the ward number?",
            "Me pusieron una multa por aparcar mal",
            "I got the job! I can work from home two days a week",
        ];
        for text in cases {
            assert_eq!(fired(text), Vec::<&str>::new(), "{text:?}");
        }
    }

    #[test]
    fn recognises_warnings_about_scams() {
        let cases = [
            ("Heads up: there's a scam going around, don't click those links", true),
            ("Cuidado com esse golpe do Pix", true),
            ("Pay the fee now", false),
        ];
        for (text, expected) in cases {
            assert_eq!(warns_about_scams(&words(text)), expected, "{text}");
        }
    }
}
