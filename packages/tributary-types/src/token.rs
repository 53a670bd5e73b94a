//! The cw20-base token (LST, LRT, LP) a Tributary contract instantiates as minter: its
//! instantiate message. Contracts create it with `instantiate2`
//! (`tributary_common::token::instantiate2_token`), so its address is known without a reply.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_binary, Binary, StdResult};
use cw20::MinterResponse;

/// Parameters of a token a contract instantiates (a cw20-base contract, minter = that contract).
#[cw_serde]
pub struct TokenInfo {
    /// Code id of the uploaded cw20-base contract.
    pub code_id: u64,
    /// Token name, for example "Tributary Staked ATOM".
    pub name: String,
    /// Token symbol (3–12 characters, letters and `-`), for example "tATOM".
    pub symbol: String,
    /// Decimals to display; should equal the underlying token's.
    pub decimals: u8,
}

/// cw20-base's instantiate message (the fields of `cw20_base::msg::InstantiateMsg`).
#[cw_serde]
struct Cw20Instantiate {
    name: String,
    symbol: String,
    decimals: u8,
    initial_balances: Vec<cw20::Cw20Coin>,
    mint: Option<MinterResponse>,
    marketing: Option<cosmwasm_std::Empty>,
}

/// The instantiate message of a token with no initial balances whose only minter is `minter`.
pub fn instantiate_msg(token: &TokenInfo, minter: &str) -> StdResult<Binary> {
    to_json_binary(&Cw20Instantiate {
        name: token.name.clone(),
        symbol: token.symbol.clone(),
        decimals: token.decimals,
        initial_balances: vec![],
        mint: Some(MinterResponse {
            minter: minter.to_string(),
            cap: None,
        }),
        marketing: None,
    })
}
