//! End to end: `tipline serve` as a child process, tips sent with `tipline send`, replies,
//! rows and queues checked — on embedded defaults, and on moto + Postgres.

mod embedded;
mod helpers;
mod on_call;
mod real_parts;
mod retention;
