//! Commands that stand on their own, outside the local stack.

pub mod analyze;
pub mod block;
pub mod dlq;
pub mod eval;
pub mod export_sender;
pub mod migrate;
pub mod replay;
pub mod retention;
pub mod train;
