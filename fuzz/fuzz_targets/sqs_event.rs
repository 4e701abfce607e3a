//! The processor's input: an SQS event as Lambda delivers it, then the batch engine's
//! planning step (envelope decoding and grouping by sender) on its records.
#![no_main]

use aws_lambda_events::event::sqs::SqsEvent;
use libfuzzer_sys::fuzz_target;
use tipline_processor::record::{plan, RecordInput};

fuzz_target!(|data: &[u8]| {
    let Ok(event) = serde_json::from_slice::<SqsEvent>(data) else {
        return;
    };
    let inputs: Vec<RecordInput> = event
        .records
        .into_iter()
        .map(|r| RecordInput {
            sqs_message_id: r.message_id.unwrap_or_default(),
            body: r.body.unwrap_or_default(),
            receive_count: 1,
        })
        .collect();
    let count = inputs.len();
    let units = plan(inputs);
    let planned: usize = units.iter().map(|u| u.ids().len()).sum();
    assert_eq!(planned, count, "every record is planned exactly once");
});
