//! Writes the pool's JSON schema to `schema/`. Run `scripts/check-schemas.sh` to regenerate
//! every contract's schema and fail if the committed copy is stale.

use cosmwasm_schema::write_api;
use tributary_types::stableswap::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

fn main() {
    write_api! {
        name: "tributary-stableswap",
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
}
