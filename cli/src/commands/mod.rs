//! Commands that stand on their own, outside the local stack.

pub mod analyze;
pub mod migrate;
