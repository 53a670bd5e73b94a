use cosmwasm_std::StdError;
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_common::CommonError;
use tributary_core::registry::RegistryError;
use tributary_math::MathError;

/// Every way a registry message can fail. A failed message changes nothing.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("payment error: {0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Math(#[from] MathError),

    #[error(transparent)]
    Common(#[from] CommonError),

    /// A state transition of `tributary_core::registry` refused (slashing, allocation,
    /// rewards, delegation bounds).
    #[error(transparent)]
    Registry(RegistryError),

    #[error("{address} is already a registered operator")]
    OperatorExists { address: String },

    #[error("{address} is not a registered operator")]
    OperatorNotFound { address: String },

    #[error("service {id} does not exist")]
    ServiceNotFound { id: u64 },

    #[error("operator is not approved by the admin of service {service}; it must approve the operator first")]
    OperatorNotApproved { service: u64 },

    #[error("a delegator may hold positions with at most {max} operators; withdraw from one and claim its rewards first")]
    TooManyPositions { max: u32 },

    #[error("operator is already opted in to service {service}")]
    AlreadyOptedIn { service: u64 },

    #[error("operator is not opted in to service {service}")]
    NotOptedIn { service: u64 },

    #[error("operator {operator} has no stake slashable by service {service}")]
    NotSlashable { operator: String, service: u64 },

    #[error("slash request {id} does not exist")]
    SlashRequestNotFound { id: u64 },

    #[error("no delegation to operator {operator}")]
    NoDelegation { operator: String },

    #[error("nothing to complete yet")]
    NothingToComplete {},

    #[error(
        "your due undelegations are held until the slash requests pending against their \
         operator are resolved (executed or vetoed)"
    )]
    HeldBySlash {},

    #[error(
        "slash requests are pending against {operator}: new delegations to it wait until they \
         are resolved"
    )]
    SlashPending { operator: String },

    #[error("nothing to claim")]
    NothingToClaim {},
}

impl From<RegistryError> for ContractError {
    /// Core's refusals, with the ones every contract shares reported as the common errors.
    fn from(error: RegistryError) -> Self {
        match error {
            RegistryError::ZeroAmount {} => CommonError::ZeroAmount {}.into(),
            RegistryError::Math(math) => ContractError::Math(math),
            other => ContractError::Registry(other),
        }
    }
}

tributary_math::impl_from_math_errors!(ContractError);
