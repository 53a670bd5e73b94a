//! The in-process devnet as a [`tributary_client::Chain`]: the same operations as the HTTP API,
//! run on the chain's thread and logged, so the keeper and the CLI drive an in-process devnet
//! and a remote one with the same code.

use cosmwasm_std::{Coin, Decimal, Uint128};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tributary_client::{
    decode, encode, Balances, Block, Chain, ClientError, ClientResult, Delegation, StakingResponse,
    TxResponse,
};

use crate::{ChainError, Devnet, Op};

impl From<ChainError> for ClientError {
    fn from(e: ChainError) -> Self {
        let status = match &e {
            ChainError::BadRequest(_) => 400,
            ChainError::NotFound(_) => 404,
            ChainError::Rejected(_) => 422,
            ChainError::Unavailable(_) => 503,
        };
        ClientError::Refused {
            status,
            message: e.to_string(),
        }
    }
}

impl Devnet {
    /// Applies and logs `op` from outside async code; its result as `R`.
    fn submit_as<R: DeserializeOwned>(&self, op: Op) -> ClientResult<R> {
        decode(self.call_blocking(move |w| w.submit(op))??)
    }

    /// Reads the chain on its thread.
    fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&crate::Chain) -> Result<T, ChainError> + Send + 'static,
    ) -> ClientResult<T> {
        Ok(self.call_blocking(move |w| f(w.chain()))??)
    }
}

impl Chain for Devnet {
    fn execute<M: Serialize + ?Sized>(
        &self,
        sender: &str,
        contract: &str,
        msg: &M,
        funds: &[Coin],
    ) -> ClientResult<TxResponse> {
        self.submit_as(Op::Execute {
            sender: sender.to_string(),
            contract: contract.to_string(),
            msg: encode(msg)?,
            funds: funds.to_vec(),
        })
    }

    fn query<Q: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> ClientResult<R> {
        let (contract, msg) = (contract.to_string(), encode(msg)?);
        decode(self.read(move |c| c.query(&contract, &msg))?)
    }

    fn block(&self) -> ClientResult<Block> {
        self.read(|c| {
            let b = c.block();
            Ok(Block {
                height: b.height,
                time: b.time.seconds(),
            })
        })
    }

    fn advance_time(&self, seconds: u64) -> ClientResult<Block> {
        self.submit_as(Op::Advance { seconds })
    }

    fn balances(&self, account: &str) -> ClientResult<Balances> {
        let account = account.to_string();
        self.read(move |c| c.balances(&account))
    }

    fn contract_address(&self, name: &str) -> ClientResult<String> {
        let name = name.to_string();
        self.read(move |c| c.contract(&name).map(|a| a.to_string()))
    }

    fn delegate(
        &self,
        sender: &str,
        validator: &str,
        amount: u128,
    ) -> ClientResult<StakingResponse> {
        self.submit_as(Op::Delegate {
            sender: sender.to_string(),
            validator: validator.to_string(),
            amount: Uint128::new(amount),
        })
    }

    fn undelegate(
        &self,
        sender: &str,
        validator: &str,
        amount: u128,
    ) -> ClientResult<StakingResponse> {
        self.submit_as(Op::Undelegate {
            sender: sender.to_string(),
            validator: validator.to_string(),
            amount: Uint128::new(amount),
        })
    }

    fn withdraw_rewards(&self, sender: &str, validator: &str) -> ClientResult<StakingResponse> {
        self.submit_as(Op::WithdrawRewards {
            sender: sender.to_string(),
            validator: validator.to_string(),
        })
    }

    fn delegation(&self, account: &str, validator: &str) -> ClientResult<Delegation> {
        let (account, validator) = (account.to_string(), validator.to_string());
        let (amount, rewards) = self.read(move |c| c.direct_delegation(&account, &validator))?;
        Ok(Delegation {
            amount: Uint128::new(amount),
            rewards: Uint128::new(rewards),
        })
    }

    fn fund(&self, account: &str, amount: u128) -> ClientResult<()> {
        self.submit_as::<serde_json::Value>(Op::Fund {
            account: account.to_string(),
            amount: Uint128::new(amount),
        })
        .map(|_| ())
    }

    fn slash_validator(&self, validator: &str, fraction: Decimal) -> ClientResult<()> {
        self.submit_as::<serde_json::Value>(Op::SlashValidator {
            validator: validator.to_string(),
            fraction,
        })
        .map(|_| ())
    }
}
