//! The local stack: the whole pipeline on one machine, with embedded defaults.

pub mod messenger;
pub mod parts;
pub mod send;
pub mod serve;
pub mod server;
pub mod session;
