//! Guard tests as tables: named failure cases run in order on one suite, each asserting the
//! typed failure ([`Expected`]) and that nothing observable changed, naming the case when it
//! does not hold.

use std::fmt::Debug;

use anyhow::Result as AnyResult;
use cw_multi_test::AppResponse;

use crate::Expected;

/// What a case does to the suite: a message or other action, as it would be sent.
pub type Action<S> = Box<dyn Fn(&mut S) -> AnyResult<AppResponse>>;

/// A failure case: its name, who sends it, what it fails with and the action.
pub struct Case<S> {
    /// Shown when the case does not hold.
    pub name: &'static str,
    /// The account whose view must not change.
    pub sender: &'static str,
    /// The failure it must end in.
    pub expected: Expected,
    /// What it does.
    pub action: Action<S>,
}

/// A failure case (see [`Case`]).
pub fn case<S>(
    name: &'static str,
    sender: &'static str,
    expected: impl Into<Expected>,
    action: impl Fn(&mut S) -> AnyResult<AppResponse> + 'static,
) -> Case<S> {
    Case {
        name,
        sender,
        expected: expected.into(),
        action: Box::new(action),
    }
}

/// Runs `cases` in order on `suite`: each must fail with its expected error and leave
/// `observe(suite, sender)` unchanged; a failure names the case.
pub fn run_cases<S, O: PartialEq + Debug>(
    suite: &mut S,
    cases: Vec<Case<S>>,
    observe: impl Fn(&S, &str) -> O,
) {
    for case in cases {
        let before = observe(suite, case.sender);
        let Err(err) = (case.action)(suite) else {
            panic!("case {:?}: the action should have failed", case.name);
        };
        assert!(
            case.expected.matches(&err),
            "case {:?}: expected {}, but it failed with: {err:#}",
            case.name,
            case.expected.describe()
        );
        assert_eq!(
            before,
            observe(suite, case.sender),
            "case {:?}: a failed action changed state",
            case.name
        );
    }
}
