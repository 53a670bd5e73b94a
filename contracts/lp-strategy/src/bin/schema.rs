//! Writes the LP strategy's JSON schema to `schema/`.

use cosmwasm_schema::write_api;
use tributary_types::strategy::{LpStrategyExecuteMsg, LpStrategyInstantiateMsg, StrategyQueryMsg};

fn main() {
    write_api! {
        name: "tributary-lp-strategy",
        instantiate: LpStrategyInstantiateMsg,
        execute: LpStrategyExecuteMsg,
        query: StrategyQueryMsg,
    }
}
