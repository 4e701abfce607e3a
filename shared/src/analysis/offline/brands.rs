//! The brands scammers imitate most in links, with the domains that really belong to them,
//! so a link can be told apart as the real site, a copy with the name in it, or a look-alike.

/// A brand whose name in a link's domain means something.
#[derive(Debug, Clone, Copy)]
pub(super) struct Brand {
    /// The name as it appears in domains, lowercase ASCII without spaces.
    pub key: &'static str,
    /// The name as people write it, for reasons.
    pub name: &'static str,
    /// Domains the brand owns besides `key.<suffix>`; subdomains of these count too.
    pub official: &'static [&'static str],
    /// The key is distinctive enough to find inside a longer word ("paypalsecure")
    /// and to have look-alikes; short or common-word keys ("ups", "chase") only match a whole word.
    pub loose: bool,
}

const fn brand(key: &'static str, name: &'static str, loose: bool) -> Brand {
    Brand {
        key,
        name,
        official: &[],
        loose,
    }
}

const fn owned(key: &'static str, name: &'static str, loose: bool, official: &'static [&'static str]) -> Brand {
    Brand {
        key,
        name,
        official,
        loose,
    }
}

/// Banks, couriers, tax offices, tech and payment companies named in phishing links.
pub(super) const BRANDS: &[Brand] = &[
    owned("paypal", "PayPal", true, &["paypal.me", "paypalobjects.com"]),
    owned(
        "amazon",
        "Amazon",
        true,
        &["amzn.to", "amzn.eu", "a.co", "amazonaws.com", "media-amazon.com"],
    ),
    owned("apple", "Apple", false, &["icloud.com", "apple.co"]),
    brand("icloud", "iCloud", true),
    owned("netflix", "Netflix", true, &["nflxext.com", "nflximg.net"]),
    owned(
        "microsoft",
        "Microsoft",
        true,
        &["microsoftonline.com", "live.com", "office.com", "outlook.com"],
    ),
    brand("outlook", "Outlook", true),
    owned(
        "google",
        "Google",
        true,
        &[
            "googleusercontent.com",
            "googleapis.com",
            "googlevideo.com",
            "g.co",
            "goo.gl",
        ],
    ),
    owned("gmail", "Gmail", true, &["google.com"]),
    owned("youtube", "YouTube", true, &["youtu.be", "youtube-nocookie.com"]),
    owned("whatsapp", "WhatsApp", true, &["wa.me", "whatsapp.net"]),
    owned("facebook", "Facebook", true, &["fb.com", "fb.me", "fbcdn.net"]),
    owned("instagram", "Instagram", true, &["instagr.am", "cdninstagram.com"]),
    brand("tiktok", "TikTok", true),
    brand("spotify", "Spotify", true),
    brand("binance", "Binance", true),
    brand("coinbase", "Coinbase", true),
    brand("metamask", "MetaMask", true),
    brand("dhl", "DHL", false),
    brand("fedex", "FedEx", true),
    brand("ups", "UPS", false),
    brand("usps", "USPS", false),
    brand("royalmail", "Royal Mail", true),
    brand("evri", "Evri", false),
    brand("hermes", "Hermes", false),
    brand("dpd", "DPD", false),
    brand("correos", "Correos", true),
    brand("ctt", "CTT", false),
    brand("chronopost", "Chronopost", true),
    brand("laposte", "La Poste", true),
    brand("colissimo", "Colissimo", true),
    owned("hmrc", "HMRC", false, &["gov.uk"]),
    brand("irs", "the IRS", false),
    owned("dvla", "the DVLA", false, &["gov.uk"]),
    owned("aeat", "the Agencia Tributaria", false, &["agenciatributaria.gob.es"]),
    owned("receita", "the Receita Federal", false, &["gov.br"]),
    owned(
        "ezpass",
        "E-ZPass",
        false,
        &[
            "e-zpassny.com",
            "ezpassnj.com",
            "ezpassva.com",
            "ezpassmd.com",
            "e-zpassiag.com",
        ],
    ),
    brand("chase", "Chase", false),
    brand("wellsfargo", "Wells Fargo", true),
    brand("bankofamerica", "Bank of America", true),
    brand("citibank", "Citibank", true),
    brand("barclays", "Barclays", true),
    brand("hsbc", "HSBC", false),
    brand("lloyds", "Lloyds", false),
    brand("natwest", "NatWest", true),
    brand("santander", "Santander", true),
    brand("bbva", "BBVA", false),
    brand("caixabank", "CaixaBank", true),
    brand("itau", "Itaú", false),
    brand("nubank", "Nubank", true),
    brand("bradesco", "Bradesco", true),
    brand("sparkasse", "Sparkasse", true),
    brand("commerzbank", "Commerzbank", true),
    brand("revolut", "Revolut", true),
    brand("monzo", "Monzo", false),
    owned("sbi", "SBI", false, &["onlinesbi.sbi", "sbi"]),
    brand("hdfc", "HDFC", false),
    brand("icici", "ICICI", false),
    brand("paytm", "Paytm", false),
    brand("mercadolibre", "Mercado Libre", true),
    brand("mercadopago", "Mercado Pago", true),
    brand("ebay", "eBay", false),
    brand("walmart", "Walmart", true),
];

impl Brand {
    /// Whether `host` belongs to this brand: `key.<suffix>`, an official domain or a subdomain of one.
    pub(super) fn owns(&self, host: &str, registrable: &str) -> bool {
        let first_label = registrable.split('.').next().unwrap_or_default();
        first_label == self.key
            || self
                .official
                .iter()
                .any(|domain| host == *domain || is_subdomain(host, domain))
    }
}

fn is_subdomain(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain).is_some_and(|rest| rest.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(key: &str) -> Option<&'static Brand> {
        BRANDS.iter().find(|b| b.key == key)
    }

    #[test]
    fn ownership_follows_registrable_domain_and_official_list() {
        let cases = [
            ("paypal", "www.paypal.com", "paypal.com", true),
            ("paypal", "paypal.com.evil.xyz", "evil.xyz", false),
            ("amazon", "amazon.co.uk", "amazon.co.uk", true),
            ("amazon", "s3.amazonaws.com", "amazonaws.com", true),
            ("hmrc", "www.tax.service.gov.uk", "service.gov.uk", true),
            ("hmrc", "hmrc-refund.uk-gov.info", "uk-gov.info", false),
            ("youtube", "youtu.be", "youtu.be", true),
            ("sbi", "retail.onlinesbi.sbi", "onlinesbi.sbi", true),
            ("whatsapp", "notwa.me", "notwa.me", false),
        ];
        for (key, host, registrable, expected) in cases {
            let owns = find(key).map(|b| b.owns(host, registrable));
            assert_eq!(owns, Some(expected), "{key} {host}");
        }
    }

    #[test]
    fn keys_are_lowercase_ascii_words() {
        for brand in BRANDS {
            assert!(
                brand.key.len() >= 3 && brand.key.bytes().all(|b| b.is_ascii_lowercase()),
                "{}",
                brand.key
            );
        }
    }
}
