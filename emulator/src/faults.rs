//! Faults on demand: what a client's retries, timeouts and error handling are
//! tested against.
//!
//! A real service throttles, fails and hangs up at moments a test cannot
//! choose; the emulator does so exactly when asked. A fault applies to the
//! next calls of one action (or of every action) that passed authentication,
//! a given number of times; a throttled or failed call changes no state,
//! as on the vendor's side the action did not run.

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
}

/// One fault: what, for which action, how many times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) action: Option<String>,
    pub(crate) times: u32,
}

impl Fault {
    /// `kind`, for the next call of any action.
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            action: None,
            times: 1,
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

    /// The first fault that applies to a call of `action`, used up once.
    pub(crate) fn take(&mut self, action: &str) -> Option<FaultKind> {
        let index = self
            .pending
            .iter()
            .position(|f| f.action.as_deref().is_none_or(|a| a == action))?;
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
    fn zero_times_is_no_fault() {
        let mut faults = Faults::default();
        faults.inject(Fault::close_connection().times(0));
        assert_eq!(faults.take("DescribePorts"), None);
    }
}
