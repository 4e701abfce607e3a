//! A warning sign one offline rule found in a tip: how much it weighs, the reason shown to
//! the sender, and the advice that fits it if it turns out to be the strongest sign.

/// One rule that fired on a tip.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Signal {
    /// The rule's stable name, for tests and for rules that build on other rules.
    pub rule: &'static str,
    /// How strongly this alone points to a scam, from 0 to 1.
    pub weight: f64,
    /// One plain-English sentence the sender reads.
    pub reason: String,
    /// What to do if this is the strongest sign.
    pub advice: Advice,
}

impl Signal {
    /// A signal whose reason is fixed text.
    pub(super) fn new(rule: &'static str, weight: f64, reason: &str, advice: Advice) -> Self {
        Self {
            rule,
            weight,
            reason: reason.to_owned(),
            advice,
        }
    }
}

/// The concrete next step a reply recommends, chosen by the strongest signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Advice {
    Link,
    Bank,
    Courier,
    Code,
    GiftCard,
    Family,
    Job,
    Investment,
    Prize,
    Government,
    Stranger,
    TechSupport,
    Shopping,
    Account,
    Chain,
    Loan,
    Distress,
    Refund,
}

impl Advice {
    /// The sentence the reply shows.
    pub(super) fn text(self) -> &'static str {
        match self {
            Self::Link => "Don't click the link; if you think it may be real, open the company's official app or type its website address yourself.",
            Self::Bank => "Don't click or reply; call your bank on the number printed on the back of your card.",
            Self::Courier => "Don't pay or click; track the parcel only on the courier's official website or app with the tracking number from the shop.",
            Self::Code => "Never share a code, PIN or password with anyone, even someone who says they are your bank or a friend.",
            Self::GiftCard => "Don't buy the gift cards; call the person on a number you already have to check the request is real.",
            Self::Family => "Call your family member on the number you already have, or ask something only they would know, before you send anything.",
            Self::Job => "Don't pay anything or share your details; real employers never ask you to pay or recharge to earn money.",
            Self::Investment => "Don't send money or crypto; real investments never guarantee returns, so check the firm with your financial regulator first.",
            Self::Prize => "Don't pay any fee or share your details; you cannot win a prize or money you never entered for.",
            Self::Government => "Don't pay or click; contact the tax office or agency through its official website or phone number instead.",
            Self::Stranger => "Don't send money to someone you have not met in person, however convincing the story.",
            Self::TechSupport => "Don't call the number or let anyone connect to your computer or phone remotely.",
            Self::Shopping => "Don't buy through this message; check the offer on the shop's official website or app first.",
            Self::Account => "Don't reply or click; contact the company through its official app or website to check your account.",
            Self::Chain => "Check the claim with an official source before you believe or forward it.",
            Self::Loan => "Don't pay any upfront fee; real lenders never ask for money before paying out a loan.",
            Self::Refund => "Don't send anything back; check your own bank or payment app, because the money you were \"sent\" is usually fake or stolen.",
            Self::Distress => "Don't send money on the strength of a message; call the person on a number you already have, however urgent the story.",
        }
    }
}
