#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use tributary_types::hub::{ConfigResponse, QueryMsg as HubQuery, ValidatorResponse};
use tributary_types::registry::{OperatorResponse, QueryMsg as RegistryQuery};
use tributary_types::vault::{QueryMsg as VaultQuery, VaultConfigResponse};

use super::*;

fn invalid(options: DeployOptions) -> String {
    match deploy(&options) {
        Err(DeployError::InvalidOptions(m)) => m,
        Err(e) => panic!("expected invalid options, got {e}"),
        Ok(_) => panic!("expected invalid options, got a chain"),
    }
}

#[test]
fn default_genesis_has_the_hub_and_its_validators_only() {
    let d = deploy(&DeployOptions::default()).unwrap();
    let validators: Vec<ValidatorResponse> = d.query(&d.hub, &HubQuery::Validators {}).unwrap();
    let names: Vec<_> = validators.iter().map(|v| v.address.as_str()).collect();
    assert_eq!(names, ["validator1", "validator2", "validator3"]);
    let config: ConfigResponse = d.query(&d.hub, &HubQuery::Config {}).unwrap();
    assert_eq!(config.lst_token, d.lst);
    assert_eq!(config.fee_bps, 1_000);
    assert!(config.instant_unstake_pool.is_none());
    assert!(d.restaking.is_none() && d.market.is_none());
    let names: Vec<_> = d.contracts().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["hub", "lst"]);
    assert_eq!(d.block().time.seconds(), GENESIS_TIME);
    // the spare validator is on the chain but not in the hub's set
    assert!(d.app.wrap().query_validator("spare1").unwrap().is_some());
}

#[test]
fn devnet_genesis_is_wired_and_seeded() {
    let d = deploy(&DeployOptions::devnet(&["alice", "bob"])).unwrap();
    let names: Vec<_> = d.contracts().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["hub", "lst", "registry", "vault", "lrt", "pool", "lp"]
    );
    assert_eq!(d.native_balance(&d.addr("alice")).unwrap(), 100_000 * TOKEN);
    assert_eq!(d.native_balance(&d.addr("carol")).unwrap(), 0);
    let (rs, market) = (d.restaking.clone().unwrap(), d.market.clone().unwrap());
    // the pool holds the seeder's liquidity and is the hub's instant-unstake route
    assert_eq!(
        d.cw20_balance(&d.lst, &market.pool).unwrap(),
        100_000 * TOKEN
    );
    assert_eq!(d.native_balance(&market.pool).unwrap(), 100_000 * TOKEN);
    assert!(d.cw20_balance(&market.lp, &d.addr(LP_SEEDER)).unwrap() > 0);
    let config: ConfigResponse = d.query(&d.hub, &HubQuery::Config {}).unwrap();
    assert_eq!(config.instant_unstake_pool, Some(market.pool.clone()));
    // operators registered and serving; the vault targets both
    let a: OperatorResponse = d
        .query(
            &rs.registry,
            &RegistryQuery::Operator {
                operator: d.addr("operator-a").to_string(),
            },
        )
        .unwrap();
    assert_eq!(a.commission_bps.current, 1_000);
    assert_eq!(a.allocations.len(), 2);
    let vault: VaultConfigResponse = d.query(&rs.vault, &VaultQuery::Config {}).unwrap();
    assert_eq!(vault.lrt_token, rs.lrt.as_str());
}

#[test]
fn genesis_is_deterministic() {
    let a = deploy(&DeployOptions::devnet(&["alice"])).unwrap();
    let b = deploy(&DeployOptions::devnet(&["alice"])).unwrap();
    assert_eq!(a.contracts(), b.contracts());
    assert_eq!(a.block(), b.block());
}

#[test]
fn bad_options_are_refused_before_anything_is_built() {
    let no_validators = invalid(DeployOptions {
        validators: vec![],
        ..DeployOptions::default()
    });
    assert!(no_validators.contains("at least one validator"));
    let mut zero_weight = DeployOptions::default();
    zero_weight.validators.iter_mut().for_each(|v| v.weight = 0);
    assert!(invalid(zero_weight).contains("total weight"));
    let mut duplicate = DeployOptions::default();
    duplicate.validators[1].name = "validator1".to_string();
    assert!(invalid(duplicate).contains("unique"));
    let spare_clash = DeployOptions {
        spare_validators: vec![("validator2".to_string(), Decimal::zero())],
        ..DeployOptions::default()
    };
    assert!(invalid(spare_clash).contains("unique"));
    assert!(invalid(DeployOptions {
        batch_interval: 0,
        ..DeployOptions::default()
    })
    .contains("batch interval"));
    assert!(invalid(DeployOptions {
        epoch_period: 0,
        ..DeployOptions::default()
    })
    .contains("epoch period"));
    let mut without_restaking = DeployOptions::devnet(&[]);
    without_restaking.with_restaking = false;
    assert!(invalid(without_restaking).contains("with_restaking"));
    let mut unknown_service = DeployOptions::devnet(&[]);
    unknown_service.allocations[0].service = 3;
    assert!(invalid(unknown_service).contains("service 3"));
}

#[test]
fn a_step_the_chain_refuses_is_an_error_naming_the_step() {
    let err = deploy(&DeployOptions {
        fee_bps: 9_000,
        ..DeployOptions::default()
    })
    .err()
    .unwrap();
    let DeployError::Step { step, message } = &err else {
        panic!("expected a failed step, got {err}");
    };
    assert_eq!(step, "instantiate the hub");
    assert!(message.contains("fee of 9000 bps"), "{message}");

    // an allocation above the operator's whole stake is refused by the registry
    let mut over = DeployOptions::devnet(&[]);
    over.allocations[0].bps = 10_001;
    let err = deploy(&over).err().unwrap();
    assert!(
        matches!(&err, DeployError::Step { step, .. } if step.contains("operator-a serves service 1")),
        "{err}"
    );
}

#[test]
fn time_and_funds_move_on_request() {
    let mut d = deploy(&DeployOptions::default()).unwrap();
    d.advance_time(DAY);
    assert_eq!(d.block().time.seconds(), GENESIS_TIME + DAY);
    assert_eq!(d.block().height, 1 + DAY / BLOCK_SECONDS);
    d.fund("dave", 42).unwrap();
    assert_eq!(d.native_balance(&d.addr("dave")).unwrap(), 42);
    assert!(d.slash_validator("nobody", Decimal::percent(1)).is_err());
}
