//! `tipline eval`: the offline analyser on a labelled file, with precision, recall,
//! false-positive rate, the confusion matrix and the misclassified tips.

use anyhow::Context;
use tipline_shared::analysis::eval::{parse_labelled, Report};
use tipline_shared::analysis::offline::training::is_held_out;
use tipline_shared::analysis::OfflineAnalyzer;

use crate::args::EvalArgs;

/// Evaluates and prints the report.
pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let contents =
        std::fs::read_to_string(&args.file).with_context(|| format!("failed to read {}", args.file.display()))?;
    let report = evaluate(&contents, args.held_out)?;
    let report = Report {
        show: args.show,
        ..report
    };
    println!(
        "{}{}",
        args.file.display(),
        if args.held_out { " (held-out split)" } else { "" }
    );
    print!("{report}");
    Ok(())
}

/// The offline analyser's report on a labelled file, optionally only its held-out split.
pub fn evaluate(contents: &str, held_out_only: bool) -> anyhow::Result<Report> {
    let cases = parse_labelled(contents)?;
    let analyzer = OfflineAnalyzer;
    let chosen = cases.iter().filter(|c| !held_out_only || is_held_out(c.key()));
    Ok(Report::measure(chosen, |tip| analyzer.analyze(tip)))
}
