//! `tipline analyze`: one tip through the configured analyser, printed for a person or as JSON.

use tipline_shared::analysis::language::Lang;
use tipline_shared::analysis::reply::verdict_reply_in;
use tipline_shared::analysis::Tip;
use tipline_shared::config::Env;

use crate::args::AnalyzeArgs;
use crate::local::parts;

/// Analyses one tip and prints the verdict.
pub async fn run(args: AnalyzeArgs) -> anyhow::Result<()> {
    let analyzer = parts::analyzer(&Env)?;
    let tip = Tip {
        text: args.text,
        forwarded: args.forwarded,
        ..Tip::default()
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let analysis = analyzer.analyze(&tip, deadline).await?;
    if args.json {
        let verdict = &analysis.verdict;
        let out = serde_json::json!({
            "label": verdict.label.as_str(),
            "confidence": verdict.confidence,
            "reasons": verdict.reasons,
            "advice": verdict.advice,
            "model": analysis.model,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{}",
            verdict_reply_in(
                &analysis.verdict,
                &[],
                Lang::detect(&tip.text),
                analysis.fallback_reason.is_some()
            )
        );
        println!("\n(analysed by {} in {} ms)", analysis.model, analysis.latency_ms);
    }
    Ok(())
}
