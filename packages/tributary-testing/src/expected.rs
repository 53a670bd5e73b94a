//! What a failed action is expected to fail with: a contract's typed error (compared with
//! `==` wherever it is in the error's chain, so a refusal deep in a sub-message counts), a
//! shared [`CommonError`] from any contract, or — for failures outside the contracts (the bank,
//! cw20-base, the chain) — text the error must contain.

use std::fmt::Debug;

use tributary_common::CommonError;

/// An expected failure; build one with `.into()` from a contract's `ContractError`, a
/// [`CommonError`], or a `&str`.
pub struct Expected {
    describe: String,
    matches: Box<dyn Fn(&anyhow::Error) -> bool>,
}

impl Expected {
    /// Panics unless `err` is the expected failure, printing the whole error otherwise.
    pub fn check(&self, err: &anyhow::Error) {
        assert!(
            (self.matches)(err),
            "expected the action to fail with {}, but it failed with: {err:#}",
            self.describe
        );
    }

    /// Whether `err` is the expected failure.
    pub fn matches(&self, err: &anyhow::Error) -> bool {
        (self.matches)(err)
    }

    /// The expected failure, for messages.
    pub fn describe(&self) -> &str {
        &self.describe
    }
}

impl From<&str> for Expected {
    fn from(text: &str) -> Self {
        let text = text.to_string();
        Expected {
            describe: format!("an error containing {text:?}"),
            matches: Box::new(move |err| without_api_wrapping(&format!("{err:#}")).contains(&text)),
        }
    }
}

/// The typed error of `E` in `err`: cw-multi-test keeps a contract's error as the innermost
/// error under its contexts (anyhow downcasts through them), or somewhere in the source chain.
fn find<E: std::error::Error + Send + Sync + 'static>(err: &anyhow::Error) -> Option<&E> {
    err.downcast_ref::<E>()
        .or_else(|| err.chain().find_map(|cause| cause.downcast_ref::<E>()))
}

/// The message of a contract's refusal on the wasm engine, where a contract's typed error
/// crosses the VM as its text (its `Display`, exactly as a chain returns it).
fn wasm_refusal(err: &anyhow::Error) -> Option<&str> {
    err.chain().find_map(|cause| match cause.downcast_ref() {
        Some(tributary_wasm_engine::EngineError::Contract(message)) => Some(message.as_str()),
        _ => None,
    })
}

/// In the VM, cosmwasm-std's address API wraps the host's refusal with the call's name
/// (`Generic error: addr_validate errored: Generic error: Error decoding bech32`, where the
/// native mock says `Generic error: Error decoding bech32`): the same refusal in the chain's
/// words. Dropped before comparing.
fn without_api_wrapping(message: &str) -> String {
    let mut m = message.to_string();
    for call in ["addr_validate", "addr_canonicalize", "addr_humanize"] {
        m = m.replace(&format!("Generic error: {call} errored: "), "");
    }
    m
}

/// Whether `err` is, on the wasm engine, a refusal whose message is `expected`'s (or, for an
/// error a contract wraps, contains it).
fn is_wasm_refusal(err: &anyhow::Error, expected: &dyn std::fmt::Display, exact: bool) -> bool {
    let text = expected.to_string();
    wasm_refusal(err).is_some_and(|m| {
        let m = without_api_wrapping(m);
        if exact {
            m == text
        } else {
            m.contains(&text)
        }
    })
}

/// Whether `err` is a [`CommonError`] equal to `expected`, from any contract.
fn is_common(err: &anyhow::Error, expected: &CommonError) -> bool {
    use tributary_hub::ContractError as Hub;
    use tributary_lp_strategy::ContractError as Strategy;
    use tributary_restaking_registry::ContractError as Registry;
    use tributary_restaking_vault::ContractError as Vault;
    use tributary_stableswap::ContractError as Pool;
    find::<CommonError>(err) == Some(expected)
        || is_wasm_refusal(err, expected, false)
        || matches!(find::<Hub>(err), Some(Hub::Common(c)) if c == expected)
        || matches!(find::<Vault>(err), Some(Vault::Common(c)) if c == expected)
        || matches!(find::<Registry>(err), Some(Registry::Common(c)) if c == expected)
        || matches!(find::<Pool>(err), Some(Pool::Common(c)) if c == expected)
        || matches!(find::<Strategy>(err), Some(Strategy::Common(c)) if c == expected)
}

impl From<CommonError> for Expected {
    fn from(expected: CommonError) -> Self {
        Expected {
            describe: format!("{expected:?}"),
            matches: Box::new(move |err| is_common(err, &expected)),
        }
    }
}

/// A typed error of one contract: equal to `expected` where it appears in the chain (a shared
/// error wrapped by the contract also matches the same [`CommonError`] from it).
fn typed<E>(expected: E, common: fn(&E) -> Option<&CommonError>) -> Expected
where
    E: std::error::Error + PartialEq + Debug + Send + Sync + 'static,
{
    Expected {
        describe: format!("{expected:?}"),
        matches: Box::new(move |err| match common(&expected) {
            Some(shared) => is_common(err, shared),
            None => find::<E>(err) == Some(&expected) || is_wasm_refusal(err, &expected, true),
        }),
    }
}

macro_rules! expected_from {
    ($($error:path),* $(,)?) => {$(
        impl From<$error> for Expected {
            fn from(expected: $error) -> Self {
                use $error as E;
                typed(expected, |e| match e {
                    E::Common(c) => Some(c),
                    _ => None,
                })
            }
        }
    )*};
}

/// A refusal of `tributary-core`, as the contract that wraps it returns it.
macro_rules! expected_from_core {
    ($($core:path => $contract:path, $variant:ident);* $(;)?) => {$(
        impl From<$core> for Expected {
            fn from(expected: $core) -> Self {
                Expected {
                    describe: format!("{expected:?}"),
                    matches: Box::new(move |err| {
                        use $contract as Wrapper;
                        matches!(find::<Wrapper>(err), Some(Wrapper::$variant(e)) if *e == expected)
                            || is_wasm_refusal(err, &expected, false)
                    }),
                }
            }
        }
    )*};
}

expected_from_core!(
    tributary_core::registry::RegistryError => tributary_restaking_registry::ContractError, Registry;
    tributary_core::vault::VaultError => tributary_restaking_vault::ContractError, Vault;
    tributary_core::market::RampError => tributary_stableswap::ContractError, Ramp;
);

expected_from!(
    tributary_hub::ContractError,
    tributary_restaking_vault::ContractError,
    tributary_restaking_registry::ContractError,
    tributary_stableswap::ContractError,
    tributary_lp_strategy::ContractError,
);

#[cfg(test)]
mod tests {
    use super::*;
    use tributary_hub::ContractError as Hub;
    use tributary_restaking_vault::ContractError as Vault;

    /// An error as cw-multi-test returns it: the contract's error as a message, under contexts.
    fn as_multi_test_returns(
        error: impl std::fmt::Display + Debug + Send + Sync + 'static,
    ) -> anyhow::Error {
        anyhow::Error::msg(error)
            .context("Error executing WasmMsg: inner")
            .context("Error executing WasmMsg: outer")
    }

    #[test]
    fn typed_errors_match_only_themselves() {
        let err = as_multi_test_returns(Hub::CallbackOnly {});
        assert!(Expected::from(Hub::CallbackOnly {}).matches(&err));
        assert!(!Expected::from(Hub::NothingToClaim {}).matches(&err));
        assert!(
            !Expected::from(Vault::CallbackOnly {}).matches(&err),
            "another contract's"
        );
        assert!(Expected::from("only the hub itself").matches(&err));
        assert!(!Expected::from("only the vault").matches(&err));
    }

    #[test]
    fn shared_errors_match_from_any_contract_and_by_value() {
        let paused = || CommonError::Paused {
            operation: "bond".into(),
        };
        let err = as_multi_test_returns(Hub::Common(paused()));
        assert!(Expected::from(paused()).matches(&err));
        assert!(Expected::from(Hub::Common(paused())).matches(&err));
        let other = CommonError::Paused {
            operation: "unbond".into(),
        };
        assert!(!Expected::from(other).matches(&err));
        let err = as_multi_test_returns(Vault::Common(CommonError::ZeroAmount {}));
        assert!(Expected::from(CommonError::ZeroAmount {}).matches(&err));
    }

    #[test]
    fn refusals_from_the_wasm_engine_match_by_their_message() {
        use tributary_wasm_engine::EngineError;
        let wasm = |e: &dyn std::fmt::Display| {
            anyhow::Error::new(EngineError::Contract(e.to_string()))
                .context("Error executing WasmMsg: outer")
        };
        let err = wasm(&Hub::CallbackOnly {});
        assert!(Expected::from(Hub::CallbackOnly {}).matches(&err));
        assert!(!Expected::from(Hub::NothingToClaim {}).matches(&err));
        let paused = || CommonError::Paused {
            operation: "bond".into(),
        };
        let err = wasm(&Hub::Common(paused()));
        assert!(Expected::from(paused()).matches(&err));
        assert!(!Expected::from(CommonError::ZeroAmount {}).matches(&err));
        // a typed error is never matched by the text of a different one
        let err = wasm(&"only the hub itself, and more");
        assert!(!Expected::from(Hub::CallbackOnly {}).matches(&err));
    }

    #[test]
    fn core_refusals_match_through_the_contract_that_wraps_them() {
        use tributary_core::registry::RegistryError;
        use tributary_restaking_registry::ContractError as Registry;
        let err =
            as_multi_test_returns(Registry::Registry(RegistryError::SlashNotPending { id: 3 }));
        assert!(Expected::from(RegistryError::SlashNotPending { id: 3 }).matches(&err));
        assert!(!Expected::from(RegistryError::SlashNotPending { id: 4 }).matches(&err));
    }
}
