//! The vocabulary of the keyword rules: for each idea scams lean on (urgency, threats,
//! payment, secret codes, couriers, tax offices, prizes, jobs, investments, family on a new
//! number...), the phrases that express it in English, Spanish, Portuguese, German, French
//! Hindi written in Latin letters and Indonesian.
//!
//! Phrases are in normalised form (see `text.rs`): lowercase, no accents, apostrophes and
//! hyphens as spaces, `*` for "any ending". Lists hold the wording a kind of scam shares,
//! never one message's sentence. The layout is kept by hand (`rustfmt::skip` where the
//! module is declared) so a list reads as a paragraph instead of hundreds of lines.

/// Synonyms for one idea.
pub(super) type Concept = &'static [&'static str];

pub(super) const URGENCY: Concept = &[
    "urgent", "urgently", "immediately", "right away", "right now", "act now", "asap",
    "as soon as possible", "final notice", "final warning", "final reminder", "last chance",
    "last warning", "within 2 hours", "within 12 hours", "within 24 hours", "within 48 hours",
    "in 2 hours", "in 24 hours", "in 48 hours", "24h", "48h", "today only", "only today",
    "limited time", "limited stock", "hurry", "before midnight", "before it expires",
    "expires today", "expire today", "by today", "don t miss", "renew now", "end of day",
    "limited places", "limited spots",
    "urgente", "inmediatamente", "de inmediato", "en 24 horas", "en 48 horas", "antes de 24 horas",
    "antes de 48 horas", "solo hoy", "ultimo aviso", "antes de que caduque", "caduca hoy",
    "expiran hoy", "vence hoy", "plazas limitadas",
    "imediatamente", "em 24 horas", "ate 24 horas", "ate 48 horas", "so hoje", "ultima chance",
    "expiram hoje", "expira hoje", "vence hoje", "vagas limitadas",
    "dringend", "sofort", "innerhalb von 24 stunden", "innerhalb von 48 stunden", "nur heute",
    "letzte mahnung", "lauft heute ab", "begrenzte platze",
    "immediatement", "avant 24h", "avant 48h", "dernier avis", "dernier rappel",
    "expire aujourd hui", "places limitees",
    "turant", "jaldi", "abhi", "aaj hi",
    "segera", "sekarang juga", "dalam 24 jam", "batas waktu", "hari ini juga",
];

/// The account or service is about to be (or has been) closed, cut off, locked or misused.
pub(super) const ACCOUNT_THREAT: Concept = &[
    "has been suspended", "will be suspended", "account is locked", "account is blocked",
    "account is suspended", "card is blocked", "been locked", "been limited", "been blocked",
    "been deactivated", "will be blocked", "account will be closed", "will be deactivated",
    "will be terminated", "will be banned", "be disconnected", "be cut off", "will be deleted",
    "will be lost", "avoid losing", "subscription expire*", "temporarily blocked",
    "avoid suspension", "to avoid suspension", "unusual activity", "unusual sign in", "suspicious activity", "suspicious payment",
    "suspicious purchase", "suspicious transaction", "unauthorised access", "unauthorized access",
    "unauthorised payment", "unauthorized payment", "new payee", "new device",
    "sera bloqueada", "sera bloqueado", "ha sido bloqueada", "ha sido suspendida",
    "sera suspendida", "cuenta bloqueada", "hemos bloqueado", "bloqueado temporalmente",
    "acceso no autorizado", "actividad sospechosa", "movimiento sospechoso", "compra sospechosa",
    "sera cortado", "sera cortada", "seran eliminados", "evitar la suspension",
    "foi bloqueada", "foi bloqueado", "sera cancelado", "sera cancelada", "foi suspensa",
    "conta bloqueada", "esta irregular", "atividade suspeita", "acesso nao autorizado",
    "compra suspeita", "transacao suspeita", "sera desligado", "sera desligada", "serao apagados",
    "evitar a suspensao",
    "wird gesperrt", "wurde gesperrt", "gesperrt", "ungewohnliche aktivitat", "wird abgeschaltet",
    "werden geloscht", "sperrung zu vermeiden",
    "sera bloque", "a ete bloque", "a ete suspendu", "sera suspendu", "activite inhabituelle",
    "sera coupe", "sera coupee", "seront supprimes", "suspension de vos", "eviter la suspension",
    "block ho jayega", "band ho jayega", "block ho gaya", "block kar diya", "kaat diya jayega",
    "kat jayega", "band kar diya jayega",
    "akan diblokir", "telah diblokir", "sudah diblokir", "dinonaktifkan", "akan ditutup", "aktivitas mencurigakan",
];

pub(super) const LEGAL_THREAT: Concept = &[
    "your arrest", "be arrested", "arrest warrant", "warrant", "legal action", "lawsuit",
    "be prosecuted", "court summons", "debt collector*", "debt collection", "bailiff*",
    "orden de arresto", "orden de detencion", "su detencion", "accion legal", "acciones legales",
    "cobro judicial", "mandado de prisao", "acao judicial", "processo judicial", "protesto",
    "lista de devedores", "nome sujo", "negativado",
    "haftbefehl", "rechtliche schritte", "inkasso", "poursuites judiciaires", "mandat d arret",
    "huissier", "giraftar",
    "akan ditangkap", "tindakan hukum",
];

/// Asks for money to be moved now.
pub(super) const PAYMENT_REQUEST: Concept = &[
    "pay now", "pay the", "pay a", "pay by", "pay your", "pay it", "pay only", "fee", "fees",
    "send me $", "send me £", "send me €", "send me ₹", "lend me", "i need $", "i need £",
    "i need €", "need money", "customs duty", "send money", "send the money", "send £", "send $",
    "send €", "send ₹", "bank transfer", "wire", "wire transfer", "wire the", "transfer the",
    "transfer me", "make a transfer", "require a payment", "requires a payment", "deposit",
    "recharge", "top up", "settle the", "outstanding balance", "unpaid",
    "pagar", "pague", "pagando", "paga el", "paga la", "abone", "abonar", "tasa", "transferencia",
    "hazme un bizum", "haz un bizum", "hacerme un bizum", "me haces un bizum", "ingreso",
    "deposito",
    "taxa", "fazer um pix", "faz um pix", "manda um pix", "via pix", "um pix", "boleto",
    "zahlen", "bezahlen", "gebuhr", "zollgebuhr", "uberweisung", "uberweisen",
    "payer", "payez", "frais", "regler", "virement", "m envoyer",
    "paise bhej*", "payment kar*",
    "transfer ke", "bayar", "biaya", "kirim uang", "transfer dulu",
];

/// Payment methods that cannot be traced or reversed.
pub(super) const UNTRACEABLE_PAYMENT: Concept =
    &["western union", "moneygram", "bitcoin atm", "crypto atm"];

pub(super) const GIFT_CARDS: Concept = &[
    "gift card*", "giftcard*", "itunes card*", "google play card*", "steam card*", "amazon card*",
    "amazon voucher*", "scratch the back", "photos of the codes",
    "tarjeta regalo", "tarjetas regalo", "tarjeta de regalo", "tarjetas de regalo",
    "cartao presente", "cartoes presente", "cartao de presente", "vale presente",
    "geschenkkarte*", "gutscheinkarte*", "carte cadeau", "cartes cadeaux",
    "kartu hadiah",
];

/// Asks to confirm or hand over personal, login or payment details.
pub(super) const DETAILS_REQUEST: Concept = &[
    "verify your identity", "verify your account", "verify your details", "confirm your details",
    "confirm your identity", "confirm your address", "confirm your account", "update your details",
    "update your payment", "update your billing", "payment details", "billing information",
    "card details", "restore access", "unlock it", "unlock your", "reactivate", "validate your",
    "secure your account", "send your full name", "send your details", "reply with your details",
    "your full name", "your bank details",
    "verifique sus datos", "confirme sus datos", "actualice sus datos", "verifica tu cuenta",
    "confirma tus datos", "confirme su direccion", "actualice su direccion", "sus datos bancarios",
    "reactivarla", "reactivar su",
    "confirme seus dados", "atualize seus dados", "informe seus dados", "regularize",
    "seus dados bancarios", "confirme seu endereco",
    "bestatigen sie ihre daten", "bestatigen sie ihre adresse", "aktualisieren sie ihre daten",
    "ihre bankdaten", "bestatigung ihrer",
    "confirmez vos", "confirmez votre", "mettez a jour vos", "vos coordonnees bancaires",
    "kyc",
    "verifikasi akun", "konfirmasi data", "perbarui data", "data anda",
];

pub(super) const CLICK_LINK: Concept = &[
    "click here", "click the link", "click on the link", "click below", "tap the link", "tap here",
    "link below", "in the link", "via the link", "follow the link",
    "haga clic", "haz clic", "pulse aqui", "pincha aqui", "en el enlace", "acceda a",
    "clique aqui", "clicando aqui", "clique no link", "acesse o link", "no link",
    "klicken sie", "auf den link", "cliquez", "sur le lien",
    "link pe click", "link par click", "click kare*", "click karo",
    "klik link", "klik tautan", "klik di sini", "klik disini",
];

pub(super) const GENERIC_GREETING: Concept = &[
    "dear customer", "dear user", "dear client", "dear friend", "dear beneficiary",
    "dear account holder", "dear valued customer", "estimado cliente", "querido cliente",
    "estimado usuario", "prezado cliente", "caro cliente", "sehr geehrter kunde", "lieber kunde",
    "cher client", "chere cliente",
    "nasabah yth", "pelanggan yth", "nasabah yang terhormat",
];

/// Banks, by word and by name.
pub(super) const BANK: Concept = &[
    "bank", "banking", "your bank", "fraud team", "banco", "banque", "konto", "sparkasse",
    "volksbank", "santander", "bbva", "caixa", "itau", "nubank", "bradesco", "barclays", "hsbc",
    "lloyds", "natwest", "chase", "wells fargo", "revolut", "monzo", "sbi", "hdfc", "icici",
    "bca", "bni", "bri", "rekening",
];

pub(super) const DELIVERY: Concept = &[
    "parcel", "package", "shipment", "delivery", "redelivery", "deliver", "delivered", "courier",
    "customs", "royal mail", "dhl", "usps", "ups", "fedex", "evri", "hermes", "dpd",
    "paquete", "envio", "aduana", "aduanas", "correos",
    "encomenda", "alfandega", "pacote", "ctt",
    "paket", "sendung", "zustellung", "zugestellt", "zoll", "lieferadresse",
    "colis", "livraison", "chronopost", "la poste", "colissimo",
    "kurir", "pengiriman",
];

/// What a fake courier wants: a fee, a payment or the address "confirmed".
pub(super) const DELIVERY_DEMAND: Concept = &[
    "fee", "fees", "duty", "customs duty", "pay now", "pay the", "pay a", "unpaid",
    "confirm your address", "update your address", "verify your address",
    "tasa", "pagar", "pague", "abone", "gastos", "confirme su direccion", "actualice su direccion",
    "taxa", "confirme seu endereco",
    "gebuhr", "zollgebuhr", "zahlen", "bestatigen sie ihre adresse", "bestatigung ihrer",
    "frais", "regler", "payer", "confirmez votre adresse",
    "biaya", "bayar", "ongkos kirim",
];

pub(super) const GOVERNMENT: Concept = &[
    "tax", "taxes", "tax refund", "council tax", "irs", "hmrc", "dvla", "revenue", "government",
    "toll", "tolls", "e zpass", "ezpass", "nhs", "social security", "medicare", "medicaid",
    "visa application",
    "agencia tributaria", "hacienda", "aeat", "dgt", "gobierno", "seguridad social",
    "receita federal", "cpf", "governo", "auxilio", "detran", "inss",
    "finanzamt", "bussgeld", "impots", "antai", "ameli", "carte vitale", "securite sociale",
    "pajak", "bpjs",
];

/// What a fake tax office or agency offers or threatens.
pub(super) const GOVERNMENT_HOOK: Concept = &[
    "refund", "rebate", "eligible", "unpaid", "pending", "penalty", "late fee", "fine", "arrest*",
    "warrant", "claim", "reembolso", "devolucion", "pendiente", "pago", "multa", "sancion",
    "restituicao", "irregular", "cancelado", "liberou", "direito", "erstattung", "ruckerstattung",
    "remboursement", "amende", "impayee", "majoration", "suspension", "require a payment",
];

/// Being told you won or were picked: the prize is yours, not someone else's in the news.
pub(super) const PRIZE: Concept = &[
    "you have won", "you ve won", "you won a", "you won an", "you won the", "you won £", "you won $",
    "you won €", "you won our", "you are the winner", "you re the winner",
    "selected as the winner", "your number was selected", "you ve been chosen",
    "you have been chosen", "you ve been selected", "you have been selected", "claim your prize",
    "your prize", "claim your reward", "claim yours", "short survey", "lucky winner",
    "has won $", "has won £", "has won €", "claims agent", "claim agent",
    "has ganado", "eres el ganador", "has sido seleccionado", "has sido elegido",
    "reclamar tu premio", "tu premio", "afortunado ganador",
    "voce ganhou", "foi sorteado", "foi sorteada", "foi escolhido", "foi selecionado",
    "seu premio", "seus premios", "resgatar seu premio", "feliz ganhador",
    "sie haben gewonnen", "sie wurden ausgewahlt", "du wurdest ausgewahlt", "ihr gewinn",
    "gluckliche gewinner",
    "vous avez gagne", "vous avez ete selectionne", "votre prix", "votre gain", "heureux gagnant",
    "aapne jeeta", "lottery jeeti", "inaam jeeta", "aapko chuna gaya",
    "anda menang", "selamat anda", "pemenang", "hadiah anda", "terpilih sebagai", "mendapatkan hadiah",
];

/// Reward points or miles about to expire: bait for a fake redemption site.
pub(super) const POINTS: Concept =
    &["points", "pontos", "puntos", "punkte", "miles", "millas", "milhas"];

pub(super) const POINTS_HOOK: Concept = &[
    "expire*", "expiran", "expiram", "caducan", "verfallen", "redeem", "resgate", "resgatar",
    "canjea", "canjear", "einlosen",
];

/// A fee before money can be received: the core of every advance-fee scam.
pub(super) const FEE_TO_RECEIVE: Concept = &[
    "processing fee", "release fee", "upfront fee", "advance fee", "clearance fee",
    "activation fee", "transfer fee", "handling fee", "small fee", "processing charge",
    "withdrawal fee", "to release", "release your funds", "shipping fee", "pay for shipping",
    "pay the shipping", "for postage",
    "tasa de gestion", "gastos de envio", "paga el envio", "para liberar",
    "taxa de liberacao", "taxa de entrega", "taxa de resgate", "pague o frete",
    "bearbeitungsgebuhr", "versandkosten", "um freizugeben", "frais de dossier", "frais de port",
    "pour debloquer",
];

/// Pre-approved loans with no checks: bait for an upfront fee.
pub(super) const LOAN_BAIT: Concept = &[
    "pre approved", "preapproved", "no credit check", "guaranteed loan", "loan approved",
    "instant loan", "prestamo aprobado", "prestamo preaprobado", "credito aprobado",
    "emprestimo aprovado", "credito aprovado", "sem consulta", "kredit ohne schufa",
    "sofortkredit", "pret accorde", "pret approuve",
];

/// Pieces of the stories behind inheritance, romance and "box of money" scams.
pub(super) const WINDFALL_STORY: Concept = &[
    "next of kin", "beneficiary", "inheritance", "barrister", "late client", "million", "50 50",
    "consignment", "diplomat", "diplomatic", "unclaimed", "compensation fund", "peacekeeping",
    "army doctor", "military doctor", "oil rig", "deployed", "to your country", "trunk box",
    "gold bar*", "savings", "herencia", "heranca", "erbschaft", "heritage",
];

pub(super) const INVESTMENT_PROMISE: Concept = &[
    "guaranteed return*", "guaranteed profit*", "guaranteed income", "guaranteed 1*",
    "guaranteed 2*", "guaranteed 3*", "guaranteed 4*", "guaranteed 5*", "zero risk", "no risk",
    "risk free", "without risk", "double your money", "weekly returns", "daily returns",
    "daily profit*", "consistent profit*", "profits every day", "passive income",
    "safe investment", "multiply your money",
    "% daily", "% weekly", "% a day", "% per day", "% a week", "% per week",
    "ganancias garantizadas", "rentabilidad garantizada", "beneficios garantizados", "sin riesgo",
    "inversion segura", "multiplica tu dinero",
    "% al dia", "% cada semana", "% por semana",
    "lucro garantido", "rendimento garantido", "retorno garantido", "sem risco", "% ao dia",
    "investimento seguro", "multiplique seu dinheiro",
    "% por dia",
    "garantierte rendite", "garantierter gewinn", "ohne risiko", "% pro tag", "sichere anlage",
    "rendement garanti", "sans risque", "% par jour", "multipliez votre argent",
    "guaranteed munafa",
    "untung pasti", "tanpa risiko", "keuntungan pasti",
];

pub(super) const CRYPTO: Concept = &[
    "bitcoin", "btc", "usdt", "tether", "crypto", "cryptocurrency", "ethereum", "eth", "binance",
    "wallet address", "criptomoneda*", "criptomoeda*", "kryptowahrung*", "cryptomonnaie*",
];

/// Crypto, trading and the "mentors" and "signal groups" around them.
pub(super) const TRADING: Concept = &[
    "bitcoin", "btc", "usdt", "crypto", "cryptocurrency", "ethereum", "forex", "trading",
    "mining", "signals", "trading group", "crypto mentor", "account manager",
    "criptomoneda*", "criptomoeda*", "kryptowahrung*", "cryptomonnaie*",
];

/// Talk of profit.
pub(super) const PROFIT: Concept = &[
    "profit*", "earn*", "returns", "income", "2x", "3x", "5x", "10x", "100x", "x2", "x3", "x5",
    "x10", "ganancia*", "dinero",
    "rentabilidad", "lucro*", "rendimento*", "gewinn*", "rendite", "benefice*", "munafa",
];

/// Verbs that ask for money or crypto to be moved.
pub(super) const SEND_OR_INVEST: Concept = &[
    "send", "deposit", "recharge", "invest", "transfer", "pay", "top up",
    "invierte", "invertir", "envia", "envie", "deposita", "invista", "investir", "manda",
    "deposite", "investieren", "senden", "investissez", "envoyez",
];

/// The family words of "Hi Mum, it's me".
pub(super) const FAMILY: Concept = &[
    "mum", "mom", "mam", "mummy", "mommy", "mother", "dad", "daddy", "father", "grandma",
    "grandpa", "granny", "grandad", "nan", "nana",
    "mama", "mami", "papa", "papi", "abuela", "abuelo", "hijo", "hija",
    "mae", "mamae", "pai", "vovo", "avo", "filho", "filha",
    "mutti", "vati", "oma", "opa", "sohn", "tochter", "maman", "mamie", "papy", "fils", "fille",
    "ammi", "abbu", "nani", "dadi", "beta", "beti",
    "ibu", "ayah", "bunda", "nak",
];

/// "It's me on a new number", in the first person: "Dad's new number is..." is not the trick.
pub(super) const NEW_NUMBER: Concept = &[
    "my new number", "this is my new", "this is my number", "my number now", "lost my phone",
    "broke my phone", "dropped my phone", "my phone broke", "my phone is broken",
    "changed my number", "my phone got stolen", "my phone was stolen", "mine got stolen",
    "mine was stolen", "friend s phone", "fell in the water", "dropped it in",
    "mi nuevo numero", "mi numero nuevo", "este es mi numero", "cambie de numero",
    "se me rompio el movil", "se me rompio el telefono", "se me cayo el movil", "movil roto",
    "desde este numero", "desde otro numero", "movil de una amiga", "movil de un amigo",
    "telefono de una amiga", "telefono de un amigo", "cayo al agua",
    "troquei de numero", "meu numero novo", "meu novo numero", "esse e meu numero",
    "este e meu numero", "meu celular quebrou", "perdi meu celular", "roubaram meu celular",
    "meu celular caiu", "caiu na agua", "celular de um amigo", "celular de uma amiga",
    "estou usando o do",
    "meine neue nummer", "mein handy ist kaputt", "handy ist kaputt", "handy kaputt",
    "ins wasser gefallen", "handy eines freundes",
    "mon nouveau numero", "j ai change de numero", "change de numero", "mon telephone est casse",
    "telephone d un ami", "telephone d une amie", "tombe dans l eau", "dost ka phone",
    "mera naya number", "naya number",
    "nomor baru", "ini nomor baru", "ganti nomor", "hp rusak", "hp hilang", "nomor baruku",
];

/// What the "new number" contact wants.
pub(super) const FAVOUR_OR_MONEY: Concept = &[
    "favour", "favor", "lend me", "borrow", "transfer", "send money", "need money", "pay", "bill",
    "money", "un favor", "dinero", "transferencia", "bizum", "um favor", "dinheiro", "pix",
    "boleto", "pague", "pagar", "bezahlen",
    "gefallen", "geld", "uberweisung", "service", "argent", "virement", "paise",
    "pinjam", "uang", "tolong",
];

/// A story for why someone needs money now: stuck abroad, in trouble, in hospital.
pub(super) const DISTRESS: Concept = &[
    "stuck at the airport", "stuck abroad", "stranded", "abroad", "overseas",
    "customs are holding", "in the hospital", "in hospital", "detained", "in trouble", "bail",
    "accident", "i ve been arrested", "i was arrested", "i got arrested",
    "en el extranjero", "estoy atrapado", "en problemas", "accidente", "fianza", "me detuvieron",
    "no exterior", "estou preso", "acidente", "fianca", "fui preso",
    "im ausland", "unfall", "kaution", "a l etranger", "musibat", "hadsa",
];

/// Asking for money outright (narrower than any "send", so "send me the photos" is not it).
pub(super) const MONEY_ASK: Concept = &[
    "send money", "send it", "you to send", "need money", "i need $", "i need £", "i need €",
    "lend me", "deposit", "transfer", "western union", "moneygram",
    "envia dinero", "enviame dinero", "necesito dinero", "me manda", "manda dinheiro",
    "preciso de dinheiro", "schick mir geld", "brauche geld", "envoie moi", "m envoyer",
    "besoin d argent", "paise bhej*",
];

/// Asking to keep it secret, so nobody talks you out of it.
pub(super) const SECRECY: Concept = &[
    "don t tell", "do not tell", "keep this between us", "keep it secret", "keep it between us",
    "confidential", "keep this confidential", "confidencial", "vertraulich", "confidentiel",
    "no le digas", "no se lo digas", "nao conta", "nao fala pra", "sag niemandem",
    "sag es niemandem", "ne dis rien", "ne le dis pas", "kisi ko mat batana",
];

/// A message that warns about a scam instead of being one.
pub(super) const SCAM_WARNING: Concept = &[
    "scam going around", "scams going around", "beware of", "watch out for", "don t click",
    "do not click", "don t fall for", "is a scam", "it s a scam", "this is a scam",
    "fake message*", "es una estafa", "cuidado con", "no hagas clic", "no pinches", "e golpe",
    "e um golpe", "cuidado com", "nao clique", "ist betrug", "vorsicht vor", "nicht klicken",
    "c est une arnaque", "attention aux", "ne cliquez pas",
    "hati hati", "awas penipuan", "jangan klik",
];

/// Easy money from home: the parts of a task or job scam.
pub(super) const JOB_HOME: Concept = &[
    "work from home", "from home", "remote job", "work remotely", "from your phone", "online job",
    "work online", "trabajo online", "online arbeiten", "travail en ligne", "trabalho online",
    "desde casa", "trabajar desde casa", "desde tu movil", "home office", "trabalhe de casa",
    "trabalhar de casa", "trabalhe em casa", "trabalho em casa", "pelo celular",
    "von zuhause", "von zu hause", "a domicile", "ghar baithe", "ghar se",
    "dari rumah", "kerja online",
];

pub(super) const JOB_NO_EXPERIENCE: Concept = &[
    "no experience", "no requirements", "no skills needed", "no qualifications",
    "sin experiencia", "sin requisitos", "sem experiencia", "sem requisitos", "keine erfahrung",
    "keine vorkenntnisse", "sans experience", "aucune experience", "koi experience nahi",
    "tanpa pengalaman",
];

pub(super) const JOB_EARN: Concept = &[
    "earn", "earning*", "extra income", "daily pay", "paid daily", "paid up to", "get paid",
    "flexible hours", "ganar", "gana", "ingresos extra", "recibe", "ganancias", "ganhe", "ganhar",
    "renda extra", "receba", "ganhos", "verdienen", "verdiene", "gagner", "gagnez", "kamaye", "kamao",
    "kamaiye",
    "penghasilan", "dapatkan", "komisi",
];

pub(super) const JOB_PAY_RATE: Concept = &[
    "per day", "a day", "daily", "weekly", "per week", "a week", "per hour", "per task",
    "per review", "al dia", "a la semana", "por semana", "por hora", "por tarea", "diario",
    "diaria", "por dia", "ao dia", "por avaliacao", "por tarefa", "pro tag", "pro woche",
    "par jour", "par semaine", "roz", "rozana",
    "per hari", "sehari", "per tugas",
];

pub(super) const JOB_TASKS: Concept = &[
    "like videos", "like youtube", "youtube videos", "tiktok videos", "liking videos",
    "simple tasks", "tasks", "task", "commission", "rate products", "rating products",
    "review products", "reviewing products", "product reviews", "app ratings", "boosting",
    "product sales",
    "me gusta", "dar like", "valorar productos", "curtindo", "curtir", "tarefas", "likes",
    "avaliando produtos", "avaliar produtos", "produkte bewerten", "aufgaben",
    "noter des produits", "taches", "like karna",
    "tugas", "like video",
];

pub(super) const JOB_RECRUITING: Concept = &[
    "recruitment", "recruiter", "hiring", "part time", "job offer", "vacancy", "hr team",
    "hr department", "your cv", "your resume", "offer you", "flexible role", "remote role",
    "we are hiring", "oferta de empleo", "oferta de trabajo", "buscamos personas", "contratamos",
    "recursos humanos", "vaga", "vaga de emprego", "contratando", "stellenangebot", "nebenjob",
    "wir stellen ein", "offre d emploi", "nous recrutons", "naukri",
];

/// Paying in to "unlock" earnings.
pub(super) const JOB_PAY_IN: Concept =
    &["recharge", "top up", "unlock", "recarga", "recarregar", "deposit"];

/// Words after a percentage that make it a discount.
pub(super) const DISCOUNT_WORDS: Concept = &[
    "% off", "% discount", "% de descuento", "% de desconto", "% desconto", "% rabatt",
    "% de reduction", "% de remise",
];

pub(super) const GIVEAWAY: Concept = &[
    "giving away", "giveaway", "give away", "free gift", "free iphone", "free data",
    "gratis para todos", "de graca", "regalamos", "sorteamos", "kostenlos fur alle",
    "gratuit pour tous",
];

pub(super) const FOR_EVERYONE: Concept = &[
    "for everyone", "for all", "to everyone", "para todos", "para todas", "fur alle", "pour tous",
    "sabke liye",
];

pub(super) const FREE: Concept =
    &["free", "gratis", "gratuito", "gratuita", "kostenlos", "gratuit", "muft"];

/// A device "problem" announced by a stranger.
pub(super) const TECH_PROBLEM: Concept = &[
    "is infected", "infected with", "virus detected", "viruses detected", "has a virus",
    "security alert", "malware", "been hacked", "been compromised", "esta infectado",
    "virus detectado", "ist infiziert", "est infecte",
];

/// What a fake technician wants you to do.
pub(super) const TECH_SUPPORT_ACTION: Concept = &[
    "technician", "tech support", "technical support", "call our", "call this number",
    "call the number", "remote access", "anydesk", "teamviewer", "soporte tecnico", "llame al",
    "suporte tecnico", "ligue para", "techniker", "rufen sie", "technicien", "appelez",
];

/// "If this wasn't you..."
pub(super) const NOT_YOU: Concept = &[
    "if this was not you", "if this wasn t you", "if it was not you", "if you did not make",
    "if you didn t make", "if you did not authorise", "if you did not authorize",
    "didn t authorise", "didn t authorize", "to cancel", "auto renew*", "will be charged",
    "si no fue usted", "si no has sido tu", "para cancelar",
    "si no reconoce", "se nao foi voce", "se nao reconhece", "falls sie das nicht waren",
    "si ce n etait pas vous",
];

pub(super) const CALL_OR_CANCEL: Concept = &[
    "call", "phone us", "contact us", "cancel", "press 1", "llame", "llamenos", "ligue", "cancele",
    "rufen sie", "appelez", "annuler",
];

/// Words for the secrets that must never be shared.
pub(super) const SECRET: Concept = &[
    "code", "codes", "codigo", "codigos", "otp", "pin", "passcode", "password", "passwort",
    "kennwort", "senha", "contrasena", "cvv", "mot de passe", "digit code", "verification code",
    "kode", "kode otp", "kata sandi",
];

/// The secrets nobody may ask you to type or confirm (one-time codes are typed in legit flows).
pub(super) const PASSWORD: Concept = &[
    "pin", "password", "passcode", "senha", "contrasena", "passwort", "kennwort", "cvv",
    "mot de passe",
];

/// Words that make "code" something harmless to share ("discount code", "dress code").
pub(super) const NOT_SECRET: Concept = &[
    "discount", "promo", "promotional", "voucher", "coupon", "referral", "invite", "invitation",
    "dress", "qr", "zip", "post", "postal", "area", "country", "source", "bar", "tracking",
    "booking", "reference", "colour", "color", "gate", "door", "descuento", "promocional", "cupom",
    "desconto", "rastreio", "rastreamento", "seguimiento", "rabatt", "gutschein", "promotionnel",
];

/// Verbs that ask for a secret to be handed over.
pub(super) const HAND_OVER: Concept = &[
    "send me", "send us", "send it", "send the", "send your", "reply with", "forward me", "forward the",
    "forward it", "share", "tell me", "give me", "read me", "read out", "provide", "ask for",
    "reenviar", "reenviarmelo", "reenvia", "reenvias", "reenviame", "enviame", "me envias",
    "mandame", "me mandas", "pasame", "me pasas", "dime", "digas", "nos digas", "me digas",
    "digame", "nos envies", "nos mandes", "compartir", "comparte", "informe", "informar", "envie",
    "me envia", "me manda", "me passa", "me fala", "me diga", "nos passe", "encaminha",
    "compartilhe",
    "compartilhar", "senden sie", "schick mir", "nennen sie", "teilen sie", "mitteilen",
    "envoyez moi", "envoie moi", "communiquez", "donnez moi", "bhejo", "bhej do", "batao",
    "bata do",
    "kirimkan", "kirim", "berikan", "beritahu", "bagikan", "kasih tau",
];

/// Verbs that ask you to type or confirm a password or PIN.
pub(super) const CONFIRM_SECRET: Concept = &[
    "confirm", "confirm your", "enter your", "type your", "confirme", "confirma", "digite",
    "introduzca", "introduce", "bestatigen sie", "geben sie", "confirmez", "saisissez",
];

/// "The code you just received": a stranger has just triggered a login code meant for you.
pub(super) const JUST_SENT: Concept = &[
    "you just received", "you just got", "we just sent", "just sent you", "i sent you by mistake",
    "we texted you", "sent to your phone",
    "que te acaba de llegar", "que te llego", "que te ha llegado", "que chegou",
    "que acabou de chegar", "que voce recebeu", "gerade erhalten", "soeben erhalten",
    "que vous venez de recevoir", "abhi aaya",
];

/// Raffles and draws, which only matter when they name you.
pub(super) const DRAW: Concept = &[
    "lottery", "draw", "sweepstake*", "jackpot", "lucky draw", "raffle", "sorteo", "loteria",
    "sorteio", "gewinnspiel", "verlosung", "loterie", "tirage au sort",
];

/// What makes a draw yours.
pub(super) const DRAW_NAMES_YOU: Concept = &[
    "your number", "your email", "your mobile", "your phone", "selected", "select", "claim",
    "winner", "agent", "tu numero", "ganador", "seu numero", "ganhador", "ihre nummer",
    "gewinner", "votre numero", "gagnant", "aapka", "jeet*",
];

/// Paying into someone else's account, how impersonators collect.
pub(super) const OTHER_ACCOUNT: Concept = &[
    "my friend s account", "friend s account", "this account", "a este numero", "otra cuenta",
    "outra conta", "conta de um amigo", "konto eines freundes", "compte d un ami",
];

/// Someone senior asking, so nobody questions it.
pub(super) const BOSS: Concept = &[
    "ceo", "your boss", "your manager", "the director", "managing director", "in a meeting",
    "can t talk", "el jefe", "tu jefe", "en una reunion", "o chefe", "em reuniao", "der chef",
    "im meeting", "le patron", "en reunion",
];

/// Money sent "by mistake" that must be sent back.
pub(super) const BY_MISTAKE: Concept = &[
    "by mistake", "by accident", "accidentally sent", "wrong number", "por error",
    "por equivocacion", "por engano", "aus versehen", "par erreur",
];

pub(super) const SEND_BACK: Concept = &[
    "send it back", "send back", "send the money back", "return it", "return the money",
    "refund me", "devolver", "devuelve", "devuelvas", "devolva", "devolve", "zuruckschicken",
    "zuruckuberweisen", "rembourser", "renvoyer",
];

/// Expensive gadgets offered for a few coins.
pub(super) const GADGET: Concept = &[
    "iphone", "samsung", "galaxy", "playstation", "ps5", "macbook", "airpods", "ipad", "dyson",
    "nintendo", "xbox",
];

pub(super) const TINY_PRICE: Concept = &[
    "for just $", "for only $", "for just £", "for only £", "for just €", "for only €",
    "por solo", "por apenas", "por so", "fur nur", "pour seulement",
];

#[cfg(test)]
mod tests {
    use super::super::text::normalise;
    use super::*;

    #[test]
    fn every_phrase_is_already_normalised() {
        let lists: &[Concept] = &[
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
            POINTS,
            POINTS_HOOK,
            FEE_TO_RECEIVE,
            LOAN_BAIT,
            WINDFALL_STORY,
            INVESTMENT_PROMISE,
            CRYPTO,
            TRADING,
            PROFIT,
            SEND_OR_INVEST,
            FAMILY,
            NEW_NUMBER,
            FAVOUR_OR_MONEY,
            DISTRESS,
            MONEY_ASK,
            SECRECY,
            SCAM_WARNING,
            JOB_HOME,
            JOB_NO_EXPERIENCE,
            JOB_EARN,
            JOB_PAY_RATE,
            JOB_TASKS,
            JOB_RECRUITING,
            JOB_PAY_IN,
            DISCOUNT_WORDS,
            GIVEAWAY,
            FOR_EVERYONE,
            FREE,
            TECH_PROBLEM,
            TECH_SUPPORT_ACTION,
            NOT_YOU,
            CALL_OR_CANCEL,
            SECRET,
            PASSWORD,
            NOT_SECRET,
            HAND_OVER,
            CONFIRM_SECRET,
            JUST_SENT,
            DRAW,
            DRAW_NAMES_YOU,
            OTHER_ACCOUNT,
            BOSS,
            BY_MISTAKE,
            SEND_BACK,
            GADGET,
            TINY_PRICE,
        ];
        for phrase in lists.iter().flat_map(|l| l.iter()) {
            let core = phrase.trim_end_matches('*');
            assert!(!core.is_empty() && !core.contains('*'), "{phrase:?}");
            assert_eq!(normalise(core), core, "{phrase:?} is not in normalised form");
        }
    }
}
