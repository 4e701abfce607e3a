//! Commands that stand on their own, outside the local stack.

pub mod analyze;
pub mod dlq;
pub mod eval;
pub mod migrate;
pub mod replay;
pub mod train;
