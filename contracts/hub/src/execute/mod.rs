//! One module per action.

pub mod admin;
pub mod bond;
pub mod claim;
pub mod crank;
pub mod instantiate;
pub mod unbond;
pub mod validators;

pub(crate) use tributary_common::{ensure_not_paused, ensure_owner, validate_addr};
