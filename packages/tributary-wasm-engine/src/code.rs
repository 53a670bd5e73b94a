//! Contract code: loaded from the artifacts directory, checked as wasmd checks an upload, and
//! compiled once per process (every later instance reuses the compiled module).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use cosmwasm_std::Checksum;
use cosmwasm_vm::internals::{check_wasm, compile_module, Logger};
use cosmwasm_vm::{capabilities_from_csv, Size, WasmLimits};
use wasmer::{Engine, Module};

use crate::EngineError;

/// The capabilities a wasmd chain offers by default (`x/wasm/keeper/capabilities.go`
/// `BuiltInCapabilities`); a contract requiring anything else is refused at upload.
pub const CAPABILITIES: &str = "iterator,staking,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1,cosmwasm_2_2";

/// wasmd's memory limit for one contract instance (`keeper.go` `contractMemoryLimit`, 32 MiB).
pub const INSTANCE_MEMORY_LIMIT: Size = Size::mebi(32);

/// Where the built artifacts are: `TRIBUTARY_ARTIFACTS` if set, else the workspace's
/// `artifacts/` (where `scripts/build-wasm.sh` writes them).
pub fn artifacts_dir() -> PathBuf {
    match std::env::var_os("TRIBUTARY_ARTIFACTS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../artifacts")),
    }
}

/// One contract's code, compiled.
pub struct WasmCode {
    /// The artifact's name without `.wasm` (`tributary_hub`).
    pub name: String,
    /// sha256 of the wasm, as the chain identifies code.
    pub checksum: Checksum,
    /// Size of the wasm in bytes.
    pub size: usize,
    pub(crate) module: Module,
    pub(crate) engine: Engine,
}

impl std::fmt::Debug for WasmCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmCode")
            .field("name", &self.name)
            .field("checksum", &self.checksum.to_hex())
            .field("size", &self.size)
            .finish()
    }
}

/// Runs the checks wasmd runs on an upload (what `cosmwasm-check` runs): the static checks of
/// the module (exports, imports, capabilities, limits) and a compilation.
pub fn check(wasm: &[u8]) -> Result<(), EngineError> {
    let caps: HashSet<String> = capabilities_from_csv(CAPABILITIES);
    check_wasm(wasm, &caps, &WasmLimits::default(), Logger::Off)
        .map_err(|e| EngineError::Code(format!("static checks: {e}")))?;
    compile_module(wasm, Some(INSTANCE_MEMORY_LIMIT))
        .map_err(|e| EngineError::Code(format!("compilation: {e}")))?;
    Ok(())
}

fn compile(name: &str, wasm: &[u8]) -> Result<WasmCode, EngineError> {
    let caps: HashSet<String> = capabilities_from_csv(CAPABILITIES);
    check_wasm(wasm, &caps, &WasmLimits::default(), Logger::Off)
        .map_err(|e| EngineError::Code(format!("{name}: static checks: {e}")))?;
    let (module, engine) = compile_module(wasm, Some(INSTANCE_MEMORY_LIMIT))
        .map_err(|e| EngineError::Code(format!("{name}: compilation: {e}")))?;
    Ok(WasmCode {
        name: name.to_string(),
        checksum: Checksum::generate(wasm),
        size: wasm.len(),
        module,
        engine,
    })
}

type Codes = Mutex<HashMap<PathBuf, Arc<WasmCode>>>;

fn codes() -> &'static Codes {
    static CODES: OnceLock<Codes> = OnceLock::new();
    CODES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The code of artifact `name` (`tributary_hub` for `artifacts/tributary_hub.wasm`), compiled
/// the first time it is asked for in this process and shared afterwards.
pub fn load(name: &str) -> Result<Arc<WasmCode>, EngineError> {
    let path = artifacts_dir().join(format!("{name}.wasm"));
    // held while compiling, so concurrent tests compile each code once
    let mut codes = codes()
        .lock()
        .map_err(|_| EngineError::Code("the code cache was poisoned by a panic".into()))?;
    if let Some(code) = codes.get(&path) {
        return Ok(code.clone());
    }
    let wasm = std::fs::read(&path).map_err(|e| {
        EngineError::Code(format!(
            "cannot read {}: {e} (build the contracts with scripts/build-wasm.sh, or point \
             TRIBUTARY_ARTIFACTS at them)",
            path.display()
        ))
    })?;
    let code = Arc::new(compile(name, &wasm)?);
    codes.insert(path, code.clone());
    Ok(code)
}
