//! One way to page through a map, so every list query has the same limits: at most
//! [`MAX_LIMIT`] items per page (a query's gas stays bounded however long the list grows),
//! [`DEFAULT_LIMIT`] when the caller gives none, resuming after the last key seen.

use cosmwasm_std::{StdResult, Storage};
use cw_storage_plus::{Bound, KeyDeserialize, Map, PrimaryKey};
use serde::{de::DeserializeOwned, Serialize};

/// Items per page when a query gives no `limit`.
pub const DEFAULT_LIMIT: u32 = 10;
/// The most items one page returns, whatever `limit` asks for.
pub const MAX_LIMIT: u32 = 30;

/// The page size for a query's optional `limit`: [`DEFAULT_LIMIT`] if none, at most
/// [`MAX_LIMIT`].
pub fn page_size(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

/// One page of `map` in ascending key order, starting after `start_after`.
pub fn page<'a, K, V>(
    map: &Map<K, V>,
    storage: &dyn Storage,
    start_after: Option<K>,
    limit: Option<u32>,
) -> StdResult<Vec<(K::Output, V)>>
where
    K: PrimaryKey<'a> + KeyDeserialize,
    K::Output: 'static,
    V: Serialize + DeserializeOwned,
{
    map.range(
        storage,
        start_after.map(Bound::exclusive),
        None,
        cosmwasm_std::Order::Ascending,
    )
    .take(page_size(limit))
    .collect()
}

/// One page of `map`'s keys in ascending order, starting after `start_after`.
pub fn page_keys<'a, K, V>(
    map: &Map<K, V>,
    storage: &dyn Storage,
    start_after: Option<K>,
    limit: Option<u32>,
) -> StdResult<Vec<K::Output>>
where
    K: PrimaryKey<'a> + KeyDeserialize,
    K::Output: 'static,
    V: Serialize + DeserializeOwned,
{
    map.keys(
        storage,
        start_after.map(Bound::exclusive),
        None,
        cosmwasm_std::Order::Ascending,
    )
    .take(page_size(limit))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    const ITEMS: Map<u64, String> = Map::new("items");

    fn filled(n: u64) -> MockStorage {
        let mut storage = MockStorage::new();
        for i in 1..=n {
            ITEMS.save(&mut storage, i, &format!("item {i}")).unwrap();
        }
        storage
    }

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(page_size(None), 10);
        assert_eq!(page_size(Some(3)), 3);
        assert_eq!(page_size(Some(u32::MAX)), 30);
        let storage = filled(100);
        assert_eq!(page(&ITEMS, &storage, None, None).unwrap().len(), 10);
        assert_eq!(page(&ITEMS, &storage, None, Some(1_000)).unwrap().len(), 30);
    }

    #[test]
    fn pages_resume_after_the_last_key_and_cover_everything_once() {
        let storage = filled(25);
        let mut seen = vec![];
        let mut after = None;
        loop {
            let keys = page_keys(&ITEMS, &storage, after, Some(7)).unwrap();
            let Some(last) = keys.last().copied() else {
                break;
            };
            seen.extend(keys);
            after = Some(last);
        }
        assert_eq!(seen, (1..=25).collect::<Vec<_>>());
        let first = page(&ITEMS, &storage, Some(24), None).unwrap();
        assert_eq!(first, vec![(25, "item 25".to_string())]);
    }
}
