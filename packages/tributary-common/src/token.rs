//! Tokens a contract creates for itself (the hub's LST, the vault's LRT, the pool's LP token),
//! instantiated with `instantiate2` so that their address is known in the same message that
//! creates them: the creator stores a plain `Addr`, with no reply handler and no window in which
//! the token does not exist yet.

use cosmwasm_std::{
    instantiate2_address, Addr, Binary, CosmosMsg, Deps, Env, StdError, StdResult, WasmMsg,
};

/// A token instantiation ready to send, and the address the token will have.
#[derive(Clone, Debug, PartialEq)]
pub struct PredictedToken {
    /// The `Instantiate2` message (admin: the creating contract itself).
    pub msg: CosmosMsg,
    /// Where the token will live.
    pub addr: Addr,
}

/// Prepares the instantiation of code `code_id` with `msg` by this contract, under `salt` (unique
/// per token the contract creates), administered by the contract itself so that no outside
/// owner can migrate it to mint.
pub fn instantiate2_token(
    deps: Deps,
    env: &Env,
    code_id: u64,
    salt: &[u8],
    msg: Binary,
    label: String,
) -> StdResult<PredictedToken> {
    let checksum = deps.querier.query_wasm_code_info(code_id)?.checksum;
    let creator = deps.api.addr_canonicalize(env.contract.address.as_str())?;
    let canonical = instantiate2_address(checksum.as_slice(), &creator, salt)
        .map_err(|e| StdError::generic_err(format!("token address: {e}")))?;
    let addr = deps.api.addr_humanize(&canonical)?;
    Ok(PredictedToken {
        msg: WasmMsg::Instantiate2 {
            admin: Some(env.contract.address.to_string()),
            code_id,
            label,
            msg,
            funds: vec![],
            salt: Binary::from(salt),
        }
        .into(),
        addr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::{mock_dependencies, mock_env};
    use cosmwasm_std::Api;
    use cosmwasm_std::{
        to_json_binary, Checksum, CodeInfoResponse, ContractResult, SystemResult, WasmQuery,
    };

    #[test]
    fn the_address_is_the_instantiate2_address_of_the_code() {
        let mut deps = mock_dependencies();
        let checksum = Checksum::generate(b"cw20 code");
        deps.querier.update_wasm(move |q| match q {
            WasmQuery::CodeInfo { code_id } => SystemResult::Ok(ContractResult::Ok(
                to_json_binary(&CodeInfoResponse::new(
                    *code_id,
                    cosmwasm_std::Addr::unchecked("uploader"),
                    checksum,
                ))
                .unwrap(),
            )),
            _ => SystemResult::Ok(ContractResult::Err("unexpected query".into())),
        });
        let env = mock_env();
        let a = instantiate2_token(
            deps.as_ref(),
            &env,
            7,
            b"lst",
            Binary::default(),
            "t".into(),
        )
        .unwrap();
        let b = instantiate2_token(deps.as_ref(), &env, 7, b"lp", Binary::default(), "t".into())
            .unwrap();
        assert_ne!(a.addr, b.addr, "each salt gives its own address");
        let creator = deps
            .api
            .addr_canonicalize(env.contract.address.as_str())
            .unwrap();
        let expected = instantiate2_address(checksum.as_slice(), &creator, b"lst").unwrap();
        assert_eq!(a.addr, deps.api.addr_humanize(&expected).unwrap());
        match a.msg {
            CosmosMsg::Wasm(WasmMsg::Instantiate2 {
                admin,
                code_id,
                salt,
                ..
            }) => {
                assert_eq!(admin, Some(env.contract.address.to_string()));
                assert_eq!(code_id, 7);
                assert_eq!(salt.as_slice(), b"lst");
            }
            other => panic!("not an instantiate2: {other:?}"),
        }
    }
}
