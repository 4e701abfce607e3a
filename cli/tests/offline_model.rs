//! The offline analyser held to its goals on data it never saw, and the shipped text model
//! checked to be exactly what `tipline train` produces from the data in the repository.

use tipline::commands::eval::evaluate;
use tipline_shared::analysis::offline::model::TextModel;
use tipline_shared::analysis::offline::training::{train_on, TrainConfig};

const UCI: &str = include_str!("../../shared/data/uci_sms_spam_collection.tsv");
const PROJECT: &str = include_str!("../../processor/tests/fixtures/offline_eval.jsonl");
const SHIPPED: &[u8] = include_bytes!("../../shared/model/text_model.bin");
const PROVENANCE: &str = include_str!("../../shared/model/text_model.provenance.json");

/// The goal on the public data: recall of spam at least this...
const MIN_RECALL: f64 = 0.90;
/// ...with at most this share of ordinary messages flagged.
const MAX_FALSE_POSITIVE_RATE: f64 = 0.01;

#[test]
fn held_out_public_split_meets_recall_and_false_positive_goals() {
    let report = evaluate(UCI, true).expect("the public data parses");
    println!("{report}");
    let c = &report.overall;
    assert!(c.positives() > 100 && c.negatives() > 800, "{c}");
    assert!(c.recall() >= MIN_RECALL, "{c}");
    assert!(c.false_positive_rate() <= MAX_FALSE_POSITIVE_RATE, "{c}");
}

#[test]
fn project_set_is_measured_whole_and_held_out() {
    for held_out in [false, true] {
        let report = evaluate(PROJECT, held_out).expect("the project set parses");
        println!("project set, held-out only: {held_out}\n{report}");
        let c = &report.overall;
        assert!(c.recall() >= 0.9, "{c}");
        assert!(c.precision() >= 0.85, "{c}");
    }
}

#[test]
fn training_reproduces_the_shipped_model_and_provenance() {
    let trained = train_on(UCI, PROJECT, &TrainConfig::default()).expect("training data parses");
    assert!(
        trained.model.as_bytes() == SHIPPED,
        "shared/model/text_model.bin is stale: run `tipline train --out shared/model/text_model.bin`"
    );
    let provenance: serde_json::Value = serde_json::from_str(PROVENANCE).expect("provenance is JSON");
    assert_eq!(provenance, trained.provenance, "the provenance file is stale");
    assert!(TextModel::shipped().is_some());
}
