//! `tipline train`: retrains the offline analyser's text model from the data in the
//! repository and writes the model file with its provenance beside it.

use anyhow::Context;
use tipline_shared::analysis::offline::training::{train_on, TrainConfig};

use crate::args::TrainArgs;

/// Trains and writes `<out>` and `<out>.provenance.json`.
pub fn run(args: TrainArgs) -> anyhow::Result<()> {
    let uci = std::fs::read_to_string(&args.uci).with_context(|| format!("failed to read {}", args.uci.display()))?;
    let project =
        std::fs::read_to_string(&args.project).with_context(|| format!("failed to read {}", args.project.display()))?;
    let config = TrainConfig {
        seed: args.seed,
        ..TrainConfig::default()
    };
    let trained = train_on(&uci, &project, &config)?;
    std::fs::write(&args.out, trained.model.as_bytes())
        .with_context(|| format!("failed to write {}", args.out.display()))?;
    let provenance_path = args.out.with_extension("provenance.json");
    let mut provenance = serde_json::to_string_pretty(&trained.provenance)?;
    provenance.push('\n');
    std::fs::write(&provenance_path, provenance)
        .with_context(|| format!("failed to write {}", provenance_path.display()))?;
    println!(
        "wrote {} ({} bytes) and {}",
        args.out.display(),
        trained.model.as_bytes().len(),
        provenance_path.display()
    );
    println!(
        "held-out, model alone: {}",
        serde_json::to_string(&trained.provenance["held_out_metrics_model_alone"])?
    );
    Ok(())
}
