//! The `tipline` binary: parse the command line and hand over to the library.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = tipline::args::Cli::parse();
    match tipline::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tipline: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
