//! Finding the links in a tip and judging where they really go: shorteners, bare IP
//! addresses, disguised (punycode) domains, copies and look-alikes of brands, fake
//! government sites, cheap top-level domains and long hyphenated names.
//!
//! Written by hand rather than with a URL crate because scam links are rarely valid URLs:
//! people paste `www.site.xyz/pay`, `site.com/x)` or a link glued to a word. Registrable
//! domains come from the Public Suffix List (`psl`), whose private section also names the
//! free hosting and storage services (`s3.amazonaws.com`, `github.io`, `web.app`) where
//! anyone can put a page under a name of their choosing.

use super::brands::{Brand, BRANDS};
use super::reasons;
use super::signal::{Advice, Signal};
use crate::analysis::language::Lang;

/// Where one link in a tip points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    /// The lowercase host name or IP address.
    pub host: String,
    /// The address had `something@` before the host, which hides the real destination.
    pub has_userinfo: bool,
}

/// Tokens longer than this are not read as links; no real link is that long.
const MAX_TOKEN_BYTES: usize = 2048;

/// URL shorteners: the link hides its destination.
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "bitly.com",
    "tinyurl.com",
    "t.co",
    "cutt.ly",
    "is.gd",
    "v.gd",
    "rb.gy",
    "goo.gl",
    "ow.ly",
    "buff.ly",
    "tiny.cc",
    "shorturl.at",
    "s.id",
    "t.ly",
    "rebrand.ly",
    "qrco.de",
    "tiny.one",
    "x.co",
    "shorte.st",
    "adf.ly",
    "bl.ink",
    "surl.li",
    "u.to",
    "clck.ru",
    "bit.do",
    "urlz.fr",
    "encurtador.com.br",
    "l1nk.dev",
    "shrtco.de",
    "short.gy",
    "2u.pw",
];

/// Top-level domains that are cheap, lightly policed and over-represented in phishing reports.
const CHEAP_TLDS: &[&str] = &[
    "xyz", "top", "club", "online", "site", "shop", "store", "info", "icu", "buzz", "live", "click", "link", "support",
    "rest", "cyou", "tk", "ml", "ga", "cf", "gq", "work", "loan", "win", "bid", "vip", "sbs", "cfd", "monster",
    "quest", "lol", "mom", "fun", "host", "website", "space", "help", "cam", "bond", "today", "life", "services",
];

/// Top-level domains longer than two letters that a bare `name.tld` may end in. Two-letter
/// country codes are always accepted; anything else without `http` or `www.` is not a link,
/// so "e.g." or "Mr.Smith" are left alone.
const KNOWN_TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "biz",
    "app",
    "dev",
    "page",
    "blog",
    "news",
    "tech",
    "cloud",
    "digital",
    "world",
    "email",
    "center",
    "group",
    "ltd",
    "inc",
    "pro",
    "mobi",
    "name",
    "asia",
    "travel",
    "global",
    "network",
    "media",
    "agency",
    "company",
    "services",
    "solutions",
    "sbi",
    "ghtml",
];

/// Endings only real governments can register.
const GOVERNMENT_SUFFIXES: &[&str] = &[
    "gov",
    "gov.uk",
    "gov.br",
    "gob.es",
    "gouv.fr",
    "gov.in",
    "nic.in",
    "gov.au",
    "gob.mx",
    "gob.ar",
    "gc.ca",
    "bund.de",
    "gv.at",
    "admin.ch",
    "europa.eu",
    "gov.pt",
    "gub.uy",
    "gov.za",
    "gov.ie",
    "govt.nz",
    "mil",
];

/// Words a phishing domain borrows to look like a service ("secure", "refund", "parcel").
const BAIT_WORDS: &[&str] = &[
    "secure",
    "security",
    "verify",
    "verification",
    "login",
    "signin",
    "account",
    "update",
    "support",
    "helpdesk",
    "service",
    "services",
    "billing",
    "payment",
    "pay",
    "refund",
    "rebate",
    "claim",
    "reward",
    "rewards",
    "prize",
    "gift",
    "bonus",
    "winner",
    "free",
    "promo",
    "delivery",
    "redelivery",
    "parcel",
    "package",
    "track",
    "tracking",
    "customs",
    "fee",
    "unlock",
    "renewal",
    "renew",
    "portal",
    "alert",
    "confirm",
    "auth",
    "wallet",
    "invest",
    "loan",
    "approve",
    "approved",
    "check",
    "kyc",
    "toll",
    "tolls",
    "paket",
    "zustellung",
    "sendung",
    "lieferung",
    "gewinn",
    "sicherheit",
    "colis",
    "livraison",
    "suivi",
    "remboursement",
    "envio",
    "envios",
    "entrega",
    "paquete",
    "pago",
    "pagos",
    "reembolso",
    "premio",
    "premios",
    "multa",
    "multas",
    "seguridad",
    "verificacion",
    "clientes",
    "cliente",
    "encomenda",
    "encomendas",
    "rastreio",
    "resgate",
    "pontos",
    "pagamento",
    "regularizar",
    "seguranca",
];

/// Endings that, seen before the real domain, make an address look like a known site.
const FAKE_ENDINGS: &[&str] = &["com", "net", "org", "gov"];

/// Domain words that claim to be a government.
const GOVERNMENT_WORDS: &[&str] = &["gov", "govt", "gob", "gouv", "government", "gobierno", "governo"];

/// Reads one whitespace-separated token of the original text as a link, if it is one.
pub(super) fn parse(token: &str) -> Option<Link> {
    let trimmed = token.trim_matches(is_wrapping);
    if trimmed.is_empty() || trimmed.len() > MAX_TOKEN_BYTES {
        return None;
    }
    let lower = trimmed.to_lowercase();
    let (rest, explicit) = match lower.find("http://").or_else(|| lower.find("https://")) {
        Some(at) => {
            let after = lower.get(at..)?;
            (after.split_once("://").map(|(_, r)| r)?, true)
        }
        None if lower.starts_with("www.") => (lower.as_str(), true),
        None => (lower.as_str(), false),
    };
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let (host, has_userinfo) = match authority.rsplit_once('@') {
        Some(_) if !explicit => return None,
        Some((_, host)) => (host, true),
        None => (authority, false),
    };
    if explicit && host.starts_with('[') {
        // An IPv6 literal, `[2001:db8::1]:8080`.
        let literal = host.split(']').next().unwrap_or_default();
        return (literal.len() > 2).then(|| Link {
            host: format!("{literal}]"),
            has_userinfo,
        });
    }
    let host = strip_port(host).trim_end_matches('.');
    if explicit && is_integer_ip(host) {
        return Some(Link {
            host: host.to_owned(),
            has_userinfo,
        });
    }
    if !is_host(host) {
        return None;
    }
    if !explicit {
        let ip = is_ipv4(host);
        let tld = host.rsplit('.').next().unwrap_or_default();
        let tld_ok = tld.bytes().all(|b| b.is_ascii_lowercase())
            && (tld.len() == 2 || KNOWN_TLDS.contains(&tld) || CHEAP_TLDS.contains(&tld));
        let bare_link = if ip { path.starts_with('/') } else { tld_ok };
        if !bare_link {
            return None;
        }
    }
    Some(Link {
        host: host.to_owned(),
        has_userinfo,
    })
}

/// Signals for the links of one tip, each kind of problem reported once.
pub(super) fn signals(links: &[Link], lang: Lang) -> Vec<Signal> {
    let mut out: Vec<Signal> = Vec::new();
    for link in links {
        for signal in judge(link, lang) {
            if !out.iter().any(|s| s.rule == signal.rule) {
                out.push(signal);
            }
        }
    }
    out
}

/// The rule's reason in the tip's language where it is translated, else the English one.
fn said(rule: &str, lang: Lang, facts: &[(&str, &str)], english: String) -> String {
    reasons::link_reason(rule, lang, facts).unwrap_or(english)
}

/// Everything wrong with one link.
fn judge(link: &Link, lang: Lang) -> Vec<Signal> {
    let host = link.host.as_str();
    let mut out = Vec::new();
    if is_ipv4(host) || host.starts_with('[') || is_integer_ip(host) {
        out.push(Signal {
            rule: "ip_address_link",
            weight: 0.6,
            reason: said(
                "ip_address_link",
                lang,
                &[("host", host)],
                format!("The link goes to a bare number address ({host}) instead of a named website."),
            ),
            advice: Advice::Link,
        });
        return out;
    }
    let registrable = registrable(host);
    // On free hosting the page belongs to whoever chose the name under the service's suffix,
    // so no brand owns it, whatever the service's own brand.
    let suffix = psl::suffix_str(host).unwrap_or(host);
    let hosted =
        suffix.len() < host.len() && psl::suffix(host.as_bytes()).is_some_and(|s| s.typ() == Some(psl::Type::Private));
    if hosted {
        out.push(Signal {
            rule: "free_hosting",
            weight: 0.3,
            reason: said("free_hosting", lang, &[("suffix", suffix)], format!(
                "The link is on {suffix}, a free hosting or storage service where anyone can set up a page, not a company's own website."
            )),
            advice: Advice::Link,
        });
    }
    if !host.is_ascii() || host.split('.').any(|label| label.starts_with("xn--")) {
        out.push(Signal {
            rule: "disguised_domain",
            weight: 0.5,
            reason: said(
                "disguised_domain",
                lang,
                &[("host", host)],
                format!("The link's address ({host}) uses foreign look-alike letters that can imitate a real website."),
            ),
            advice: Advice::Link,
        });
    }
    if link.has_userinfo {
        out.push(Signal {
            rule: "hidden_destination",
            weight: 0.5,
            reason: said(
                "hidden_destination",
                lang,
                &[("host", host)],
                format!("The link hides where it really goes ({host}) behind text before an @ sign."),
            ),
            advice: Advice::Link,
        });
    }
    if SHORTENERS.iter().any(|s| host == *s || is_subdomain(host, s)) {
        out.push(Signal {
            rule: "shortened_link",
            weight: 0.35,
            reason: said(
                "shortened_link",
                lang,
                &[("host", host)],
                format!("The link is shortened ({host}), which hides where it really goes."),
            ),
            advice: Advice::Link,
        });
    }
    if let Some(signal) = brand_signal(host, registrable, hosted, lang) {
        out.push(signal);
    }
    let claims_government = labels_before_tld(host)
        .flat_map(|label| label.split('-'))
        .any(|part| GOVERNMENT_WORDS.contains(&part));
    let is_government = GOVERNMENT_SUFFIXES.iter().any(|s| host == *s || is_subdomain(host, s));
    if claims_government && !is_government {
        out.push(Signal {
            rule: "fake_government_site",
            weight: 0.5,
            reason: said(
                "fake_government_site",
                lang,
                &[("registrable", registrable)],
                format!(
                    "The link looks like a government website but {registrable} is not an official government address."
                ),
            ),
            advice: Advice::Government,
        });
    }
    let tld = host.rsplit('.').next().unwrap_or_default();
    if CHEAP_TLDS.contains(&tld) {
        out.push(Signal {
            rule: "cheap_domain_ending",
            weight: 0.3,
            reason: said(
                "cheap_domain_ending",
                lang,
                &[("tld", tld)],
                format!(
                "The link's address ends in .{tld}, an ending scammers favour because it is cheap and rarely checked."
            ),
            ),
            advice: Advice::Link,
        });
    }
    let name = registrable.split('.').next().unwrap_or_default();
    // Punycode's own "xn--" and its checksum hyphen are not hyphens anyone typed.
    let typed = name
        .strip_prefix("xn--")
        .map_or(name, |rest| rest.rsplit_once('-').map_or(rest, |(n, _)| n));
    if typed.matches('-').count() >= 2 || typed.len() > 30 {
        out.push(Signal {
            rule: "hyphenated_domain",
            weight: 0.2,
            reason: said(
                "hyphenated_domain",
                lang,
                &[("registrable", registrable)],
                format!("The link's address ({registrable}) is a long hyphenated name, a common way to look official."),
            ),
            advice: Advice::Link,
        });
    }
    if !hosted && BRANDS.iter().any(|b| b.owns(host, registrable)) {
        return out;
    }
    if let Some(word) = typed.split('-').find(|part| BAIT_WORDS.contains(part)) {
        out.push(Signal {
            rule: "bait_word_domain",
            weight: 0.3,
            reason: said(
                "bait_word_domain",
                lang,
                &[("registrable", registrable), ("word", word)],
                format!("The link's address ({registrable}) uses the word \"{word}\" to pass for an official service."),
            ),
            advice: Advice::Link,
        });
    }
    // "usps.com-track.top", "tax.org.uk.refund-now.com": a familiar ending placed where
    // people read, in front of the domain that really owns the link.
    let before = host.strip_suffix(registrable).unwrap_or_default();
    let fake_ending = before
        .split(['.', '-'])
        .chain(typed.split('-').take(1))
        .any(|part| FAKE_ENDINGS.contains(&part));
    if fake_ending {
        out.push(Signal {
            rule: "deceptive_address",
            weight: 0.45,
            reason: said(
                "deceptive_address",
                lang,
                &[("host", host), ("registrable", registrable)],
                format!("The link starts like a familiar address ({host}) but really goes to {registrable}."),
            ),
            advice: Advice::Link,
        });
    }
    out
}

/// A brand named or imitated in a domain that the brand does not own.
fn brand_signal(host: &str, registrable: &str, hosted: bool, lang: Lang) -> Option<Signal> {
    let owner = BRANDS.iter().find(|b| !hosted && b.owns(host, registrable));
    let mut imitation: Option<(&Brand, bool)> = None;
    // Punycode and raw non-Latin hosts are read as the letters they show ("xn--pypal-4ve"
    // is "pаypal" with a Cyrillic а), so the brand they imitate is found too.
    let shown = unicode_host(host);
    let shown_labels = (shown != host).then(|| labels_before_tld(&shown).map(str::to_owned).collect::<Vec<_>>());
    for label in labels_before_tld(host) {
        let joined: String = label.chars().filter(|&c| c != '-').collect();
        let words = label.split('-').chain(std::iter::once(joined.as_str()));
        for word in words {
            for brand in BRANDS {
                if owner.is_some_and(|o| o.key == brand.key) {
                    continue;
                }
                if names(word, brand) {
                    imitation.get_or_insert((brand, false));
                } else if imitates(word, brand) {
                    // A look-alike is the stronger sign, so it wins over a plain mention.
                    imitation = Some((brand, true));
                }
            }
        }
    }
    for label in shown_labels.iter().flatten() {
        let joined: String = label.chars().filter(|&c| c != '-').collect();
        if let Some(brand) = BRANDS.iter().find(|b| b.loose && joined.contains(b.key)) {
            imitation = Some((brand, true));
        }
    }
    let (brand, lookalike) = imitation?;
    if owner.is_some() && !lookalike {
        // A brand's own site mentioning another brand (youtube.com/google) is normal.
        return None;
    }
    let name = brand.name;
    Some(if lookalike {
        Signal {
            rule: "lookalike_domain",
            weight: 0.65,
            reason: said("lookalike_domain", lang, &[("registrable", registrable), ("name", name)], format!(
                "The link's address ({registrable}) imitates {name} with swapped letters, but it is not {name}'s website."
            )),
            advice: Advice::Link,
        }
    } else {
        Signal {
            rule: "brand_in_foreign_domain",
            weight: 0.55,
            reason: said(
                "brand_in_foreign_domain",
                lang,
                &[("name", name), ("registrable", registrable)],
                format!("The link uses the name {name}, but {registrable} is not {name}'s real website."),
            ),
            advice: Advice::Link,
        }
    })
}

/// The word is the brand, or (for distinctive brands) contains it.
fn names(word: &str, brand: &Brand) -> bool {
    word == brand.key || (brand.loose && word.contains(brand.key))
}

/// The word imitates a distinctive brand: digit/letter swaps (paypa1, amaz0n, netfIix)
/// or one changed or swapped letter (amazom, paypla).
fn imitates(word: &str, brand: &Brand) -> bool {
    if !brand.loose || word.contains(brand.key) || word.len() > 64 {
        return false;
    }
    if skeleton(word).contains(&skeleton(brand.key)) {
        return true;
    }
    brand.key.len() >= 6 && one_letter_off(word.as_bytes(), brand.key.as_bytes())
}

/// Maps characters that look alike to one representative, so "paypa1" and "paypal" agree.
fn skeleton(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let mapped = match c {
            '0' => 'o',
            '1' | 'i' | '!' | '|' => 'l',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '8' => 'b',
            'r' if chars.peek() == Some(&'n') => {
                chars.next();
                'm'
            }
            'v' if chars.peek() == Some(&'v') => {
                chars.next();
                'w'
            }
            other => other,
        };
        out.push(mapped);
    }
    out
}

/// Same length and differs by one substituted letter or one swap of neighbours.
fn one_letter_off(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).take(3).collect();
    match diffs.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// The labels of a host without its top-level domain.
fn labels_before_tld(host: &str) -> impl Iterator<Item = &str> {
    let mut labels: Vec<&str> = host.split('.').collect();
    labels.pop();
    labels.into_iter()
}

/// The part of a host someone registered, by the Public Suffix List:
/// `login.example.co.uk` -> `example.co.uk`, `paypal-verify.s3.amazonaws.com` stays whole.
fn registrable(host: &str) -> &str {
    psl::domain_str(host).unwrap_or(host)
}

/// The host as a person sees it: punycode decoded, look-alike letters read as Latin, accents dropped.
fn unicode_host(host: &str) -> String {
    let (decoded, _) = idna::domain_to_unicode(host);
    decoded
        .chars()
        .map(|c| crate::analysis::normalize::latin_lookalike(c).unwrap_or(c))
        .flat_map(|c| {
            use unicode_normalization::UnicodeNormalization;
            std::iter::once(c).nfd().filter(char::is_ascii).collect::<Vec<_>>()
        })
        .collect::<String>()
        .to_lowercase()
}

/// A host written as one number (`http://3232235777/`), an IPv4 address in disguise.
fn is_integer_ip(host: &str) -> bool {
    let hex = host
        .strip_prefix("0x")
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()));
    hex.is_some() || (host.len() >= 8 && host.len() <= 10 && host.bytes().all(|b| b.is_ascii_digit()))
}

fn is_subdomain(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain).is_some_and(|rest| rest.ends_with('.'))
}

fn strip_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Dot-separated labels of letters (any script), digits and hyphens, at least two of them.
fn is_host(host: &str) -> bool {
    host.len() <= 253
        && host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn is_wrapping(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '"'
            | '\''
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '¡'
            | '¿'
            | '*'
            | '_'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '«'
            | '»'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_in_tokens() {
        let cases = [
            ("https://www.youtube.com/watch?v=x", Some("www.youtube.com")),
            ("(http://Bit.ly/3xYz).", Some("bit.ly")),
            ("www.rayban-outlet-sale.shop", Some("www.rayban-outlet-sale.shop")),
            ("amazon.co.uk/orders", Some("amazon.co.uk")),
            ("evri-redelivery-uk.com/reschedule", Some("evri-redelivery-uk.com")),
            ("aqui:https://site.xyz/pay", Some("site.xyz")),
            ("http://185.22.14.7/chase/login", Some("185.22.14.7")),
            ("https://paypal.com@evil.example.com/", Some("evil.example.com")),
            ("http://localhost:8080/", None),
            ("https://münchen-bank.de", Some("münchen-bank.de")),
            ("10.0.0.1", None),
            ("10.0.0.1/admin", Some("10.0.0.1")),
            ("e.g.", None),
            ("Mr.Smith", None),
            ("1,99€.", None),
            ("3.45", None),
            ("name@example.com", None),
            ("https://", None),
            ("...", None),
            ("", None),
        ];
        for (token, host) in cases {
            assert_eq!(parse(token).map(|l| l.host).as_deref(), host, "{token}");
        }
    }

    fn rules_for(token: &str) -> Vec<&'static str> {
        let links: Vec<Link> = parse(token).into_iter().collect();
        signals(&links, Lang::En).into_iter().map(|s| s.rule).collect()
    }

    #[test]
    fn judges_where_a_link_goes() {
        let cases: &[(&str, &[&str])] = &[
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", &[]),
            ("https://open.spotify.com/playlist/37i9", &[]),
            ("https://www.bbc.co.uk/news/science-environment-68812345", &[]),
            ("https://github.com/example-org/app/pull/42", &[]),
            ("https://docs.google.com/presentation/d/1AbC/edit", &[]),
            ("amazon.co.uk/orders", &[]),
            ("https://www.gov.uk/claim-tax-refund", &[]),
            ("https://track.aftership.com/x", &[]),
            ("https://groups-purchase.com", &[]),
            ("https://pineapple.com", &[]),
            ("https://bit.ly/3xDhLpay", &["shortened_link"]),
            ("http://185.22.14.7/chase/login", &["ip_address_link"]),
            ("https://xn--barclys-5ya.com/cancel", &["disguised_domain"]),
            ("https://paypal.com@evil.example.com/", &["hidden_destination"]),
            (
                "https://parcel-track-ukk.com/s/1",
                &["hyphenated_domain", "bait_word_domain"],
            ),
            (
                "http://paypa1-secure-login.com/verify",
                &["lookalike_domain", "hyphenated_domain", "bait_word_domain"],
            ),
            (
                "https://netfIix-billing-update.com",
                &["lookalike_domain", "hyphenated_domain", "bait_word_domain"],
            ),
            ("https://amaz0n.support/x", &["lookalike_domain", "cheap_domain_ending"]),
            (
                "https://royalmail-redelivery-fee.com/pay",
                &["brand_in_foreign_domain", "hyphenated_domain", "bait_word_domain"],
            ),
            (
                "https://usps.com-trackhelp.top/us",
                &["brand_in_foreign_domain", "cheap_domain_ending", "deceptive_address"],
            ),
            (
                "http://hmrc-refund-claim.uk-gov.info/claim",
                &["brand_in_foreign_domain", "fake_government_site", "cheap_domain_ending"],
            ),
            (
                "https://tax.org.uk.refund-now.com/claim",
                &["bait_word_domain", "deceptive_address"],
            ),
        ];
        for (token, expected) in cases {
            assert_eq!(rules_for(token), *expected, "{token}");
        }
    }

    #[test]
    fn registrable_domain_respects_two_level_suffixes() {
        let cases = [
            ("a.b.example.co.uk", "example.co.uk"),
            ("shop.example.com.vn", "example.com.vn"),
            ("www.naver.co.kr", "naver.co.kr"),
            ("paypal-verify.s3.amazonaws.com", "paypal-verify.s3.amazonaws.com"),
            ("me.github.io", "me.github.io"),
            ("login.example.com", "example.com"),
            ("example.com", "example.com"),
            ("com", "com"),
            ("co.uk", "co.uk"),
        ];
        for (host, expected) in cases {
            assert_eq!(registrable(host), expected, "{host}");
        }
    }

    #[test]
    fn lookalikes_need_a_distinctive_brand() {
        let cases = [
            ("paypa1", "paypal", true),
            ("amaz0n", "amazon", true),
            ("netfiix", "netflix", true),
            ("micrsoft", "microsoft", false),
            ("arnazon", "amazon", true),
            ("amazom", "amazon", true),
            ("paypla", "paypal", true),
            ("paypal", "paypal", false),
            ("chese", "chase", false),
            ("goodfood", "google", false),
        ];
        for (word, key, expected) in cases {
            let brand = BRANDS.iter().find(|b| b.key == key);
            assert_eq!(brand.map(|b| imitates(word, b)), Some(expected), "{word}");
        }
    }
}
