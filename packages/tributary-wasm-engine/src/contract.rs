//! [`WasmContract`]: cw-multi-test's `Contract` backed by the CosmWasm VM, metered as wasmd
//! meters a call.

use std::sync::Arc;

use anyhow::Result as AnyResult;
use cosmwasm_std::{
    Binary, ContractResult, Deps, DepsMut, Empty, Env, MessageInfo, Reply, Response,
};
use cosmwasm_vm::{
    call_execute_raw, call_instantiate_raw, call_migrate_raw, call_query_raw, call_reply_raw,
    call_sudo_raw, from_slice, to_vec, VmResult,
};
use cw_multi_test::Contract;

use crate::bridge::{self, BridgeInstance, Host, HostStorage};
use crate::gas::{self, with_meter, DESERIALIZATION_COST_PER_BYTE, GAS_MULTIPLIER};
use crate::{EngineError, WasmCode};

/// The largest contract result the engine reads (cosmwasm-vm's own limit for execute results).
const RESULT_LIMIT: usize = 64 * 1024 * 1024;

/// A contract whose code is a built artifact, run in the CosmWasm VM. Store it in an App with
/// `app.store_code(Box::new(WasmContract::load("tributary_hub")?))`.
#[derive(Clone, Debug)]
pub struct WasmContract {
    code: Arc<WasmCode>,
}

impl WasmContract {
    /// The artifact `name` (without `.wasm`) from [`crate::artifacts_dir`], compiled once per
    /// process.
    pub fn load(name: &str) -> Result<Self, EngineError> {
        Ok(WasmContract {
            code: crate::code::load(name)?,
        })
    }

    /// Its code.
    pub fn code(&self) -> &WasmCode {
        &self.code
    }

    fn out_of_gas() -> EngineError {
        with_meter(|m| EngineError::OutOfGas {
            used: m.report.gas_used,
            limit: m.report.gas_limit,
        })
    }

    /// Runs one entry point: charges the instance, runs the VM on the bridge, charges its VM and
    /// storage gas and the result's deserialization, and fails if the limit is passed.
    fn call(
        &self,
        host: Host<'_>,
        reply: bool,
        readonly: bool,
        entry: impl FnOnce(&mut BridgeInstance) -> VmResult<Vec<u8>> + Send,
    ) -> Result<Vec<u8>, EngineError> {
        if with_meter(|m| m.exhausted()) {
            return Err(Self::out_of_gas());
        }
        let over = with_meter(|m| {
            m.charge_instance(self.code.checksum, reply);
            m.check()
        });
        if over {
            return Err(Self::out_of_gas());
        }
        let vm_limit = with_meter(|m| m.remaining()).saturating_mul(GAS_MULTIPLIER);
        let outcome = bridge::run(&self.code, vm_limit, readonly, host, entry)
            .map_err(EngineError::Bridge)?;
        let vm_sdk = outcome.vm_gas / GAS_MULTIPLIER;
        with_meter(|m| {
            m.report.vm_gas += outcome.vm_gas;
            m.report.vm_sdk_gas += vm_sdk;
            m.report.kv.add(&outcome.kv);
            m.charge(vm_sdk + outcome.kv.gas);
        });
        let data = match outcome.result {
            Ok(data) => data,
            Err(e) if bridge::is_out_of_gas(&e) => {
                with_meter(|m| m.mark_out_of_gas());
                return Err(Self::out_of_gas());
            }
            Err(e) => {
                return Err(EngineError::Vm(format!("{}: {e}", self.code.name)));
            }
        };
        charge_or_fail(
            DESERIALIZATION_COST_PER_BYTE * data.len() as u64,
            |r, cost| r.deserialization_gas += cost,
        )?;
        Ok(data)
    }

    fn response(&self, data: &[u8]) -> Result<Response, EngineError> {
        let result: ContractResult<Response<Empty>> = from_slice(data, RESULT_LIMIT)
            .map_err(|e| EngineError::Vm(format!("{}: unreadable result: {e}", self.code.name)))?;
        match result {
            ContractResult::Ok(response) => {
                let cost = gas::event_cost(&response.attributes, &response.events);
                charge_or_fail(cost, |r, cost| r.event_gas += cost)?;
                Ok(response)
            }
            ContractResult::Err(message) => Err(EngineError::Contract(message)),
        }
    }

    fn run_mut(
        &self,
        deps: DepsMut,
        reply: bool,
        entry: impl FnOnce(&mut BridgeInstance) -> VmResult<Vec<u8>> + Send,
    ) -> AnyResult<Response> {
        let host = Host {
            storage: HostStorage::Mut(deps.storage),
            api: deps.api,
            querier: &*deps.querier,
        };
        let data = self.call(host, reply, false, entry)?;
        Ok(self.response(&data)?)
    }
}

/// Charges `cost`, books it in the report with `book`, and fails if the limit is passed.
fn charge_or_fail(
    cost: u64,
    book: impl FnOnce(&mut gas::GasReport, u64),
) -> Result<(), EngineError> {
    let over = with_meter(|m| {
        book(&mut m.report, cost);
        m.charge(cost);
        m.check()
    });
    if over {
        return Err(WasmContract::out_of_gas());
    }
    Ok(())
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, EngineError> {
    to_vec(value).map_err(|e| EngineError::Vm(format!("cannot encode for the VM: {e}")))
}

impl Contract<Empty, Empty> for WasmContract {
    fn instantiate(
        &self,
        deps: DepsMut,
        env: Env,
        info: MessageInfo,
        msg: Vec<u8>,
    ) -> AnyResult<Response> {
        let (env, info) = (encode(&env)?, encode(&info)?);
        self.run_mut(deps, false, move |i| {
            call_instantiate_raw(i, &env, &info, &msg)
        })
    }

    fn execute(
        &self,
        deps: DepsMut,
        env: Env,
        info: MessageInfo,
        msg: Vec<u8>,
    ) -> AnyResult<Response> {
        let (env, info) = (encode(&env)?, encode(&info)?);
        self.run_mut(deps, false, move |i| call_execute_raw(i, &env, &info, &msg))
    }

    fn query(&self, deps: Deps, env: Env, msg: Vec<u8>) -> AnyResult<Binary> {
        let env = encode(&env)?;
        let host = Host {
            storage: HostStorage::Ref(deps.storage),
            api: deps.api,
            querier: &*deps.querier,
        };
        let data = self.call(host, false, true, move |i| call_query_raw(i, &env, &msg))?;
        let result: ContractResult<Binary> = from_slice(&data, RESULT_LIMIT)
            .map_err(|e| EngineError::Vm(format!("{}: unreadable result: {e}", self.code.name)))?;
        match result {
            ContractResult::Ok(binary) => Ok(binary),
            ContractResult::Err(message) => Err(EngineError::Contract(message).into()),
        }
    }

    fn reply(&self, deps: DepsMut, env: Env, msg: Reply) -> AnyResult<Response> {
        let (env, msg) = (encode(&env)?, encode(&msg)?);
        self.run_mut(deps, true, move |i| call_reply_raw(i, &env, &msg))
    }

    fn sudo(&self, deps: DepsMut, env: Env, msg: Vec<u8>) -> AnyResult<Response> {
        let env = encode(&env)?;
        self.run_mut(deps, false, move |i| call_sudo_raw(i, &env, &msg))
    }

    fn migrate(&self, deps: DepsMut, env: Env, msg: Vec<u8>) -> AnyResult<Response> {
        let env = encode(&env)?;
        self.run_mut(deps, false, move |i| call_migrate_raw(i, &env, &msg))
    }
}
