//! The devnet's HTTP client now lives in `tributary-client` (as [`tributary_client::DevnetApi`],
//! a [`tributary_client::Chain`]); re-exported here under its old name.

pub use tributary_client::DevnetApi as Api;
