//! `docs/gas.md` is written by the gas bench (`--bin gas`); this test regenerates its slice at
//! one validator — every action, on the wasm engine — and fails if the committed figures are
//! off by more than 2 %: a change that moves gas must come with a regenerated report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tributary_testing::gasbench::actions;

/// The first figure documented for `action` (the first table: by validator-set size, whose
/// first column is one validator).
fn documented(doc: &str, action: &str) -> Option<u64> {
    let prefix = format!("| {action} |");
    let line = doc.lines().find(|l| l.starts_with(&prefix))?;
    let cell = line[prefix.len()..].split('|').next()?;
    cell.trim().replace(',', "").parse().ok()
}

#[test]
fn the_gas_report_matches_the_contracts() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/gas.md"))
        .expect(
            "docs/gas.md: generate it with `cargo run --release -p tributary-testing --bin gas`",
        );
    let measured = actions(1).unwrap();
    assert!(measured.len() >= 20, "every action is measured");
    let mut stale = Vec::new();
    for m in &measured {
        let Some(doc_gas) = documented(&doc, m.action) else {
            stale.push(format!("{}: not in docs/gas.md", m.action));
            continue;
        };
        let now = m.gas.gas_used;
        if now.abs_diff(doc_gas) * 50 > doc_gas {
            stale.push(format!(
                "{}: documented {doc_gas}, measured {now}",
                m.action
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/gas.md is stale; regenerate it (cargo run --release -p tributary-testing --bin gas):\n{}",
        stale.join("\n")
    );
}
