//! The `tipline` binary: parse the command line and hand over to the library.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Deployed as the migrate Lambda (a CDK trigger runs it on every deploy).
    if std::env::var("TIPLINE_LAMBDA_MODE").is_ok_and(|mode| mode == "migrate") {
        return match tipline::commands::migrate::lambda().await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("tipline migrate lambda: {error:#}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    // Deployed as the retention Lambda (an EventBridge schedule runs it).
    if std::env::var("TIPLINE_LAMBDA_MODE").is_ok_and(|mode| mode == "retention") {
        return match tipline::commands::retention::lambda().await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("tipline retention lambda: {error:#}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let cli = tipline::args::Cli::parse();
    match tipline::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tipline: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
