//! A setting whose changes take effect only after a delay (fees, commissions): users see a
//! change coming and can leave before it applies.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Timestamp;

/// A queued change: `value` takes effect at `effective_at`.
#[cw_serde]
pub struct DelayedChange<T> {
    /// The new value.
    pub value: T,
    /// When it takes effect.
    pub effective_at: Timestamp,
}

/// A value in force and at most one queued change to it.
#[cw_serde]
pub struct Delayed<T> {
    /// The value in force (as of the last [`Delayed::apply_due`]).
    pub current: T,
    /// The queued change, if any. Queuing again replaces it.
    pub pending: Option<DelayedChange<T>>,
}

impl<T: Clone> Delayed<T> {
    /// A value with nothing queued.
    pub fn new(current: T) -> Self {
        Delayed {
            current,
            pending: None,
        }
    }

    /// Queues `value` to take effect `delay` seconds after `now` (replacing any queued change)
    /// and returns when it applies. A zero delay still waits for the next call of
    /// [`Delayed::apply_due`] (or is read at once by [`Delayed::at`]).
    pub fn queue(&mut self, value: T, now: Timestamp, delay: u64) -> Timestamp {
        let effective_at = now.plus_seconds(delay);
        self.pending = Some(DelayedChange {
            value,
            effective_at,
        });
        effective_at
    }

    /// The value in force at `now`, counting a queued change whose time has come, without
    /// changing anything (for queries).
    pub fn at(&self, now: Timestamp) -> &T {
        match &self.pending {
            Some(p) if now >= p.effective_at => &p.value,
            _ => &self.current,
        }
    }

    /// The queued change still to come at `now` (`None` once it is due).
    pub fn upcoming(&self, now: Timestamp) -> Option<&DelayedChange<T>> {
        self.pending.as_ref().filter(|p| now < p.effective_at)
    }

    /// Makes a queued change whose time has come the value in force, and returns it (the caller
    /// may have to settle what accrued under the old value first: look at `current` before
    /// calling).
    pub fn apply_due(&mut self, now: Timestamp) -> Option<DelayedChange<T>> {
        match &self.pending {
            Some(p) if now >= p.effective_at => {
                let applied = self.pending.take()?;
                self.current = applied.value.clone();
                Some(applied)
            }
            _ => None,
        }
    }

    /// Drops the queued change, if any, and returns it.
    pub fn cancel(&mut self) -> Option<DelayedChange<T>> {
        self.pending.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: u64) -> Timestamp {
        Timestamp::from_seconds(s)
    }

    #[test]
    fn a_change_applies_only_when_due() {
        let mut fee = Delayed::new(500u16);
        assert_eq!(fee.queue(700, t(100), 50), t(150));
        assert_eq!(*fee.at(t(149)), 500);
        assert_eq!(fee.apply_due(t(149)), None);
        assert_eq!(fee.current, 500);
        assert_eq!(
            fee.upcoming(t(149)),
            Some(&DelayedChange {
                value: 700,
                effective_at: t(150)
            })
        );
        assert_eq!(*fee.at(t(150)), 700);
        assert_eq!(fee.upcoming(t(150)), None);
        assert_eq!(
            fee.apply_due(t(150)).map(|c| c.value),
            Some(700),
            "due at exactly effective_at"
        );
        assert_eq!(fee, Delayed::new(700));
        assert_eq!(fee.apply_due(t(1_000)), None, "applies once");
    }

    #[test]
    fn queuing_again_replaces_and_cancel_drops() {
        let mut fee = Delayed::new(1u16);
        fee.queue(2, t(0), 10);
        fee.queue(3, t(5), 10);
        assert_eq!(*fee.at(t(10)), 1, "the first change was replaced");
        assert_eq!(*fee.at(t(15)), 3);
        assert_eq!(fee.cancel().map(|c| c.value), Some(3));
        assert_eq!(*fee.at(t(100)), 1);
    }

    proptest! {
        /// Reading at a time never disagrees with applying at that time.
        #[test]
        fn at_matches_apply_due(now in 0u64..1_000, delay in 0u64..1_000, later in 0u64..2_000) {
            let mut d = Delayed::new(0u32);
            d.queue(1, t(now), delay);
            let read = *d.at(t(later));
            d.apply_due(t(later));
            prop_assert_eq!(read, d.current);
            prop_assert_eq!(d.pending.is_some(), later < now + delay);
        }
    }
}
