//! A client of the devnet's HTTP API.

use serde_json::{json, Value};

/// The devnet's API at `base`.
#[derive(Clone, Debug)]
pub struct Api {
    base: String,
    agent: ureq::Agent,
}

impl Api {
    pub fn new(base: &str) -> Api {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Api {
            base: base.trim_end_matches('/').to_string(),
            agent,
        }
    }

    fn handle(
        &self,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> anyhow::Result<Value> {
        let mut response = result.map_err(|e| {
            anyhow::anyhow!(
                "cannot reach the devnet at {} ({e}); is `tributary devnet` running?",
                self.base
            )
        })?;
        let status = response.status();
        let body: Value = response.body_mut().read_json().map_err(|e| {
            anyhow::anyhow!("the devnet answered {status} with an unreadable body: {e}")
        })?;
        if status.is_success() {
            Ok(body)
        } else {
            let message = body["error"].as_str().unwrap_or("unknown error");
            anyhow::bail!("{message}")
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> anyhow::Result<Value> {
        let result = self.agent.get(&format!("{}{path}", self.base)).call();
        self.handle(result)
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        let result = self
            .agent
            .post(&format!("{}{path}", self.base))
            .send_json(body);
        self.handle(result)
    }

    /// Executes a contract message as `sender`, with optional native funds (base units).
    pub fn execute(
        &self,
        sender: &str,
        contract: &str,
        msg: Value,
        native: u128,
    ) -> anyhow::Result<Value> {
        let funds = if native > 0 {
            json!([{ "denom": "ustake", "amount": native.to_string() }])
        } else {
            json!([])
        };
        self.post(
            "/tx",
            &json!({ "sender": sender, "contract": contract, "msg": msg, "funds": funds }),
        )
    }

    /// Queries a contract.
    pub fn query(&self, contract: &str, msg: Value) -> anyhow::Result<Value> {
        self.post("/query", &json!({ "contract": contract, "msg": msg }))
    }

    /// The address of a contract by name.
    pub fn contract(&self, name: &str) -> anyhow::Result<String> {
        self.get("/contracts")?[name]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("the devnet has no contract {name:?}"))
    }

    /// The address of an account by name.
    pub fn address(&self, account: &str) -> anyhow::Result<String> {
        self.get(&format!("/accounts/{account}"))?["address"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("no address for {account:?}"))
    }
}

impl tributary_keeper::Backend for Api {
    fn now(&self) -> anyhow::Result<u64> {
        self.get("/health")?["time"]
            .as_u64()
            .ok_or_else(|| anyhow::anyhow!("the devnet did not report its time"))
    }

    fn query(&self, contract: &str, msg: Value) -> anyhow::Result<Value> {
        Api::query(self, contract, msg)
    }

    fn execute(&self, contract: &str, msg: Value) -> anyhow::Result<Value> {
        Api::execute(self, tributary_keeper::KEEPER, contract, msg, 0)
    }
}
