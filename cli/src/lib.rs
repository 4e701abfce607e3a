//! The `tipline` command's logic: the local stack, test tips, migrations, on-call tools.

pub mod args;
pub mod bench;
pub mod commands;
pub mod local;

use args::{Cli, Command};

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => local::serve::run(args).await,
        Command::Send(args) => local::send::run(args).await,
        Command::Analyze(args) => commands::analyze::run(args).await,
        Command::Eval(args) => commands::eval::run(args),
        Command::Train(args) => commands::train::run(args),
        Command::Migrate => commands::migrate::run().await,
        Command::Dlq(command) => commands::dlq::run(command).await,
        Command::Replay { message_sid } => commands::replay::run(&message_sid).await,
        Command::ExportSender { sender } => commands::export_sender::run(&sender).await,
        Command::Retention { dry_run } => commands::retention::run(dry_run).await,
        Command::Block(command) => commands::block::run(command).await,
        Command::Bench(args) => bench::run(args).await,
    }
}
