//! Plumbing every Tributary contract shares, so it is written once: the errors every contract
//! can return (access control, pauses, bad addresses, zero amounts, bad configuration, wrong
//! tokens, fee ceilings), ownership transfer, the cw2 migration check, query pagination
//! ([`pagination`]) and tokens created at a predictable address ([`token`]). Each contract's
//! `ContractError` wraps [`CommonError`] transparently, so users see the same messages from
//! every contract.

pub mod pagination;
pub mod token;

use cosmwasm_std::{Addr, Api, DepsMut, Env, MessageInfo, Response, StdError, Storage, Uint128};
use cw_ownable::OwnershipError;
use thiserror::Error;

/// Failures every contract shares.
#[derive(Error, Debug, PartialEq)]
pub enum CommonError {
    /// The sender may not do this.
    #[error("unauthorized: {reason}")]
    Unauthorized { reason: String },

    /// The operation is paused by the owner.
    #[error("{operation} is paused")]
    Paused { operation: String },

    /// A user-supplied address is not valid on this chain.
    #[error("invalid address {address:?}: {reason}")]
    InvalidAddress { address: String, reason: String },

    /// An ownership transfer failed (expired, not proposed, ...).
    #[error("ownership: {0}")]
    Ownership(OwnershipError),

    /// An amount of zero where something must move.
    #[error("zero amount: nothing to do")]
    ZeroAmount {},

    /// A parameter is out of its allowed range.
    #[error("invalid configuration: {reason}")]
    InvalidConfig { reason: String },

    /// A cw20 token other than the one this message accepts.
    #[error("only the token {expected} is accepted here, not {got}")]
    WrongToken { expected: String, got: String },

    /// A fee above the contract's ceiling.
    #[error("fee of {fee_bps} bps is above the maximum of {max_bps} bps")]
    FeeTooHigh { fee_bps: u16, max_bps: u16 },

    /// Native funds attached to a message that takes none (they would be kept by the contract).
    #[error("this message takes no funds: {funds} attached; send it again without them")]
    UnexpectedFunds { funds: String },

    /// An amount beyond any real token supply ([`MAX_PLAUSIBLE_AMOUNT`]): a mistake (a wrong
    /// number of decimals, a placeholder) that would otherwise be stored and carried through
    /// every later computation.
    #[error("{what} of {amount} is beyond any real supply (at most {max} units)")]
    ImplausibleAmount {
        what: String,
        amount: Uint128,
        max: Uint128,
    },
}

/// The largest amount (in base units) a parameter or a payment may carry: 10^33, a quadrillion
/// tokens even at 18 decimals, far above any real supply, and five orders of magnitude below
/// `Uint128::MAX` (about 3.4 x 10^38), so sums and products of such amounts in the contracts'
/// 256-bit intermediate math stay within their widths.
pub const MAX_PLAUSIBLE_AMOUNT: Uint128 =
    Uint128::new(1_000_000_000_000_000_000_000_000_000_000_000);

/// Fails with `ImplausibleAmount` above [`MAX_PLAUSIBLE_AMOUNT`]; `what` names the amount.
pub fn ensure_plausible(what: &str, amount: Uint128) -> Result<(), CommonError> {
    if amount > MAX_PLAUSIBLE_AMOUNT {
        return Err(CommonError::ImplausibleAmount {
            what: what.to_string(),
            amount,
            max: MAX_PLAUSIBLE_AMOUNT,
        });
    }
    Ok(())
}

impl CommonError {
    /// An [`CommonError::InvalidConfig`] with this reason.
    pub fn invalid_config(reason: impl Into<String>) -> Self {
        CommonError::InvalidConfig {
            reason: reason.into(),
        }
    }
}

impl From<OwnershipError> for CommonError {
    fn from(e: OwnershipError) -> Self {
        match e {
            OwnershipError::NotOwner | OwnershipError::NoOwner => CommonError::Unauthorized {
                reason: "only the owner may do this".to_string(),
            },
            other => CommonError::Ownership(other),
        }
    }
}

/// Validates a user-supplied address with an error that names it.
pub fn validate_addr(api: &dyn Api, address: &str) -> Result<Addr, CommonError> {
    api.addr_validate(address)
        .map_err(|e| CommonError::InvalidAddress {
            address: address.to_string(),
            reason: e.to_string(),
        })
}

/// Fails with `Paused` if `paused` is set.
pub fn ensure_not_paused(paused: bool, operation: &str) -> Result<(), CommonError> {
    if paused {
        return Err(CommonError::Paused {
            operation: operation.to_string(),
        });
    }
    Ok(())
}

/// Fails with `UnexpectedFunds` if any native funds are attached: for every message that does
/// not take funds, so coins sent by mistake are refused instead of kept.
pub fn ensure_no_funds(info: &MessageInfo) -> Result<(), CommonError> {
    if info.funds.is_empty() {
        return Ok(());
    }
    let funds = info
        .funds
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Err(CommonError::UnexpectedFunds { funds })
}

/// Fails with `Unauthorized` unless `sender` is the owner.
pub fn ensure_owner(storage: &dyn Storage, sender: &Addr) -> Result<(), CommonError> {
    Ok(cw_ownable::assert_owner(storage, sender)?)
}

/// Two-step ownership transfer (cw-ownable): propose, accept, or renounce.
pub fn update_ownership(
    deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, CommonError> {
    let ownership = cw_ownable::update_ownership(deps, &env.block, &info.sender, action)?;
    Ok(Response::new()
        .add_attribute("action", "update_ownership")
        .add_attributes(ownership.into_attributes()))
}

/// The migration check: only the same contract, from an older or equal version; stores the new
/// version.
pub fn migrate(storage: &mut dyn Storage, name: &str, version: &str) -> Result<Response, StdError> {
    let from = cw2::ensure_from_older_version(storage, name, version)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from.to_string())
        .add_attribute("to_version", version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockApi;

    #[test]
    fn errors_read_well() {
        assert_eq!(
            ensure_not_paused(true, "bond").map_err(|e| e.to_string()),
            Err("bond is paused".to_string())
        );
        assert_eq!(ensure_not_paused(false, "bond"), Ok(()));
        let sender = MockApi::default().addr_make("alice");
        assert_eq!(
            ensure_no_funds(&cosmwasm_std::testing::message_info(&sender, &[])),
            Ok(())
        );
        assert_eq!(
            ensure_no_funds(&cosmwasm_std::testing::message_info(
                &sender,
                &cosmwasm_std::coins(5, "ustake")
            ))
            .map_err(|e| e.to_string()),
            Err("this message takes no funds: 5ustake attached; send it again without them".into())
        );
        let err = validate_addr(&MockApi::default(), "not an address").map_err(|e| e.to_string());
        assert!(err.is_err_and(|e| e.starts_with("invalid address \"not an address\"")));
        assert_eq!(
            CommonError::from(OwnershipError::NotOwner).to_string(),
            "unauthorized: only the owner may do this"
        );
    }

    #[test]
    fn implausible_amounts_are_refused() {
        assert_eq!(ensure_plausible("min_bond", MAX_PLAUSIBLE_AMOUNT), Ok(()));
        assert_eq!(
            ensure_plausible("min_bond", Uint128::MAX).map_err(|e| e.to_string()),
            Err(
                "min_bond of 340282366920938463463374607431768211455 is beyond any real supply \
                 (at most 1000000000000000000000000000000000 units)"
                    .into()
            )
        );
    }
}
