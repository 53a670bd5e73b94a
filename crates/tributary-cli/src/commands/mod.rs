//! One module per group of subcommands.

pub mod compare;
pub mod devnet;
pub mod info;
pub mod operator;
pub mod simulate;
pub mod user;
