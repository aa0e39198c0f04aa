//! Faults on demand: what a client's retries, timeouts and error handling are
//! tested against.
//!
//! A real service throttles, fails and hangs up at moments a test cannot
//! choose; the emulator does so exactly when asked. A fault applies to the
//! next calls of one action (or of every action) that passed authentication,
//! a given number of times, from the first matching call or from the n-th
//! ([`Fault::after`]); a throttled or failed call changes no state, as on the
//! vendor's side the action did not run.
//!
//! A [`Quirk`] is a lasting misbehaviour instead: the listing answers of a
//! server that ignores the page number, wraps past the last page, reports a
//! wrong total or a total as text, serves smaller pages than asked, or is
//! slow. Clients meet such servers; a paginator or waiter must still end,
//! and a test proves it by switching the quirk on.

use std::time::Duration;

/// What a fault does to a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The vendor's throttling answer (Zenlayer 429 `REQUEST_LIMIT_EXCEEDED`,
    /// Alibaba 400 `Throttling.User`).
    Throttle,
    /// A server error with this 5xx status (Zenlayer `INTERNAL_SERVER_ERROR`
    /// or `SERVICE_TEMPORARY_UNAVAILABLE`, Alibaba `InternalError` or
    /// `ServiceUnavailable`).
    ServerError(u16),
    /// Answers normally, after this long.
    Delay(Duration),
    /// Closes the connection without answering.
    CloseConnection,
    /// The vendor's error envelope with this status and error code (for
    /// example a documented `OPERATION_DENIED` or `Forbidden.RAM`).
    Error {
        /// The HTTP status.
        status: u16,
        /// The vendor's error code.
        code: String,
    },
}

/// One fault: what, for which action, how many times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) action: Option<String>,
    pub(crate) times: u32,
    pub(crate) skip: u32,
}

impl Fault {
    /// `kind`, for the next call of any action.
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            action: None,
            times: 1,
            skip: 0,
        }
    }

    /// Throttles the next call.
    pub fn throttle() -> Fault {
        Fault::new(FaultKind::Throttle)
    }

    /// Answers the next call with `status` (a 5xx).
    pub fn server_error(status: u16) -> Fault {
        Fault::new(FaultKind::ServerError(status))
    }

    /// Delays the answer to the next call.
    pub fn delay(delay: Duration) -> Fault {
        Fault::new(FaultKind::Delay(delay))
    }

    /// Closes the connection of the next call without an answer.
    pub fn close_connection() -> Fault {
        Fault::new(FaultKind::CloseConnection)
    }

    /// Answers the next call with the vendor's error `code` and `status`.
    pub fn error(status: u16, code: impl Into<String>) -> Fault {
        Fault::new(FaultKind::Error {
            status,
            code: code.into(),
        })
    }

    /// Only for calls of `action`.
    pub fn on(mut self, action: impl Into<String>) -> Fault {
        self.action = Some(action.into());
        self
    }

    /// For the next `times` matching calls instead of one.
    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }

    /// Lets the first `calls` matching calls through unharmed: the fault
    /// starts at the matching call numbered `calls` (0-based), so
    /// `after(2)` hits the third.
    pub fn after(mut self, calls: u32) -> Fault {
        self.skip = calls;
        self
    }
}

/// A lasting misbehaviour (see the module docs): from the moment it is
/// switched on, each applies to every list action's answers, except
/// [`Quirk::Slow`], which delays every answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Quirk {
    /// Serves page 1 whatever page number the request asks for.
    IgnorePageNumber,
    /// Serves page numbers past the last page from page 1 again.
    WrapPages,
    /// Reports this total count, whatever the real one is.
    WrongTotal(u64),
    /// Sends the total count as a JSON string (`"35"`).
    TotalAsText,
    /// Leaves the total count out.
    NoTotal,
    /// Serves at most this many records a page, whatever the request asks
    /// (and echoes the smaller size), as services with an undocumented
    /// lower limit do.
    PageSizeCap(u32),
    /// Answers every call only after this long.
    Slow(Duration),
}

/// The quirks switched on.
#[derive(Debug, Default)]
pub(crate) struct Quirks {
    on: Vec<Quirk>,
}

impl Quirks {
    pub(crate) fn switch_on(&mut self, quirk: Quirk) {
        self.on
            .retain(|q| std::mem::discriminant(q) != std::mem::discriminant(&quirk));
        self.on.push(quirk);
    }

    pub(crate) fn has(&self, quirk: &Quirk) -> bool {
        self.on.contains(quirk)
    }

    pub(crate) fn wrong_total(&self) -> Option<u64> {
        self.on.iter().find_map(|q| match q {
            Quirk::WrongTotal(total) => Some(*total),
            _ => None,
        })
    }

    pub(crate) fn page_size_cap(&self) -> Option<u32> {
        self.on.iter().find_map(|q| match q {
            Quirk::PageSizeCap(cap) => Some(*cap),
            _ => None,
        })
    }

    pub(crate) fn slow(&self) -> Option<Duration> {
        self.on.iter().find_map(|q| match q {
            Quirk::Slow(delay) => Some(*delay),
            _ => None,
        })
    }
}

/// The faults still to apply, in the order injected.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: Vec<Fault>,
}

impl Faults {
    pub(crate) fn inject(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push(fault);
        }
    }

    /// The first fault that applies to a call of `action`, used up once;
    /// the call counts toward every matching fault still waiting its turn.
    pub(crate) fn take(&mut self, action: &str) -> Option<FaultKind> {
        let mut index = None;
        for (i, fault) in self.pending.iter_mut().enumerate() {
            if fault.action.as_deref().is_some_and(|a| a != action) {
                continue;
            }
            if fault.skip > 0 {
                fault.skip -= 1;
            } else if index.is_none() {
                index = Some(i);
            }
        }
        let index = index?;
        let fault = &mut self.pending[index];
        let kind = fault.kind.clone();
        fault.times -= 1;
        if fault.times == 0 {
            self.pending.remove(index);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_applies_to_its_action_the_given_number_of_times() {
        let mut faults = Faults::default();
        faults.inject(Fault::throttle().on("DescribePorts").times(2));
        faults.inject(Fault::server_error(503));
        assert_eq!(faults.take("DescribePorts"), Some(FaultKind::Throttle));
        assert_eq!(
            faults.take("CreatePrivateConnect"),
            Some(FaultKind::ServerError(503))
        );
        assert_eq!(faults.take("CreatePrivateConnect"), None);
        assert_eq!(faults.take("DescribePorts"), Some(FaultKind::Throttle));
        assert_eq!(faults.take("DescribePorts"), None);
    }

    #[test]
    fn a_fault_after_n_calls_hits_the_next_one_only() {
        let mut faults = Faults::default();
        faults.inject(
            Fault::error(403, "OPERATION_DENIED")
                .on("DescribePorts")
                .after(2),
        );
        assert_eq!(faults.take("DescribePorts"), None);
        assert_eq!(faults.take("CreatePrivateConnect"), None);
        assert_eq!(faults.take("DescribePorts"), None);
        assert_eq!(
            faults.take("DescribePorts"),
            Some(FaultKind::Error {
                status: 403,
                code: "OPERATION_DENIED".into()
            })
        );
        assert_eq!(faults.take("DescribePorts"), None);
    }

    #[test]
    fn a_quirk_switched_on_again_replaces_its_value() {
        let mut quirks = Quirks::default();
        quirks.switch_on(Quirk::WrongTotal(3));
        quirks.switch_on(Quirk::WrongTotal(7));
        quirks.switch_on(Quirk::IgnorePageNumber);
        assert_eq!(quirks.wrong_total(), Some(7));
        assert!(quirks.has(&Quirk::IgnorePageNumber));
        assert!(!quirks.has(&Quirk::WrapPages));
    }

    #[test]
    fn zero_times_is_no_fault() {
        let mut faults = Faults::default();
        faults.inject(Fault::close_connection().times(0));
        assert_eq!(faults.take("DescribePorts"), None);
    }
}
