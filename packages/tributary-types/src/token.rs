//! The cw20-base token (LST, LRT, LP) a Tributary contract instantiates as minter: its
//! instantiate message, and reading its address from the instantiation reply.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_binary, Binary, Reply, StdError, StdResult};
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

/// The validated address of the token created by the instantiation sub-message `expected_id`.
pub fn instantiated_token(
    api: &dyn cosmwasm_std::Api,
    reply: Reply,
    expected_id: u64,
) -> StdResult<cosmwasm_std::Addr> {
    if reply.id != expected_id {
        return Err(StdError::generic_err(format!(
            "unknown reply id {}",
            reply.id
        )));
    }
    api.addr_validate(&instantiated_address(reply)?)
}

/// The address of the contract created by an instantiation sub-message, from its reply.
pub fn instantiated_address(reply: Reply) -> StdResult<String> {
    let response = reply
        .result
        .into_result()
        .map_err(|e| StdError::generic_err(format!("token instantiation failed: {e}")))?;
    response
        .events
        .iter()
        .filter(|e| e.ty == "instantiate")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == "_contract_address")
        .map(|a| a.value.clone())
        .ok_or_else(|| StdError::generic_err("token instantiation returned no contract address"))
}
