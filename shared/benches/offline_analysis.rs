//! The offline analyser's time per tip: normalisation, links, rules and the text model.
//!
//! Run: `cargo bench -p tipline-shared --bench offline_analysis`

use criterion::{criterion_group, criterion_main, Criterion};
use tipline_shared::analysis::offline::model::TextModel;
use tipline_shared::analysis::{OfflineAnalyzer, Tip};

const TIPS: &[&str] = &[
    "Royal Mail: Your parcel is being held at our depot due to an unpaid shipping fee of £1.99. Pay now to arrange redelivery: https://royalmail-redelivery-fee.com/pay",
    "Hi Mum, this is my new number, I dropped my phone in the toilet can you save it? I need a favour",
    "WINNER!! As a valued network customer you have been selected to receive a £900 prize reward! To claim call 09061701461.",
    "Are we still on for dinner at 8? I'll bring the wine",
    "Hola, ¿me reenvías el código de 6 dígitos que te llegó? Es urgente",
];

fn offline_analysis(c: &mut Criterion) {
    let tips: Vec<Tip> = TIPS.iter().map(|t| Tip::from_text(*t)).collect();
    let analyzer = OfflineAnalyzer;
    c.bench_function("offline analyze, 5 typical tips", |b| {
        b.iter(|| {
            for tip in &tips {
                std::hint::black_box(analyzer.analyze(std::hint::black_box(tip)));
            }
        })
    });
    let huge = Tip::from_text("URGENT pay the fee now https://bit.ly/x ".repeat(2_000));
    c.bench_function("offline analyze, 64 KB tip", |b| {
        b.iter(|| std::hint::black_box(analyzer.analyze(std::hint::black_box(&huge))))
    });
    if let Some(model) = TextModel::shipped() {
        c.bench_function("text model score only, 5 typical tips", |b| {
            b.iter(|| {
                for text in TIPS {
                    std::hint::black_box(model.score(std::hint::black_box(text)));
                }
            })
        });
    }
}

criterion_group!(benches, offline_analysis);
criterion_main!(benches);
