//! Differential test: requests signed by Twilio's official Python library (`twilio` on PyPI)
//! must validate in ours exactly when they validate in Twilio's own `RequestValidator`.
//!
//! `scripts/twilio_cases.py` generates random URLs (ports, queries, unicode), parameters
//! (repeats, empty values, unicode) and tokens, signs them with the library, and adds one-byte
//! mutations with the library's verdict on each.

use std::process::Command;

use serde::Deserialize;
use tipline_shared::twilio::signature::{verify, Algorithm, Payload};
use tipline_shared::Secret;

#[derive(Debug, Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    token: String,
    algorithm: String,
    url: String,
    params: Vec<(String, String)>,
    body: Option<String>,
    signature: String,
    valid: bool,
}

fn python() -> String {
    std::env::var("TIPLINE_PYTHON").unwrap_or_else(|_| format!("{}/../.venv/bin/python", env!("CARGO_MANIFEST_DIR")))
}

fn generate(count: usize, seed: u64) -> Cases {
    let script = format!("{}/../scripts/twilio_cases.py", env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(python())
        .args([
            script.as_str(),
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} (create the venv with `make test` or set TIPLINE_PYTHON): {e}",
                python()
            )
        });
    assert!(
        output.status.success(),
        "twilio_cases.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("twilio_cases.py prints the cases as JSON")
}

#[test]
fn ours_agrees_with_twilios_request_validator() {
    // A fresh seed per run widens coverage over time; it is printed so a failure can be replayed.
    let seed = std::env::var("TIPLINE_SIGNATURE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(1)
        });
    println!("TIPLINE_SIGNATURE_SEED={seed}");
    let cases = generate(250, seed).cases;

    let valid = cases.iter().filter(|c| c.valid && !c.name.contains("/mutated")).count();
    let mutated_invalid = cases.iter().filter(|c| !c.valid && c.name.contains("/mutated")).count();
    assert!(valid >= 200, "expected at least 200 valid random cases, got {valid}");
    assert!(
        mutated_invalid >= 200,
        "expected at least 200 refused mutations, got {mutated_invalid}"
    );

    let mut disagreements = Vec::new();
    for case in &cases {
        let algorithm = Algorithm::parse(&case.algorithm).expect("the generator uses known algorithms");
        let payload = match &case.body {
            Some(body) => Payload::Json(body.as_bytes()),
            None => Payload::Form(&case.params),
        };
        let ours = verify(
            algorithm,
            &Secret::new(case.token.clone()),
            &case.url,
            payload,
            &case.signature,
        )
        .is_ok();
        if ours != case.valid {
            disagreements.push(format!(
                "{} (twilio says {}, ours {}): url={:?}",
                case.name, case.valid, ours, case.url
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "seed {seed}: {} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
