//! The keyword rules: each names a kind of scam pressure (urgency, threats, payment,
//! codes, impersonation, prizes, jobs, investments...), lists the words that show it in
//! English, Spanish, Portuguese, German, French and Hindi written in Latin letters, and
//! says how much it weighs, why it matters and what to do.
//!
//! Phrases are in normalised form (see `text.rs`): lowercase, no accents, apostrophes and
//! hyphens as spaces, `*` for "any ending". A rule is a kind of scam, not one message:
//! lists hold the wording scams of that kind share.

use super::signal::{Advice, Signal};
use super::text::Words;

/// Synonyms for one idea.
type Concept = &'static [&'static str];

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

/// A keyword rule.
#[derive(Debug)]
struct Rule {
    name: &'static str,
    weight: f64,
    reason: &'static str,
    advice: Advice,
    trigger: Trigger,
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

const URGENCY: Concept = &[
    "urgent",
    "urgently",
    "immediately",
    "right away",
    "right now",
    "act now",
    "asap",
    "as soon as possible",
    "final notice",
    "final warning",
    "last chance",
    "last warning",
    "within 12 hours",
    "within 24 hours",
    "within 48 hours",
    "in 24 hours",
    "in 48 hours",
    "24h",
    "48h",
    "today only",
    "only today",
    "limited time",
    "limited stock",
    "hurry",
    "before midnight",
    "before it expires",
    "expires today",
    "by today",
    "don t miss",
    "urgente",
    "inmediatamente",
    "de inmediato",
    "en 24 horas",
    "en 48 horas",
    "antes de 24 horas",
    "antes de 48 horas",
    "solo hoy",
    "ultimo aviso",
    "antes de que caduque",
    "imediatamente",
    "em 24 horas",
    "ate 24 horas",
    "ate 48 horas",
    "so hoje",
    "ultima chance",
    "dringend",
    "sofort",
    "innerhalb von 24 stunden",
    "innerhalb von 48 stunden",
    "nur heute",
    "letzte mahnung",
    "immediatement",
    "avant 24h",
    "avant 48h",
    "dernier avis",
    "dernier rappel",
    "turant",
    "jaldi",
    "abhi",
];

/// The account is about to be (or has been) closed, locked or misused.
const ACCOUNT_THREAT: Concept = &[
    "has been suspended",
    "will be suspended",
    "been locked",
    "been limited",
    "been blocked",
    "been deactivated",
    "will be blocked",
    "will be closed",
    "will be deactivated",
    "will be terminated",
    "unusual activity",
    "unusual sign in",
    "suspicious activity",
    "suspicious payment",
    "suspicious transaction",
    "unauthorised access",
    "unauthorized access",
    "unauthorised payment",
    "unauthorized payment",
    "new payee",
    "new device",
    "sera bloqueada",
    "sera bloqueado",
    "ha sido bloqueada",
    "ha sido suspendida",
    "sera suspendida",
    "cuenta bloqueada",
    "acceso no autorizado",
    "actividad sospechosa",
    "movimiento sospechoso",
    "foi bloqueada",
    "foi bloqueado",
    "sera bloqueada",
    "sera cancelado",
    "sera cancelada",
    "foi suspensa",
    "conta bloqueada",
    "esta irregular",
    "atividade suspeita",
    "acesso nao autorizado",
    "wird gesperrt",
    "wurde gesperrt",
    "gesperrt",
    "ungewohnliche aktivitat",
    "sera bloque",
    "a ete bloque",
    "a ete suspendu",
    "sera suspendu",
    "activite inhabituelle",
    "block ho jayega",
    "band ho jayega",
    "block ho gaya",
    "block kar diya",
];

const LEGAL_THREAT: Concept = &[
    "your arrest",
    "be arrested",
    "arrest warrant",
    "warrant",
    "legal action",
    "lawsuit",
    "be prosecuted",
    "court summons",
    "orden de arresto",
    "orden de detencion",
    "su detencion",
    "accion legal",
    "acciones legales",
    "mandado de prisao",
    "acao judicial",
    "processo judicial",
    "haftbefehl",
    "rechtliche schritte",
    "poursuites judiciaires",
    "mandat d arret",
    "giraftar",
];

/// Asks for money to be moved now.
const PAYMENT_REQUEST: Concept = &[
    "pay now",
    "pay the",
    "pay a",
    "pay by",
    "pay your",
    "pay it",
    "pay only",
    "fee",
    "fees",
    "send me $",
    "send me £",
    "send me €",
    "send me ₹",
    "lend me",
    "i need $",
    "i need £",
    "i need €",
    "customs duty",
    "send money",
    "send the money",
    "bank transfer",
    "wire transfer",
    "wire the",
    "transfer the",
    "transfer me",
    "make a transfer",
    "deposit",
    "recharge",
    "top up",
    "settle the",
    "outstanding balance",
    "unpaid",
    "pagar",
    "pague",
    "pagando",
    "paga el",
    "paga la",
    "tasa",
    "transferencia",
    "hazme un bizum",
    "haz un bizum",
    "ingreso",
    "deposito",
    "taxa",
    "fazer um pix",
    "faz um pix",
    "manda um pix",
    "via pix",
    "um pix",
    "boleto",
    "zahlen",
    "bezahlen",
    "gebuhr",
    "zollgebuhr",
    "uberweisung",
    "uberweisen",
    "payer",
    "payez",
    "frais",
    "regler",
    "virement",
    "paise bhej*",
    "payment kar*",
];

/// Payment methods that cannot be traced or reversed.
const UNTRACEABLE_PAYMENT: Concept = &["western union", "moneygram", "bitcoin atm", "crypto atm"];

const GIFT_CARDS: Concept = &[
    "gift card*",
    "giftcard*",
    "itunes card*",
    "google play card*",
    "steam card*",
    "amazon card*",
    "amazon voucher*",
    "scratch the back",
    "photos of the codes",
    "tarjeta regalo",
    "tarjetas regalo",
    "tarjeta de regalo",
    "tarjetas de regalo",
    "cartao presente",
    "cartoes presente",
    "cartao de presente",
    "vale presente",
    "geschenkkarte*",
    "gutscheinkarte*",
    "carte cadeau",
    "cartes cadeaux",
];

/// Asks to confirm or hand over personal, login or payment details.
const DETAILS_REQUEST: Concept = &[
    "verify your identity",
    "verify your account",
    "verify your details",
    "confirm your details",
    "confirm your identity",
    "confirm your address",
    "confirm your account",
    "update your details",
    "update your payment",
    "update your billing",
    "payment details",
    "billing information",
    "card details",
    "restore access",
    "unlock it",
    "unlock your",
    "reactivate",
    "validate your",
    "send your full name",
    "send your details",
    "reply with your details",
    "your full name",
    "your bank details",
    "verifique sus datos",
    "confirme sus datos",
    "actualice sus datos",
    "verifica tu cuenta",
    "confirma tus datos",
    "confirme su direccion",
    "sus datos bancarios",
    "confirme seus dados",
    "atualize seus dados",
    "informe seus dados",
    "regularize",
    "seus dados bancarios",
    "bestatigen sie ihre daten",
    "bestatigen sie ihre adresse",
    "aktualisieren sie ihre daten",
    "ihre bankdaten",
    "confirmez vos",
    "mettez a jour vos",
    "vos coordonnees bancaires",
    "kyc",
];

const CLICK_LINK: Concept = &[
    "click here",
    "click the link",
    "click on the link",
    "click below",
    "tap the link",
    "tap here",
    "link below",
    "in the link",
    "via the link",
    "follow the link",
    "haga clic",
    "haz clic",
    "pulse aqui",
    "pincha aqui",
    "en el enlace",
    "clique aqui",
    "clicando aqui",
    "clique no link",
    "acesse o link",
    "no link",
    "klicken sie",
    "auf den link",
    "cliquez",
    "sur le lien",
    "link pe click",
    "link par click",
    "click kare*",
    "click karo",
];

const GENERIC_GREETING: Concept = &[
    "dear customer",
    "dear user",
    "dear client",
    "dear friend",
    "dear beneficiary",
    "dear account holder",
    "dear valued customer",
    "estimado cliente",
    "querido cliente",
    "estimado usuario",
    "prezado cliente",
    "caro cliente",
    "sehr geehrter kunde",
    "lieber kunde",
    "cher client",
    "chere cliente",
];

const BANK: Concept = &[
    "bank",
    "banking",
    "your bank",
    "fraud team",
    "banco",
    "banque",
    "konto",
    "sparkasse",
    "volksbank",
    "santander",
    "bbva",
    "caixa",
    "itau",
    "nubank",
    "bradesco",
    "barclays",
    "hsbc",
    "lloyds",
    "natwest",
    "chase",
    "wells fargo",
    "revolut",
    "monzo",
    "sbi",
    "hdfc",
    "icici",
];

const DELIVERY: Concept = &[
    "parcel",
    "package",
    "shipment",
    "delivery",
    "redelivery",
    "deliver",
    "delivered",
    "courier",
    "customs",
    "royal mail",
    "dhl",
    "usps",
    "ups",
    "fedex",
    "evri",
    "hermes",
    "dpd",
    "paquete",
    "envio",
    "aduana",
    "aduanas",
    "correos",
    "encomenda",
    "alfandega",
    "pacote",
    "ctt",
    "paket",
    "sendung",
    "zustellung",
    "zugestellt",
    "zoll",
    "colis",
    "livraison",
    "chronopost",
    "la poste",
    "colissimo",
];

/// What a fake courier wants: a fee, a payment or the address "confirmed".
const DELIVERY_DEMAND: Concept = &[
    "fee",
    "fees",
    "duty",
    "customs duty",
    "pay now",
    "pay the",
    "pay a",
    "unpaid",
    "confirm your address",
    "update your address",
    "tasa",
    "pagar",
    "pague",
    "confirme su direccion",
    "taxa",
    "gebuhr",
    "zollgebuhr",
    "zahlen",
    "bestatigen sie ihre adresse",
    "frais",
    "regler",
    "payer",
];

const GOVERNMENT: Concept = &[
    "tax",
    "taxes",
    "tax refund",
    "irs",
    "hmrc",
    "dvla",
    "revenue",
    "government",
    "toll",
    "tolls",
    "e zpass",
    "ezpass",
    "agencia tributaria",
    "hacienda",
    "aeat",
    "dgt",
    "gobierno",
    "receita federal",
    "cpf",
    "governo",
    "auxilio",
    "detran",
    "finanzamt",
    "bussgeld",
    "impots",
    "antai",
];

/// What a fake tax office or agency offers or threatens.
const GOVERNMENT_HOOK: Concept = &[
    "refund",
    "eligible",
    "unpaid",
    "pending",
    "penalty",
    "late fee",
    "fine",
    "arrest*",
    "warrant",
    "claim",
    "reembolso",
    "devolucion",
    "pendiente",
    "pago",
    "multa",
    "sancion",
    "restituicao",
    "irregular",
    "cancelado",
    "liberou",
    "direito",
    "erstattung",
    "ruckerstattung",
    "remboursement",
    "amende",
    "impayee",
    "majoration",
];

/// Being told you won: the prize is yours, not someone else's in the news.
const PRIZE: Concept = &[
    "you have won",
    "you ve won",
    "you won",
    "you are the winner",
    "you re the winner",
    "selected as the winner",
    "your number was selected",
    "claim your prize",
    "your prize",
    "claim your reward",
    "lottery",
    "lucky draw",
    "has ganado",
    "eres el ganador",
    "has sido seleccionado",
    "reclamar tu premio",
    "tu premio",
    "voce ganhou",
    "foi sorteado",
    "foi sorteada",
    "seu premio",
    "resgatar seu premio",
    "sie haben gewonnen",
    "ihr gewinn",
    "vous avez gagne",
    "votre prix",
    "votre gain",
    "aapne jeeta",
    "lottery jeeti",
    "inaam jeeta",
];

/// A fee before money can be received: the core of every advance-fee scam.
const FEE_TO_RECEIVE: Concept = &[
    "processing fee",
    "release fee",
    "upfront fee",
    "advance fee",
    "clearance fee",
    "activation fee",
    "transfer fee",
    "handling fee",
    "small fee",
    "tasa de gestion",
    "gastos de envio",
    "paga el envio",
    "taxa de liberacao",
    "taxa de entrega",
    "taxa de resgate",
    "bearbeitungsgebuhr",
    "frais de dossier",
    "processing charge",
];

/// Money, a fortune or a deal from a stranger's story.
const WINDFALL_STORY: Concept = &[
    "next of kin",
    "beneficiary",
    "inheritance",
    "barrister",
    "late client",
    "million",
    "50 50",
    "consignment",
    "diplomat",
    "unclaimed",
    "compensation fund",
    "herencia",
    "heranca",
    "erbschaft",
    "heritage",
];

const INVESTMENT_PROMISE: Concept = &[
    "guaranteed return*",
    "guaranteed profit*",
    "guaranteed income",
    "guaranteed 1*",
    "guaranteed 2*",
    "guaranteed 3*",
    "guaranteed 4*",
    "guaranteed 5*",
    "zero risk",
    "no risk",
    "risk free",
    "without risk",
    "double your money",
    "weekly returns",
    "daily returns",
    "daily profit*",
    "% daily",
    "% weekly",
    "% a day",
    "% per day",
    "% a week",
    "% per week",
    "ganancias garantizadas",
    "rentabilidad garantizada",
    "beneficios garantizados",
    "sin riesgo",
    "% al dia",
    "% cada semana",
    "% por semana",
    "lucro garantido",
    "rendimento garantido",
    "retorno garantido",
    "sem risco",
    "% ao dia",
    "% por dia",
    "garantierte rendite",
    "garantierter gewinn",
    "ohne risiko",
    "% pro tag",
    "rendement garanti",
    "sans risque",
    "% par jour",
    "guaranteed munafa",
];

const CRYPTO: Concept = &[
    "bitcoin",
    "btc",
    "usdt",
    "tether",
    "crypto",
    "cryptocurrency",
    "ethereum",
    "eth",
    "binance",
    "wallet address",
    "criptomoneda*",
    "criptomoeda*",
    "kryptowahrung*",
    "cryptomonnaie*",
];

/// Verbs that ask for money or crypto to be moved.
const SEND_OR_INVEST: Concept = &[
    "send",
    "deposit",
    "recharge",
    "invest",
    "transfer",
    "pay",
    "top up",
    "invierte",
    "invertir",
    "envia",
    "envie",
    "deposita",
    "invista",
    "investir",
    "manda",
    "deposite",
    "investieren",
    "senden",
    "investissez",
    "envoyez",
];

/// The family words of "Hi Mum, it's me".
const FAMILY: Concept = &[
    "mum", "mom", "mam", "mummy", "mommy", "mother", "dad", "daddy", "father", "mama", "mami", "papa", "papi", "mae",
    "mamae", "pai", "maman", "mutti", "vati", "ammi", "abbu",
];

const NEW_NUMBER: Concept = &[
    "new number",
    "lost my phone",
    "broke my phone",
    "dropped my phone",
    "phone broke",
    "phone is broken",
    "changed my number",
    "nuevo numero",
    "numero nuevo",
    "cambie de numero",
    "se me rompio",
    "movil roto",
    "se me cayo el movil",
    "troquei de numero",
    "numero novo",
    "novo numero",
    "celular quebrou",
    "perdi meu celular",
    "perdi o celular",
    "neue nummer",
    "handy ist kaputt",
    "handy kaputt",
    "nouveau numero",
    "naya number",
];

const JOB_HOME: Concept = &[
    "work from home",
    "from home",
    "remote job",
    "work remotely",
    "desde casa",
    "trabajar desde casa",
    "home office",
    "von zuhause",
    "von zu hause",
    "a domicile",
    "ghar baithe",
    "ghar se",
];
const JOB_NO_EXPERIENCE: Concept = &[
    "no experience",
    "sin experiencia",
    "sem experiencia",
    "keine erfahrung",
    "sans experience",
    "koi experience nahi",
];
const JOB_EARN: Concept = &[
    "earn",
    "earning*",
    "extra income",
    "daily pay",
    "paid daily",
    "flexible hours",
    "ganar",
    "gana",
    "ingresos extra",
    "ganhe",
    "ganhar",
    "renda extra",
    "verdienen",
    "verdiene",
    "gagner",
    "gagnez",
    "kamaye",
    "kamao",
    "kamaiye",
];
const JOB_PER_DAY: Concept = &[
    "per day", "a day", "daily", "al dia", "por dia", "ao dia", "pro tag", "par jour", "roz", "rozana",
];
const JOB_TASKS: Concept = &[
    "like videos",
    "like youtube",
    "youtube videos",
    "tiktok videos",
    "liking videos",
    "simple tasks",
    "tasks",
    "task",
    "commission",
    "me gusta",
    "dar like",
    "curtindo",
    "curtir",
    "tarefas",
    "likes",
    "like karna",
    "aufgaben",
    "taches",
];
const JOB_RECRUITING: Concept = &[
    "recruitment",
    "recruiter",
    "hiring",
    "part time",
    "job offer",
    "vacancy",
    "vaga",
    "vaga de emprego",
    "oferta de empleo",
    "oferta de trabajo",
    "buscamos personas",
    "stellenangebot",
    "nebenjob",
    "offre d emploi",
    "naukri",
];
/// Paying in to "unlock" earnings.
const JOB_PAY_IN: Concept = &["recharge", "top up", "unlock", "recarga", "recarregar", "deposit"];

const DISCOUNT_WORDS: &[&str] = &[
    "% off",
    "% discount",
    "% de descuento",
    "% de desconto",
    "% desconto",
    "% rabatt",
    "% de reduction",
    "% de remise",
];

const GIVEAWAY: Concept = &[
    "giving away",
    "giveaway",
    "give away",
    "free gift",
    "free iphone",
    "free data",
    "gratis para todos",
    "de graca",
    "regalamos",
    "sorteamos",
    "kostenlos fur alle",
    "gratuit pour tous",
];

const FOR_EVERYONE: Concept = &[
    "for everyone",
    "for all",
    "to everyone",
    "para todos",
    "para todas",
    "fur alle",
    "pour tous",
    "sabke liye",
];

const FREE: Concept = &["free", "gratis", "gratuito", "gratuita", "kostenlos", "gratuit", "muft"];

/// A story for why someone far away needs money now.
const STRANDED: Concept = &[
    "stuck at the airport",
    "stuck abroad",
    "stranded",
    "abroad",
    "overseas",
    "customs are holding",
    "in the hospital",
    "in hospital",
    "detained",
    "en el extranjero",
    "estoy atrapado",
    "no exterior",
    "estou preso",
    "im ausland",
    "a l etranger",
];
const MONEY_ASK: Concept = &[
    "send me",
    "send money",
    "send it",
    "send the",
    "can you send",
    "please send",
    "you to send",
    "need money",
    "i need $",
    "i need £",
    "i need €",
    "lend me",
    "deposit",
    "transfer",
    "western union",
    "moneygram",
    "envia dinero",
    "enviame",
    "necesito dinero",
    "me manda",
    "manda dinheiro",
    "preciso de dinheiro",
    "schick mir",
    "brauche geld",
    "envoie moi",
    "besoin d argent",
];

/// A device "problem" announced by a stranger.
const TECH_PROBLEM: Concept = &[
    "is infected",
    "infected with",
    "virus detected",
    "viruses detected",
    "has a virus",
    "security alert",
    "malware",
    "been hacked",
    "been compromised",
    "esta infectado",
    "virus detectado",
    "ist infiziert",
    "est infecte",
];

const NOT_YOU: Concept = &[
    "if this was not you",
    "if this wasn t you",
    "if it was not you",
    "if you did not make",
    "if you didn t make",
    "if you did not authorise",
    "if you did not authorize",
    "didn t authorise",
    "didn t authorize",
    "si no fue usted",
    "si no has sido tu",
    "si no reconoce",
    "se nao foi voce",
    "se nao reconhece",
    "falls sie das nicht waren",
    "si ce n etait pas vous",
];
const CALL_OR_CANCEL: Concept = &[
    "call",
    "phone us",
    "contact us",
    "cancel",
    "llame",
    "llamenos",
    "ligue",
    "cancele",
    "rufen sie",
    "appelez",
    "annuler",
];

/// Words for the secrets that must never be shared.
const SECRET: Concept = &[
    "code",
    "codes",
    "codigo",
    "codigos",
    "otp",
    "pin",
    "passcode",
    "password",
    "passwort",
    "kennwort",
    "senha",
    "contrasena",
    "cvv",
    "mot de passe",
    "digit code",
    "verification code",
];

/// Words that make "code" something harmless to share ("discount code", "dress code").
const NOT_SECRET: Concept = &[
    "discount",
    "promo",
    "promotional",
    "voucher",
    "coupon",
    "referral",
    "invite",
    "invitation",
    "dress",
    "qr",
    "zip",
    "post",
    "postal",
    "area",
    "country",
    "source",
    "bar",
    "tracking",
    "booking",
    "reference",
    "colour",
    "color",
    "descuento",
    "promocional",
    "cupom",
    "desconto",
    "rastreio",
    "rastreamento",
    "seguimiento",
    "rabatt",
    "gutschein",
    "promotionnel",
];

/// Verbs that ask for a secret to be handed over.
const HAND_OVER: Concept = &[
    "send me",
    "send us",
    "send it",
    "send the",
    "reply with",
    "forward me",
    "forward the",
    "forward it",
    "share",
    "tell me",
    "give me",
    "read me",
    "read out",
    "provide",
    "ask for",
    "reenviar",
    "reenviarmelo",
    "reenvia",
    "reenvias",
    "reenviame",
    "enviame",
    "me envias",
    "mandame",
    "me mandas",
    "pasame",
    "me pasas",
    "dime",
    "compartir",
    "comparte",
    "informe",
    "informar",
    "envie",
    "me envia",
    "me manda",
    "me passa",
    "encaminha",
    "compartilhe",
    "compartilhar",
    "senden sie",
    "schick mir",
    "nennen sie",
    "teilen sie",
    "mitteilen",
    "envoyez moi",
    "envoie moi",
    "communiquez",
    "donnez moi",
    "bhejo",
    "bhej do",
    "batao",
    "bata do",
];

/// Secret and request must sit this close (in bytes of normalised text) to count as asking
/// for the secret; about a dozen words.
const HAND_OVER_WINDOW: usize = 90;

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
            &[
                JOB_HOME,
                JOB_NO_EXPERIENCE,
                JOB_EARN,
                JOB_PER_DAY,
                JOB_TASKS,
                JOB_RECRUITING,
                JOB_PAY_IN,
            ],
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
        reason: "It tells a story about an inheritance or fortune you could share, a classic advance-fee scam.",
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
        reason: "It says you have won a prize or lottery you never entered.",
        advice: Advice::Prize,
        trigger: Trigger::Any(PRIZE),
    },
    Rule {
        name: "fee_to_receive",
        weight: 0.45,
        reason: "It asks for a fee before you can receive money or a prize; real payouts don't charge upfront.",
        advice: Advice::Prize,
        trigger: Trigger::Any(FEE_TO_RECEIVE),
    },
    Rule {
        name: "crypto_payment",
        weight: 0.45,
        reason: "It asks you to send or invest cryptocurrency, which can't be traced or taken back.",
        advice: Advice::Investment,
        trigger: Trigger::All(&[CRYPTO, SEND_OR_INVEST]),
    },
    Rule {
        name: "untraceable_payment",
        weight: 0.45,
        reason: "It asks for money by Western Union, MoneyGram or a crypto machine, which can't be traced or taken back.",
        advice: Advice::Stranger,
        trigger: Trigger::Any(UNTRACEABLE_PAYMENT),
    },
    Rule {
        name: "stranded_money",
        weight: 0.45,
        reason: "It asks for money with a story about being abroad or stuck, a common trick of romance and rental scams.",
        advice: Advice::Stranger,
        trigger: Trigger::All(&[STRANDED, MONEY_ASK]),
    },
    Rule {
        name: "legal_threat",
        weight: 0.45,
        reason: "It threatens arrest or legal action to scare you into acting fast.",
        advice: Advice::Government,
        trigger: Trigger::Any(LEGAL_THREAT),
    },
    Rule {
        name: "unrecognised_charge",
        weight: 0.35,
        reason: "It reports a payment you didn't make and asks you to call or cancel, a trick to get you on the phone with a scammer.",
        advice: Advice::Account,
        trigger: Trigger::All(&[NOT_YOU, CALL_OR_CANCEL]),
    },
    Rule {
        name: "account_threat",
        weight: 0.35,
        reason: "It says your account is blocked, suspended or misused, to make you act before you think.",
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
        name: "bank_impersonation",
        weight: 0.3,
        reason: "It claims to be your bank and puts pressure on you about your account.",
        advice: Advice::Bank,
        trigger: Trigger::All(&[BANK, BANK_PRESSURE]),
    },
    Rule {
        name: "payment_request",
        weight: 0.3,
        reason: "It asks you to pay or transfer money.",
        advice: Advice::Stranger,
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

/// What a fake technician wants you to do.
const TECH_SUPPORT_ACTION: Concept = &[
    "technician",
    "tech support",
    "technical support",
    "call our",
    "call this number",
    "call the number",
    "remote access",
    "anydesk",
    "teamviewer",
    "soporte tecnico",
    "llame al",
    "suporte tecnico",
    "ligue para",
    "techniker",
    "rufen sie",
    "technicien",
    "appelez",
];

/// What a fake bank pressures you about: the threats and requests above, in one concept.
const BANK_PRESSURE: Concept = &[
    "has been suspended",
    "been locked",
    "been blocked",
    "will be blocked",
    "unusual activity",
    "unusual sign in",
    "suspicious activity",
    "suspicious payment",
    "new payee",
    "verify your identity",
    "verify your account",
    "confirm your details",
    "restore access",
    "verification code",
    "sera bloqueada",
    "acceso no autorizado",
    "verifique sus datos",
    "foi bloqueada",
    "codigo de verificacao",
    "wird gesperrt",
    "bestatigen sie ihre daten",
    "sera bloque",
    "kyc",
    "block ho jayega",
];

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
    // Gift card codes are asked for too; one reason about the gift cards says it better.
    if !out.iter().any(|s| s.rule == "gift_cards") && asks_for_secret(words) {
        out.push(Signal::new(
            "secret_request",
            0.6,
            "It asks you to share a code, PIN or password; nobody genuine ever needs these from you.",
            Advice::Code,
        ));
    }
    out
}

/// A request to hand over a code or password, close to the word for it and not negated
/// ("send me the code" yes, "don't share this code" no).
fn asks_for_secret(words: &Words) -> bool {
    let secrets: Vec<usize> = SECRET
        .iter()
        .flat_map(|phrase| words.occurrences(phrase))
        .filter(|&at| words.word_before(at).is_none_or(|before| !NOT_SECRET.contains(&before)))
        .take(64)
        .collect();
    if secrets.is_empty() {
        return false;
    }
    HAND_OVER
        .iter()
        .flat_map(|phrase| words.affirmed(phrase))
        .take(64)
        .any(|ask| secrets.iter().any(|&secret| secret.abs_diff(ask) <= HAND_OVER_WINDOW))
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
    use super::super::text::normalise;
    use super::*;

    fn fired(text: &str) -> Vec<&'static str> {
        let mut words = Words::with_capacity(text.len());
        for token in text.split_whitespace() {
            words.push_token(token);
        }
        signals(&words).into_iter().map(|s| s.rule).collect()
    }

    #[test]
    fn every_phrase_is_already_normalised() {
        let lists: Vec<Concept> = vec![
            URGENCY,
            ACCOUNT_THREAT,
            LEGAL_THREAT,
            PAYMENT_REQUEST,
            UNTRACEABLE_PAYMENT,
            GIFT_CARDS,
            DETAILS_REQUEST,
            CLICK_LINK,
            GENERIC_GREETING,
            BANK,
            DELIVERY,
            DELIVERY_DEMAND,
            GOVERNMENT,
            GOVERNMENT_HOOK,
            PRIZE,
            FEE_TO_RECEIVE,
            WINDFALL_STORY,
            INVESTMENT_PROMISE,
            CRYPTO,
            SEND_OR_INVEST,
            FAMILY,
            NEW_NUMBER,
            JOB_HOME,
            JOB_NO_EXPERIENCE,
            JOB_EARN,
            JOB_PER_DAY,
            JOB_TASKS,
            JOB_RECRUITING,
            JOB_PAY_IN,
            DISCOUNT_WORDS,
            GIVEAWAY,
            FOR_EVERYONE,
            FREE,
            STRANDED,
            MONEY_ASK,
            TECH_PROBLEM,
            TECH_SUPPORT_ACTION,
            NOT_SECRET,
            NOT_YOU,
            CALL_OR_CANCEL,
            SECRET,
            HAND_OVER,
            BANK_PRESSURE,
        ];
        for phrase in lists.iter().flat_map(|l| l.iter()) {
            let core = phrase.trim_end_matches('*');
            assert_eq!(normalise(core), core, "{phrase:?} is not in normalised form");
        }
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
            ("Deposit USDT to start", "crypto_payment"),
            ("Send it through Western Union", "untraceable_payment"),
            ("I'm stuck abroad and need you to send 500", "stranded_money"),
            ("A warrant for your arrest", "legal_threat"),
            ("If this wasn't you, call us", "unrecognised_charge"),
            ("Ihr Konto wird gesperrt", "account_threat"),
            ("Confirme seus dados", "details_request"),
            ("Your bank account has been locked", "bank_impersonation"),
            ("Haz un bizum de 50", "payment_request"),
            ("Free data for everyone", "giveaway"),
            ("Responda imediatamente", "urgency"),
            ("Cliquez ici", "click_link"),
            ("Dear customer, hello", "generic_greeting"),
            ("Watches 85% OFF", "too_good_deal"),
            ("Can you send me the code I got by mistake", "secret_request"),
            ("OTP batao jaldi", "secret_request"),
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
            "20% off garden furniture this weekend",
            "Bitcoin dropped again today, glad I didn't buy",
            "Your parcel will be delivered today between 1 and 2pm",
            "Football is cancelled tonight",
            "Happy birthday!! 🎉",
            "Share the discount code SAVE10 with your friends",
            "The police arrested two men after the match",
            "Ganó el premio a la mejor película",
            "Mum got a new phone for her birthday",
            "I'm going abroad next week, I need to pack",
            "Me pusieron una multa por aparcar mal",
        ];
        for text in cases {
            assert_eq!(fired(text), Vec::<&str>::new(), "{text:?}");
        }
    }
}
