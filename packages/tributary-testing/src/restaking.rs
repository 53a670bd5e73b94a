//! The restaking half of the suite: registry, vault (with its LRT) and a mock strategy, and the
//! user actions around them.

use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, to_json_binary, Addr, Uint128};
use cw_multi_test::{AppResponse, Executor};
use tributary_types::registry::{
    DelegatorResponse, ExecuteMsg as RegistryMsg, OperatorResponse, QueryMsg as RegistryQuery,
    ReceiveMsg as RegistryReceive, ServiceResponse, SlashRequestResponse,
};
use tributary_types::vault::{
    ExecuteMsg as VaultMsg, ExposureResponse, PositionResponse, QueryMsg as VaultQuery,
    ReceiveMsg as VaultReceive, VaultConfigResponse, VaultStateResponse,
};

use crate::suite::{event_attr, Suite, DENOM};

pub use tributary_deploy::{Restaking, REWARD_PERIOD};

/// Everything observable about the vault, the registry and a user, for "state unchanged" checks.
#[derive(Clone, Debug, PartialEq)]
pub struct VaultSnapshot {
    pub vault: VaultStateResponse,
    pub config: VaultConfigResponse,
    pub registry_position: DelegatorResponse,
    pub user: PositionResponse,
    pub user_lst: u128,
    pub user_native: u128,
    pub services: Vec<ServiceResponse>,
    pub operators: Vec<OperatorResponse>,
    pub slash_requests: Vec<SlashRequestResponse>,
}

impl<M> Suite<Restaking, M> {
    /// The restaking contracts' addresses.
    pub fn restaking(&self) -> Restaking {
        self.restaking.clone()
    }

    // ---- registry actions ----

    /// Executes a registry message as `user`, with optional native funds.
    pub fn registry_exec(
        &mut self,
        user: &str,
        msg: &RegistryMsg,
        native: u128,
    ) -> AnyResult<AppResponse> {
        let (sender, registry) = (self.addr(user), self.restaking().registry);
        let funds = if native > 0 {
            vec![coin(native, DENOM)]
        } else {
            vec![]
        };
        self.app.execute_contract(sender, registry, msg, &funds)
    }

    /// Registers `name` as an operator with a commission.
    pub fn register_operator(&mut self, name: &str, commission_bps: u16) {
        self.registry_exec(
            name,
            &RegistryMsg::RegisterOperator {
                name: name.to_string(),
                commission_bps,
            },
            0,
        )
        .unwrap();
    }

    /// `admin` registers a service; its resolver is "{admin}-resolver" and slashed LST goes to
    /// "{admin}-treasury". Returns the service id.
    pub fn register_service(
        &mut self,
        admin: &str,
        max_slash_bps_per_epoch: u16,
        veto_window: u64,
    ) -> u64 {
        let resolver = self.addr(&format!("{admin}-resolver")).to_string();
        let slash_destination = self.addr(&format!("{admin}-treasury")).to_string();
        let res = self
            .registry_exec(
                admin,
                &RegistryMsg::RegisterService {
                    name: admin.to_string(),
                    reward_rate_bps: 500,
                    max_slash_bps_per_epoch,
                    veto_window,
                    resolver,
                    slash_destination,
                },
                0,
            )
            .unwrap();
        event_attr(&res, "service_id").unwrap().parse().unwrap()
    }

    /// The admin of `service` approves `operator`, which opts in and allocates `bps` of its
    /// stake to it.
    pub fn serve(&mut self, operator: &str, service: u64, bps: u16) {
        self.approve_operator(service, operator).unwrap();
        self.registry_exec(operator, &RegistryMsg::OptIn { service }, 0)
            .unwrap();
        self.registry_exec(operator, &RegistryMsg::SetAllocation { service, bps }, 0)
            .unwrap();
    }

    /// The admin of `service` approves `operator` to opt in to it.
    pub fn approve_operator(&mut self, service: u64, operator: &str) -> AnyResult<AppResponse> {
        let admin = Addr::unchecked(self.service(service).admin);
        let (operator, registry) = (self.addr(operator).to_string(), self.restaking().registry);
        self.app.execute_contract(
            admin,
            registry,
            &RegistryMsg::ApproveOperator { service, operator },
            &[],
        )
    }

    /// `admin` pays `amount` native rewards to its service (minted to it first).
    pub fn pay_service_rewards(
        &mut self,
        admin: &str,
        service: u64,
        amount: u128,
    ) -> AnyResult<AppResponse> {
        self.fund(admin, amount);
        self.registry_exec(admin, &RegistryMsg::DepositRewards { service }, amount)
    }

    /// `admin` requests a slash; returns the request id.
    pub fn request_slash(
        &mut self,
        admin: &str,
        service: u64,
        operator: &str,
        fraction_bps: u16,
    ) -> AnyResult<u64> {
        let operator = self.addr(operator).to_string();
        let res = self.registry_exec(
            admin,
            &RegistryMsg::RequestSlash {
                service,
                operator,
                fraction_bps,
                reason: "double signing on the service".to_string(),
            },
            0,
        )?;
        Ok(event_attr(&res, "request_id").unwrap().parse().unwrap())
    }

    /// Anyone executes a slash request.
    pub fn execute_slash(&mut self, request_id: u64) -> AnyResult<AppResponse> {
        self.registry_exec("keeper", &RegistryMsg::ExecuteSlash { request_id }, 0)
    }

    /// Delegates `lst` LST of `user` to `operator` directly in the registry.
    pub fn registry_delegate(
        &mut self,
        user: &str,
        operator: &str,
        lst: u128,
    ) -> AnyResult<AppResponse> {
        let (sender, token, registry) =
            (self.addr(user), self.lst.clone(), self.restaking().registry);
        let operator = self.addr(operator).to_string();
        self.app.execute_contract(
            sender,
            token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: registry.to_string(),
                amount: Uint128::new(lst),
                msg: to_json_binary(&RegistryReceive::Delegate { operator }).unwrap(),
            },
            &[],
        )
    }

    // ---- vault actions ----

    /// Executes a vault message as `user`, with optional native funds.
    pub fn vault_exec(
        &mut self,
        user: &str,
        msg: &VaultMsg,
        native: u128,
    ) -> AnyResult<AppResponse> {
        let (sender, vault) = (self.addr(user), self.restaking().vault);
        let funds = if native > 0 {
            vec![coin(native, DENOM)]
        } else {
            vec![]
        };
        self.app.execute_contract(sender, vault, msg, &funds)
    }

    /// `sender` sends the vault an `UpdateConfig` that changes only the guardian and/or the
    /// rails.
    pub fn vault_update_rails(
        &mut self,
        sender: &str,
        guardian: Option<tributary_types::vault::GuardianUpdate>,
        rails: Option<tributary_types::vault::VaultRails>,
    ) -> AnyResult<AppResponse> {
        self.vault_exec(
            sender,
            &VaultMsg::UpdateConfig {
                fee_addr: None,
                withdrawal_delay: None,
                max_operator_bps: None,
                max_service_exposure_bps: None,
                guardian,
                rails,
            },
            0,
        )
    }

    /// Owner sets the vault's operator targets (names and weights).
    pub fn set_operator_targets(&mut self, targets: &[(&str, u64)]) {
        let targets = targets
            .iter()
            .map(|(name, weight)| tributary_types::vault::OperatorTarget {
                operator: self.addr(name).to_string(),
                weight: *weight,
            })
            .collect();
        self.vault_exec("owner", &VaultMsg::SetOperatorTargets { targets }, 0)
            .unwrap();
    }

    /// Owner sets a strategy's target share of the vault, bps (0 retires it).
    pub fn set_strategy(&mut self, strategy: &Addr, target_bps: u16) {
        self.vault_exec(
            "owner",
            &VaultMsg::SetStrategy {
                contract: strategy.to_string(),
                target_bps,
            },
            0,
        )
        .unwrap();
    }

    /// Deposits native into the vault (bonded through the hub).
    pub fn vault_deposit(&mut self, user: &str, native: u128) -> AnyResult<AppResponse> {
        self.vault_exec(user, &VaultMsg::Deposit { min_out: None }, native)
    }

    /// Deposits LST into the vault.
    pub fn vault_deposit_lst(
        &mut self,
        user: &str,
        lst: u128,
        min_out: Option<u128>,
    ) -> AnyResult<AppResponse> {
        let (sender, token, vault) = (self.addr(user), self.lst.clone(), self.restaking().vault);
        self.app.execute_contract(
            sender,
            token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: vault.to_string(),
                amount: Uint128::new(lst),
                msg: to_json_binary(&VaultReceive::Deposit {
                    min_out: min_out.map(Uint128::new),
                })
                .unwrap(),
            },
            &[],
        )
    }

    /// Burns `lrt` LRT into a withdrawal request.
    pub fn request_withdrawal(&mut self, user: &str, lrt: u128) -> AnyResult<AppResponse> {
        let (sender, token, vault) = (
            self.addr(user),
            self.restaking().lrt,
            self.restaking().vault,
        );
        self.app.execute_contract(
            sender,
            token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: vault.to_string(),
                amount: Uint128::new(lrt),
                msg: to_json_binary(&VaultReceive::RequestWithdrawal {}).unwrap(),
            },
            &[],
        )
    }

    /// Claims finalized withdrawals (in LST, or unbonded through the hub).
    pub fn claim_withdrawals(&mut self, user: &str, unbond: bool) -> AnyResult<AppResponse> {
        self.vault_exec(user, &VaultMsg::ClaimWithdrawals { unbond }, 0)
    }

    /// Runs the vault's crank as a keeper.
    pub fn vault_crank(&mut self) -> AnyResult<AppResponse> {
        self.vault_exec("keeper", &VaultMsg::Crank {}, 0)
    }

    // ---- queries ----

    pub fn vault_state(&self) -> VaultStateResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.restaking().vault, &VaultQuery::State {})
            .unwrap()
    }

    pub fn vault_config(&self) -> VaultConfigResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.restaking().vault, &VaultQuery::Config {})
            .unwrap()
    }

    pub fn position(&self, user: &str) -> PositionResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                self.restaking().vault,
                &VaultQuery::Position {
                    user: self.addr(user).to_string(),
                },
            )
            .unwrap()
    }

    pub fn exposure(&self) -> ExposureResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.restaking().vault, &VaultQuery::Exposure {})
            .unwrap()
    }

    pub fn registry_position(&self, delegator: &Addr) -> DelegatorResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                self.restaking().registry,
                &RegistryQuery::Delegator {
                    delegator: delegator.to_string(),
                },
            )
            .unwrap()
    }

    pub fn operator(&self, name: &str) -> OperatorResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                self.restaking().registry,
                &RegistryQuery::Operator {
                    operator: self.addr(name).to_string(),
                },
            )
            .unwrap()
    }

    pub fn service(&self, id: u64) -> ServiceResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.restaking().registry, &RegistryQuery::Service { id })
            .unwrap()
    }

    pub fn slash_request(&self, id: u64) -> SlashRequestResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                self.restaking().registry,
                &RegistryQuery::SlashRequest { id },
            )
            .unwrap()
    }

    pub fn lrt_balance(&self, user: &str) -> u128 {
        let res: cw20::BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                self.restaking().lrt,
                &cw20::Cw20QueryMsg::Balance {
                    address: self.addr(user).to_string(),
                },
            )
            .unwrap();
        res.balance.u128()
    }

    /// Everything observable about the restaking side and `user`.
    pub fn vault_snapshot(&self, user: &str) -> VaultSnapshot {
        let rs = self.restaking();
        let services: Vec<ServiceResponse> = self
            .app
            .wrap()
            .query_wasm_smart(
                &rs.registry,
                &RegistryQuery::Services {
                    start_after: None,
                    limit: Some(30),
                },
            )
            .unwrap();
        let operators: Vec<OperatorResponse> = self
            .app
            .wrap()
            .query_wasm_smart(
                &rs.registry,
                &RegistryQuery::Operators {
                    start_after: None,
                    limit: Some(30),
                },
            )
            .unwrap();
        let slash_requests: Vec<SlashRequestResponse> = self
            .app
            .wrap()
            .query_wasm_smart(
                &rs.registry,
                &RegistryQuery::SlashRequests {
                    start_after: None,
                    limit: Some(30),
                },
            )
            .unwrap();
        VaultSnapshot {
            vault: self.vault_state(),
            config: self.vault_config(),
            registry_position: self.registry_position(&rs.vault),
            user: self.position(user),
            user_lst: self.lst_balance(user),
            user_native: self.native_balance(user),
            services,
            operators,
            slash_requests,
        }
    }

    /// Asserts that `action` fails with `expected` (see [`Suite::assert_fails_unchanged`]) and
    /// that nothing
    /// observable on the restaking side (or the hub) changed.
    pub fn assert_restaking_fails_unchanged(
        &mut self,
        user: &str,
        expected: impl Into<crate::Expected>,
        action: impl FnOnce(&mut Self) -> AnyResult<AppResponse>,
    ) {
        let before = (self.vault_snapshot(user), self.snapshot(user));
        let err = action(self).expect_err("the action should have failed");
        expected.into().check(&err);
        assert_eq!(
            before,
            (self.vault_snapshot(user), self.snapshot(user)),
            "a failed action changed state"
        );
    }
}
