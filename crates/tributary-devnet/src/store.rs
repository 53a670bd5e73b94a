//! The durable operation log, in an embedded redb database: one table, sequence number to the
//! operation's JSON. Every append is its own committed write transaction (redb commits are
//! durable by default), so an acknowledged operation survives a crash.

use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

use crate::chain::Op;

const OPS: TableDefinition<u64, &[u8]> = TableDefinition::new("ops");

/// The operation log.
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens or creates the log at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let db = Database::create(path)?;
        let txn = db.begin_write()?;
        txn.open_table(OPS)?;
        txn.commit()?;
        Ok(Store { db })
    }

    /// Appends `op` durably and returns its sequence number (from 1).
    pub fn append(&self, op: &Op) -> anyhow::Result<u64> {
        let bytes = serde_json::to_vec(op)?;
        let txn = self.db.begin_write()?;
        let seq = {
            let mut table = txn.open_table(OPS)?;
            let next = table.last()?.map(|(k, _)| k.value() + 1).unwrap_or(1);
            table.insert(next, bytes.as_slice())?;
            next
        };
        txn.commit()?;
        Ok(seq)
    }

    /// Every operation, in order.
    pub fn load(&self) -> anyhow::Result<Vec<(u64, Op)>> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(OPS)?;
        table
            .iter()?
            .map(|item| {
                let (k, v) = item?;
                Ok((k.value(), serde_json::from_slice(v.value())?))
            })
            .collect()
    }

    /// Number of operations.
    pub fn len(&self) -> anyhow::Result<u64> {
        let txn = self.db.begin_read()?;
        Ok(txn.open_table(OPS)?.len()?)
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> anyhow::Result<bool> {
        Ok(self.len()? == 0)
    }
}
