//! The statistical half of the offline analyser: a logistic regression over hashed word
//! uni- and bigrams and character 2–5-grams, trained on real SMS spam and the project's own
//! scams (`training.rs`), shipped inside the binary and read in place, so loading it costs
//! nothing at cold start.
//!
//! The model file is a 16-byte header (`TPLM`, version, log2 of the bucket count, the
//! weight scale and the bias) followed by one little-endian `i16` weight per bucket.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::analysis::normalize;

/// The shipped model, trained by `tipline train` (see `shared/model/PROVENANCE.json`).
static SHIPPED_BYTES: &[u8] = include_bytes!("../../../model/text_model.bin");

/// The shipped model, checked once; `None` (rules only) if the file is not a model.
static SHIPPED: LazyLock<Option<TextModel>> = LazyLock::new(|| TextModel::parse(Cow::Borrowed(SHIPPED_BYTES)).ok());

const MAGIC: &[u8; 4] = b"TPLM";
const VERSION: u8 = 1;
const HEADER_BYTES: usize = 16;

/// 2^18 buckets: collisions stay rare for a few hundred thousand distinct n-grams.
pub const LOG2_BUCKETS: u8 = 18;

/// Only this much of a text is read by the model; spam says what it wants early.
pub const MAX_MODEL_BYTES: usize = 4096;
/// Words longer than this are read by their first characters only.
const MAX_WORD_CHARS: usize = 24;
/// Character n-gram lengths.
const CHAR_NGRAMS: std::ops::RangeInclusive<usize> = 2..=5;

/// A word is named in a reason only if it moved the log-odds at least this much.
const MIN_EXPLAINING_WEIGHT: f64 = 0.08;
/// Function words never worth naming as a reason.
const STOPWORDS: &[&str] = &[
    "the", "this", "that", "and", "for", "you", "your", "with", "are", "was", "have", "has", "from", "our", "not",
    "but", "all", "can", "will", "just", "please", "los", "las", "del", "por", "que", "una", "para", "con", "das",
    "die", "der", "und", "les", "des", "pour", "est", "vous", "dan", "yang", "untuk", "dengan", "uma", "com", "seu",
    "sua", "voce", "time", "new",
];

/// Why bytes are not a text model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a tipline text model (bad magic or version)")]
    Header,
    #[error("the model has {found} bytes, expected {expected}")]
    Length { found: usize, expected: usize },
}

/// A trained text model: probability that a text is spam or a scam.
#[derive(Debug, Clone, PartialEq)]
pub struct TextModel {
    bytes: Cow<'static, [u8]>,
    scale: f32,
    bias: f32,
    mask: u32,
}

/// One word feature and how far it pushed the score, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub word: String,
    pub weight: f64,
}

/// The model's judgement of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Probability of spam or scam, 0..1.
    pub probability: f64,
    /// The words that pushed most towards spam, strongest first.
    pub top_words: Vec<Contribution>,
}

impl TextModel {
    /// The model compiled into this binary, if it is valid.
    pub fn shipped() -> Option<&'static TextModel> {
        SHIPPED.as_ref()
    }

    /// Reads a model file, checking its header and length.
    pub fn parse(bytes: Cow<'static, [u8]>) -> Result<Self, ModelError> {
        let header = bytes.get(..HEADER_BYTES).ok_or(ModelError::Header)?;
        if &header[..4] != MAGIC || header[4] != VERSION || header[5] == 0 || header[5] > 24 {
            return Err(ModelError::Header);
        }
        let buckets = 1usize << header[5];
        let expected = HEADER_BYTES + 2 * buckets;
        if bytes.len() != expected {
            return Err(ModelError::Length {
                found: bytes.len(),
                expected,
            });
        }
        let f32_at = |at: usize| f32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
        let (scale, bias) = (f32_at(8), f32_at(12));
        if !scale.is_finite() || !bias.is_finite() {
            return Err(ModelError::Header);
        }
        Ok(Self {
            scale,
            bias,
            mask: (buckets - 1) as u32,
            bytes,
        })
    }

    /// Builds a model file from float weights, quantised to `i16`.
    pub fn from_weights(weights: &[f64], bias: f64) -> Self {
        let log2 = weights.len().trailing_zeros() as u8;
        let max = weights.iter().fold(0.0f64, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 {
            (max / f64::from(i16::MAX)) as f32
        } else {
            1.0
        };
        let mut bytes = Vec::with_capacity(HEADER_BYTES + 2 * weights.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&[VERSION, log2, 0, 0]);
        bytes.extend_from_slice(&scale.to_le_bytes());
        bytes.extend_from_slice(&(bias as f32).to_le_bytes());
        for w in weights {
            let q = (w / f64::from(scale))
                .round()
                .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16;
            bytes.extend_from_slice(&q.to_le_bytes());
        }
        Self {
            scale,
            bias: bias as f32,
            mask: (weights.len() - 1) as u32,
            bytes: Cow::Owned(bytes),
        }
    }

    /// The model file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn weight(&self, bucket: u32) -> f64 {
        let at = HEADER_BYTES + 2 * (bucket & self.mask) as usize;
        let q = i16::from_le_bytes([self.bytes[at], self.bytes[at + 1]]);
        f64::from(q) * f64::from(self.scale)
    }

    /// Scores a text (only its first `MAX_MODEL_BYTES` are read).
    pub fn score(&self, text: &str) -> Score {
        let features = Features::of(text, self.mask);
        if features.buckets.is_empty() {
            return Score {
                probability: sigmoid(f64::from(self.bias)),
                top_words: Vec::new(),
            };
        }
        let norm = features.norm();
        let z = f64::from(self.bias) + features.buckets.iter().map(|&b| self.weight(b)).sum::<f64>() * norm;
        let mut top_words: Vec<Contribution> = features
            .words
            .iter()
            .map(|(bucket, word)| Contribution {
                word: word.clone(),
                weight: self.weight(*bucket) * norm,
            })
            // Only words that really weighed, and not the glue every message has.
            .filter(|c| c.weight >= MIN_EXPLAINING_WEIGHT && !STOPWORDS.contains(&c.word.as_str()))
            .collect();
        top_words.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        top_words.dedup_by(|a, b| a.word == b.word);
        top_words.truncate(3);
        Score {
            probability: sigmoid(z),
            top_words,
        }
    }
}

/// The hashed features of one text: sorted, distinct bucket numbers, and the readable
/// words among them (letters only, so a reason never quotes a number).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub buckets: Vec<u32>,
    words: Vec<(u32, String)>,
}

impl Features {
    /// Extracts the features of `text` for a model with `mask + 1` buckets.
    pub fn of(text: &str, mask: u32) -> Self {
        let prefix = truncate(text, MAX_MODEL_BYTES);
        let normalized = normalize::normalize(prefix).text.to_lowercase();
        let tokens = tokens(&normalized);
        let mut buckets = Vec::with_capacity(tokens.len() * 20);
        let mut words = Vec::new();
        let mut previous: Option<&str> = None;
        for token in &tokens {
            let unigram = hash(b'w', &[token]) & mask;
            buckets.push(unigram);
            if token.chars().count() >= 3 && token.chars().all(char::is_alphabetic) {
                words.push((unigram, token.clone()));
            }
            if let Some(prev) = previous {
                buckets.push(hash(b'b', &[prev, token]) & mask);
            }
            previous = Some(token);
            let padded: Vec<char> = std::iter::once(' ')
                .chain(
                    token
                        .chars()
                        .take(MAX_WORD_CHARS)
                        .map(|c| if c.is_ascii_digit() { '0' } else { c }),
                )
                .chain(std::iter::once(' '))
                .collect();
            let mut gram = String::with_capacity(24);
            for n in CHAR_NGRAMS {
                for window in padded.windows(n) {
                    gram.clear();
                    gram.extend(window);
                    buckets.push(hash(b'c', &[&gram]) & mask);
                }
            }
        }
        buckets.sort_unstable();
        buckets.dedup();
        Self { buckets, words }
    }

    /// The value of each present feature: the vector has unit length.
    pub fn norm(&self) -> f64 {
        1.0 / (self.buckets.len().max(1) as f64).sqrt()
    }
}

/// Words, numbers as their shape ("#n11", "#p09": an 11-digit number starting 09) and
/// the symbols spam leans on (£ $ € % !).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if word.is_empty() {
            return;
        }
        if word.bytes().all(|b| b.is_ascii_digit()) {
            out.push(format!("#n{}", word.len().min(12)));
            if word.len() >= 5 {
                out.push(format!("#p{}", &word[..2]));
            }
        } else {
            out.push(std::mem::take(word));
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if matches!(c, '£' | '$' | '€' | '₹' | '%' | '!' | '?' | '&' | '@' | '/') {
                out.push(c.to_string());
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

/// FNV-1a over a namespace byte and the parts, then mixed: stable on every platform and
/// Rust version, unlike `DefaultHasher`.
fn hash(namespace: u8, parts: &[&str]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(namespace);
    for part in parts {
        for b in part.bytes() {
            eat(b);
        }
        eat(0xff);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 32;
    h as u32
}

/// 1 / (1 + e^-z), with a hand-written exponential so that training is bit-for-bit the
/// same on every machine (libm's `exp` may differ in the last bit).
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + exp(-z))
}

/// e^x by range reduction to |r| ≤ ln2/2 and a Taylor series; exact to about 1e-15.
fn exp(x: f64) -> f64 {
    let x = x.clamp(-40.0, 40.0);
    const LN2: f64 = std::f64::consts::LN_2;
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..=14 {
        term *= r / f64::from(i);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// The longest prefix of `text` within `max` bytes that ends on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_loads_and_is_small() {
        let model = TextModel::shipped();
        assert!(model.is_some(), "shared/model/text_model.bin is not a valid model");
        assert!(SHIPPED_BYTES.len() <= 2 * 1024 * 1024);
    }

    #[test]
    fn the_shipped_model_separates_known_spam_from_chat() {
        let Some(model) = TextModel::shipped() else {
            panic!("no shipped model");
        };
        let spam = [
            "WINNER!! You have been selected to receive a £900 prize reward! To claim call 09061701461. Valid 12 hours only.",
            "URGENT! Your mobile number has been awarded a £2000 bonus caller prize. Call 09058095201 now",
        ];
        let ham = [
            "Are we still on for dinner at 8?",
            "Ok lar... Joking wif u oni...",
            "I'll be home around 7, do you need anything from the shop?",
        ];
        for text in spam {
            let score = model.score(text);
            assert!(score.probability > 0.8, "{text}: {score:?}");
            assert!(!score.top_words.is_empty(), "{text}");
        }
        for text in ham {
            assert!(model.score(text).probability < 0.2, "{text}");
        }
    }

    #[test]
    fn exp_matches_the_standard_library() {
        for x in [-30.0, -5.5, -1.0, -0.1, 0.0, 0.3, 1.0, 2.5, 10.0, 30.0] {
            let (ours, std) = (exp(x), f64::exp(x));
            assert!(((ours - std) / std).abs() < 1e-12, "{x}: {ours} vs {std}");
        }
    }

    #[test]
    fn features_are_bounded_and_stable() {
        let mask = (1u32 << LOG2_BUCKETS) - 1;
        let a = Features::of("Call 09061701461 now!", mask);
        assert_eq!(a, Features::of("Call 09061701461 now!", mask));
        assert!(a.buckets.windows(2).all(|w| w[0] < w[1]));
        assert!(Features::of("", mask).buckets.is_empty());
        let huge = Features::of(&"spam ".repeat(100_000), mask);
        assert!(huge.buckets.len() < 100);
    }

    #[test]
    fn bad_model_files_are_refused() {
        let cases: Vec<Vec<u8>> = vec![vec![], b"TPLM".to_vec(), vec![0; 32], {
            let mut v = b"TPLM\x01\x02\0\0".to_vec();
            v.extend_from_slice(&[0; 8]);
            v
        }];
        for bytes in cases {
            assert!(TextModel::parse(Cow::Owned(bytes)).is_err());
        }
    }
}
