//! Create a Zenlayer SDN private connect between two ports, wait until it is
//! running, delete it, wait until it is in the recycle bin, and optionally
//! destroy it for good.
//!
//! This is the logic of the `private_connect_lifecycle` binary, kept in the
//! library so the end-to-end tests can run the very same code against a
//! local server. See the binary's documentation for how to run it against a
//! real account.
//!
//! Every write of the private connect is asynchronous: the call returns as
//! soon as the service accepts the order, and the work happens afterwards.
//! [`run`] therefore follows each write with the generated waiter that polls
//! `DescribePrivateConnects` until the work is done, instead of guessing how
//! long it takes:
//!
//! 1. `CreatePrivateConnect`, then
//!    [`wait_until_private_connect_available`](zenlayer_sdn::Client::wait_until_private_connect_available)
//!    (the service accepts no other operation while it is being created);
//! 2. `DeletePrivateConnect`, then
//!    [`wait_until_private_connect_recycled`](zenlayer_sdn::Client::wait_until_private_connect_recycled);
//! 3. only when [`Settings::destroy`] is set, `DestroyPrivateConnect`, then
//!    [`wait_until_private_connect_destroyed`](zenlayer_sdn::Client::wait_until_private_connect_destroyed).
//!
//! Every wait uses [`Settings::wait`] (at most `WAIT_MINUTES` each). Any
//! failure once the private connect exists is a [`LifecycleError`] that names
//! its id and says what to do about it, because it may still be billed.

use std::fmt;
use std::time::Duration;

use zenlayer_sdn::Client;
use zenlayer_sdn::operation::create_private_connect::{
    CreatePrivateConnectError, CreatePrivateConnectInput,
};
use zenlayer_sdn::operation::delete_private_connect::{
    DeletePrivateConnectError, DeletePrivateConnectInput,
};
use zenlayer_sdn::operation::describe_private_connects::DescribePrivateConnectsError;
use zenlayer_sdn::operation::destroy_private_connect::{
    DestroyPrivateConnectError, DestroyPrivateConnectInput,
};
use zenlayer_sdn::types::{CreateEndpointParam, PrivateConnect};
use zenlayer_sdn::{ErrorMeta, SdkError, Validate, ValidationError, WaiterError};
use zenlayer_sdn::{Finished, Record, WaitConfig};

/// Name given to the private connect when `PRIVATE_CONNECT_NAME` is not set.
pub const DEFAULT_NAME: &str = "truebind-example";

/// Longest wait for each state change when `WAIT_MINUTES` is not set.
pub const DEFAULT_WAIT_MINUTES: u64 = 20;

/// Largest accepted `WAIT_MINUTES` (a day).
pub const MAX_WAIT_MINUTES: u64 = 24 * 60;

/// The environment variables this example reads besides the client's own
/// (`ZENLAYER_ACCESS_KEY_ID`, `ZENLAYER_ACCESS_KEY_SECRET` or `ZENLAYER_TOKEN`,
/// `ZENLAYER_ENDPOINT`), with what each one is for.
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "PORT_A_ID",
        "required: id of the first Zenlayer port (end A)",
    ),
    (
        "PORT_Z_ID",
        "required: id of the second Zenlayer port (end Z)",
    ),
    ("VLAN_A", "optional: VLAN id on port A, 1 to 4096"),
    ("VLAN_Z", "optional: VLAN id on port Z, 1 to 4096"),
    (
        "BANDWIDTH_MBPS",
        "optional: bandwidth cap in Mbps, 1 to 500 (service default 1)",
    ),
    (
        "PRIVATE_CONNECT_NAME",
        "optional: name of the private connect (default truebind-example)",
    ),
    (
        "WAIT_MINUTES",
        "optional: longest wait for each state change, in minutes, 1 to 1440 (default 20)",
    ),
    (
        "DESTROY",
        "optional: 1 to also destroy the deleted private connect for good \
         (default 0: leave it in the recycle bin)",
    ),
];

/// What to create, and how to wait for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Port of end A.
    pub port_a_id: String,
    /// Port of end Z; must differ from A.
    pub port_z_id: String,
    /// VLAN on port A.
    pub vlan_a: Option<i32>,
    /// VLAN on port Z.
    pub vlan_z: Option<i32>,
    /// Bandwidth cap in Mbps.
    pub bandwidth_mbps: Option<i32>,
    /// Name of the private connect.
    pub name: String,
    /// Whether to destroy the private connect after deleting it, instead of
    /// leaving it in the recycle bin.
    pub destroy: bool,
    /// Timing of every wait: the waiters' defaults (5 s before the first
    /// poll, then 5 s doubling up to 60 s, jittered) with `max_wait` from
    /// `WAIT_MINUTES`. Replace it to poll faster (tests use short delays and
    /// a client whose sleeper does not really sleep).
    pub wait: WaitConfig,
}

/// Why the settings could not be read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    /// Required variables are not set (or empty).
    Missing(Vec<&'static str>),
    /// A numeric variable holds something else.
    NotANumber {
        /// The variable.
        name: &'static str,
        /// What it holds.
        value: String,
    },
    /// A variable holds a value outside what it accepts.
    Invalid {
        /// The variable.
        name: &'static str,
        /// What it holds.
        value: String,
        /// What it accepts.
        expected: &'static str,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Missing(names) => {
                write!(f, "missing environment variable")?;
                if names.len() > 1 {
                    f.write_str("s")?;
                }
                for (i, name) in names.iter().enumerate() {
                    let purpose = VARIABLES
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or("", |(_, p)| p);
                    let sep = if i == 0 { " " } else { "; " };
                    write!(f, "{sep}{name} ({purpose})")?;
                }
                Ok(())
            }
            SettingsError::NotANumber { name, value } => {
                write!(f, "{name} must be a whole number, got {value:?}")
            }
            SettingsError::Invalid {
                name,
                value,
                expected,
            } => write!(f, "{name} must be {expected}, got {value:?}"),
        }
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (empty values count as unset).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let number = |name: &'static str| -> Result<Option<i32>, SettingsError> {
            match get(name) {
                None => Ok(None),
                Some(value) => value
                    .parse()
                    .map(Some)
                    .map_err(|_| SettingsError::NotANumber { name, value }),
            }
        };
        let port_a_id = get("PORT_A_ID");
        let port_z_id = get("PORT_Z_ID");
        let (Some(port_a_id), Some(port_z_id)) = (port_a_id.clone(), port_z_id.clone()) else {
            let mut missing = Vec::new();
            if port_a_id.is_none() {
                missing.push("PORT_A_ID");
            }
            if port_z_id.is_none() {
                missing.push("PORT_Z_ID");
            }
            return Err(SettingsError::Missing(missing));
        };
        let wait_minutes = match get("WAIT_MINUTES") {
            None => DEFAULT_WAIT_MINUTES,
            Some(value) => match value.parse::<u64>() {
                Ok(minutes) if (1..=MAX_WAIT_MINUTES).contains(&minutes) => minutes,
                Ok(_) => {
                    return Err(SettingsError::Invalid {
                        name: "WAIT_MINUTES",
                        value,
                        expected: "between 1 and 1440",
                    });
                }
                Err(_) => {
                    return Err(SettingsError::NotANumber {
                        name: "WAIT_MINUTES",
                        value,
                    });
                }
            },
        };
        let destroy = match get("DESTROY") {
            None => false,
            Some(value) => match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    return Err(SettingsError::Invalid {
                        name: "DESTROY",
                        value,
                        expected: "1 or 0",
                    });
                }
            },
        };
        Ok(Settings {
            port_a_id,
            port_z_id,
            vlan_a: number("VLAN_A")?,
            vlan_z: number("VLAN_Z")?,
            bandwidth_mbps: number("BANDWIDTH_MBPS")?,
            name: get("PRIVATE_CONNECT_NAME").unwrap_or_else(|| DEFAULT_NAME.to_string()),
            destroy,
            wait: WaitConfig {
                max_wait: Duration::from_secs(wait_minutes * 60),
                ..WaitConfig::default()
            },
        })
    }

    /// The `CreatePrivateConnect` input these settings describe, checked
    /// against the documented limits.
    pub fn create_input(&self) -> Result<CreatePrivateConnectInput, ValidationError> {
        let endpoint = |port: &str, vlan: Option<i32>| {
            let mut endpoint = CreateEndpointParam::new();
            endpoint.port_id = Some(port.to_string());
            endpoint.vlan_id = vlan;
            endpoint
        };
        let mut input = CreatePrivateConnectInput::new(endpoint(&self.port_a_id, self.vlan_a));
        input.endpoint_z = Some(endpoint(&self.port_z_id, self.vlan_z));
        input.private_connect_name = Some(self.name.clone());
        input.bandwidth_mbps = self.bandwidth_mbps;
        input.validate()?;
        Ok(input)
    }
}

/// What a successful run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// Id of the private connect that was created and deleted.
    pub private_connect_id: String,
    /// Request id of the create call.
    pub create_request_id: Option<String>,
    /// State in which the private connect became available (`RUNNING` or
    /// `AVAILABLE`).
    pub available_state: String,
    /// Request id of the delete call.
    pub delete_request_id: Option<String>,
    /// State after the delete: `Some("RECYCLED")`, or `None` when the private
    /// connect was no longer listed (it was already released).
    pub recycled_state: Option<String>,
    /// Request id of the destroy call, when one was made and returned an id.
    pub destroy_request_id: Option<String>,
    /// Whether the private connect is gone for good (destroyed, or no
    /// longer listed after the delete).
    pub destroyed: bool,
}

/// Which wait failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `wait_until_private_connect_available`, after the create.
    Available,
    /// `wait_until_private_connect_recycled`, after the delete.
    Recycled,
    /// `wait_until_private_connect_destroyed`, after the destroy.
    Destroyed,
}

impl Stage {
    /// What the wait waited for, as in "did not become …".
    pub fn goal(self) -> &'static str {
        match self {
            Stage::Available => "available",
            Stage::Recycled => "recycled",
            Stage::Destroyed => "destroyed",
        }
    }
}

/// How a wait for a private connect failed.
pub type WaitError = WaiterError<PrivateConnect, DescribePrivateConnectsError>;

/// How a run failed.
#[derive(Debug)]
pub enum LifecycleError {
    /// The settings break a documented limit; nothing was sent.
    Input(ValidationError),
    /// The create call failed; nothing was created.
    Create(SdkError<CreatePrivateConnectError>),
    /// The create call succeeded but returned no private connect id.
    NoId {
        /// Request id of the create call, for support.
        request_id: Option<String>,
    },
    /// A wait after a write failed; the private connect may still exist.
    Wait {
        /// The private connect waited for.
        private_connect_id: String,
        /// Which wait failed.
        stage: Stage,
        /// Why: a typed waiter error, with the last record seen (boxed: it
        /// holds whole records).
        error: Box<WaitError>,
    },
    /// The private connect is running but could not be deleted.
    Delete {
        /// What to delete by hand.
        private_connect_id: String,
        /// Why the delete failed.
        error: SdkError<DeletePrivateConnectError>,
    },
    /// The private connect is in the recycle bin but could not be destroyed.
    Destroy {
        /// What to destroy by hand.
        private_connect_id: String,
        /// Why the destroy failed.
        error: SdkError<DestroyPrivateConnectError>,
    },
}

impl LifecycleError {
    /// The private connect left behind, when one was created.
    pub fn private_connect_id(&self) -> Option<&str> {
        match self {
            LifecycleError::Input(_) | LifecycleError::Create(_) | LifecycleError::NoId { .. } => {
                None
            }
            LifecycleError::Wait {
                private_connect_id, ..
            }
            | LifecycleError::Delete {
                private_connect_id, ..
            }
            | LifecycleError::Destroy {
                private_connect_id, ..
            } => Some(private_connect_id),
        }
    }
}

/// `20 min`, `45 s`, or the exact duration.
fn human(duration: Duration) -> String {
    let secs = duration.as_secs();
    if duration.subsec_nanos() != 0 {
        format!("{duration:?}")
    } else if secs >= 60 && secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}

/// The state a record carries, or a placeholder.
fn state_of<R: Record>(record: &R) -> &str {
    record
        .status()
        .filter(|s| !s.is_empty())
        .unwrap_or("<none>")
}

/// Why a wait failed, in words, for each [`WaiterError`] variant.
fn wait_failure<R: Record, E: ErrorMeta>(error: &WaiterError<R, E>) -> String {
    match error {
        WaiterError::Failed { state, .. } => format!("it reached the failure state {state}"),
        WaiterError::UnexpectedState { state, .. } if state.is_empty() => {
            "DescribePrivateConnects returned it without a state".to_string()
        }
        WaiterError::UnexpectedState { state, .. } => {
            format!("it is in state {state}, which this wait does not expect")
        }
        WaiterError::Vanished {
            last_seen: Some(record),
            ..
        } => format!(
            "it is no longer listed (last seen in state {})",
            state_of(record)
        ),
        WaiterError::Vanished {
            last_seen: None, ..
        } => "DescribePrivateConnects never listed it".to_string(),
        WaiterError::TimedOut {
            waited, last_seen, ..
        } => match last_seen.first() {
            Some(record) => format!(
                "it was still {} after {} of waiting (WAIT_MINUTES sets the limit)",
                state_of(record),
                human(*waited)
            ),
            None => format!(
                "it was still not listed after {} of waiting (WAIT_MINUTES sets the limit)",
                human(*waited)
            ),
        },
        WaiterError::Poll(e) => format!("reading its state failed: {e}"),
        other => other.to_string(),
    }
}

impl fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifecycleError::Input(e) => write!(f, "nothing was sent: {e}"),
            LifecycleError::Create(e) => {
                write!(f, "CreatePrivateConnect failed, nothing was created: {e}")
            }
            LifecycleError::NoId { request_id } => write!(
                f,
                "CreatePrivateConnect succeeded but returned no private connect id (request id \
                 {}); look for a new private connect in the console, it may be billed",
                request_id.as_deref().unwrap_or("none")
            ),
            LifecycleError::Wait {
                private_connect_id: id,
                stage,
                error,
            } => {
                write!(
                    f,
                    "private connect {id} did not become {}: {}. ",
                    stage.goal(),
                    wait_failure(&**error)
                )?;
                match (stage, &**error) {
                    (Stage::Available, WaiterError::Vanished { .. }) => write!(
                        f,
                        "Its creation probably failed; check in the console that {id} is gone, \
                         because it is billed while it exists"
                    ),
                    (Stage::Available, _) => write!(
                        f,
                        "It exists and may be billed: once it is RUNNING, delete it in the \
                         console or with DeletePrivateConnect (privateConnectId {id})"
                    ),
                    (Stage::Recycled, _) => write!(
                        f,
                        "The delete was accepted; check in the console that {id} reaches the \
                         recycle bin, and if it is still running (and billed) delete it there or \
                         with DeletePrivateConnect (privateConnectId {id})"
                    ),
                    (Stage::Destroyed, _) => write!(
                        f,
                        "The destroy was accepted; check in the console that {id} is gone, and \
                         if it is still in the recycle bin destroy it there or with \
                         DestroyPrivateConnect (privateConnectId {id})"
                    ),
                }
            }
            LifecycleError::Delete {
                private_connect_id: id,
                error,
            } => write!(
                f,
                "private connect {id} was created but DeletePrivateConnect failed: {error}. \
                 It still exists and may be billed: delete it in the console or with \
                 DeletePrivateConnect (privateConnectId {id})"
            ),
            LifecycleError::Destroy {
                private_connect_id: id,
                error,
            } => write!(
                f,
                "private connect {id} was deleted but DestroyPrivateConnect failed: {error}. \
                 It is in the recycle bin: destroy it in the console or with \
                 DestroyPrivateConnect (privateConnectId {id}), or leave it for the billing \
                 rules to release"
            ),
        }
    }
}

impl std::error::Error for LifecycleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LifecycleError::Input(e) => Some(e),
            LifecycleError::Create(e) => Some(e),
            LifecycleError::NoId { .. } => None,
            LifecycleError::Wait { error, .. } => Some(&**error),
            LifecycleError::Delete { error, .. } => Some(error),
            LifecycleError::Destroy { error, .. } => Some(error),
        }
    }
}

/// The state of the one record a wait finished with (`None`: not listed).
fn final_state(finished: &[Finished<PrivateConnect>]) -> Option<String> {
    finished
        .first()
        .and_then(|f| f.record.as_ref())
        .and_then(|r| r.status())
        .map(str::to_string)
}

/// Runs the whole lifecycle (see the module docs), reporting each step
/// through `report`, one line at a time.
///
/// The waits use the client's sleeper (`Config::sleep`) and
/// [`Settings::wait`]; the calls use the client's retry policy.
pub async fn run(
    client: &Client,
    settings: &Settings,
    report: &mut dyn FnMut(&str),
) -> Result<Lifecycle, LifecycleError> {
    let input = settings.create_input().map_err(LifecycleError::Input)?;
    let max_wait = human(settings.wait.max_wait);
    report(&format!(
        "creating private connect {:?} between ports {} and {}",
        settings.name, settings.port_a_id, settings.port_z_id
    ));
    let created = client
        .create_private_connect(input)
        .await
        .map_err(LifecycleError::Create)?;
    let create_request_id = created.request_id.clone();
    let Some(id) = created.private_connect_id.clone() else {
        return Err(LifecycleError::NoId {
            request_id: create_request_id,
        });
    };
    report(&format!(
        "created private connect {id} (request id {})",
        create_request_id.as_deref().unwrap_or("none")
    ));
    let wait_error = |stage: Stage| {
        let private_connect_id = id.clone();
        move |error| LifecycleError::Wait {
            private_connect_id,
            stage,
            error: Box::new(error),
        }
    };

    report(&format!(
        "waiting up to {max_wait} for {id} to become available"
    ));
    let available = client
        .wait_until_private_connect_available([id.as_str()])
        .config(settings.wait)
        .wait()
        .await
        .map_err(wait_error(Stage::Available))?;
    let available_state = final_state(&available).unwrap_or_default();
    report(&format!("private connect {id} is {available_state}"));

    report(&format!("deleting private connect {id}"));
    let input = DeletePrivateConnectInput::new(&id);
    let deleted = client
        .delete_private_connect(input)
        .await
        .map_err(|error| LifecycleError::Delete {
            private_connect_id: id.clone(),
            error,
        })?;
    report(&format!(
        "deleted private connect {id} (request id {}); waiting up to {max_wait} for it to \
         reach the recycle bin",
        deleted.request_id.as_deref().unwrap_or("none")
    ));
    let recycled = client
        .wait_until_private_connect_recycled([id.as_str()])
        .config(settings.wait)
        .wait()
        .await
        .map_err(wait_error(Stage::Recycled))?;
    let recycled_state = final_state(&recycled);
    let mut outcome = Lifecycle {
        private_connect_id: id.clone(),
        create_request_id,
        available_state,
        delete_request_id: deleted.request_id,
        recycled_state: recycled_state.clone(),
        destroy_request_id: None,
        destroyed: recycled_state.is_none(),
    };
    match &recycled_state {
        None => {
            report(&format!(
                "private connect {id} is no longer listed: it is already released"
            ));
            return Ok(outcome);
        }
        Some(state) => report(&format!(
            "private connect {id} is {state} (in the recycle bin)"
        )),
    }
    if !settings.destroy {
        report(&format!(
            "private connect {id} stays in the recycle bin until the billing rules release it; \
             run with DESTROY=1 to destroy it right away"
        ));
        return Ok(outcome);
    }

    report(&format!("destroying private connect {id}"));
    let input = DestroyPrivateConnectInput::new(&id);
    let destroyed = client
        .destroy_private_connect(input)
        .await
        .map_err(|error| LifecycleError::Destroy {
            private_connect_id: id.clone(),
            error,
        })?;
    report(&format!(
        "destroyed private connect {id} (request id {}); waiting up to {max_wait} for it to \
         be released",
        destroyed.request_id.as_deref().unwrap_or("none")
    ));
    client
        .wait_until_private_connect_destroyed([id.as_str()])
        .config(settings.wait)
        .wait()
        .await
        .map_err(wait_error(Stage::Destroyed))?;
    report(&format!(
        "private connect {id} is no longer listed: it is released for good"
    ));
    outcome.destroy_request_id = destroyed.request_id;
    outcome.destroyed = true;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zenlayer_sdn::ServiceError;

    fn lookup<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn ports(extra: &[(&'static str, &'static str)]) -> Result<Settings, SettingsError> {
        let mut pairs = vec![("PORT_A_ID", "a"), ("PORT_Z_ID", "z")];
        pairs.extend_from_slice(extra);
        Settings::from_lookup(lookup(&pairs))
    }

    #[test]
    fn missing_ports_are_all_named_with_their_purpose() {
        let err = Settings::from_lookup(lookup(&[("PORT_Z_ID", "  ")])).unwrap_err();
        assert_eq!(err, SettingsError::Missing(vec!["PORT_A_ID", "PORT_Z_ID"]));
        assert_eq!(
            err.to_string(),
            "missing environment variables PORT_A_ID (required: id of the first Zenlayer \
             port (end A)); PORT_Z_ID (required: id of the second Zenlayer port (end Z))"
        );
        let err = Settings::from_lookup(lookup(&[("PORT_A_ID", "a")])).unwrap_err();
        assert_eq!(err, SettingsError::Missing(vec!["PORT_Z_ID"]));
    }

    #[test]
    fn a_non_numeric_vlan_is_reported_by_name() {
        let err = ports(&[("VLAN_Z", "twenty")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "VLAN_Z must be a whole number, got \"twenty\""
        );
    }

    #[test]
    fn optional_settings_default_and_build_a_valid_input() {
        let settings = ports(&[]).unwrap();
        assert_eq!(settings.name, DEFAULT_NAME);
        assert_eq!((settings.vlan_a, settings.vlan_z), (None, None));
        assert!(!settings.destroy);
        assert_eq!(
            settings.wait,
            WaitConfig {
                max_wait: Duration::from_secs(20 * 60),
                ..WaitConfig::default()
            }
        );
        let input = settings.create_input().unwrap();
        assert_eq!(input.endpoint_a.port_id.as_deref(), Some("a"));
        assert_eq!(
            input.endpoint_z.as_ref().and_then(|z| z.port_id.as_deref()),
            Some("z")
        );
        assert_eq!(input.bandwidth_mbps, None);
    }

    #[test]
    fn out_of_range_settings_fail_before_anything_is_sent() {
        let settings = ports(&[("VLAN_A", "5000"), ("BANDWIDTH_MBPS", "501")]).unwrap();
        let err = settings.create_input().unwrap_err();
        let fields: Vec<_> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["endpointA.vlanId", "bandwidthMbps"]);
    }

    #[test]
    fn wait_minutes_sets_only_the_longest_wait() {
        let settings = ports(&[("WAIT_MINUTES", " 45 ")]).unwrap();
        assert_eq!(settings.wait.max_wait, Duration::from_secs(45 * 60));
        assert_eq!(
            settings.wait.initial_delay,
            WaitConfig::default().initial_delay
        );
        assert!(settings.wait.jitter);

        for bad in ["0", "1441"] {
            let err = ports(&[("WAIT_MINUTES", bad)]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("WAIT_MINUTES must be between 1 and 1440, got {bad:?}")
            );
        }
        let err = ports(&[("WAIT_MINUTES", "-3")]).unwrap_err();
        assert_eq!(
            err,
            SettingsError::NotANumber {
                name: "WAIT_MINUTES",
                value: "-3".into()
            }
        );
    }

    #[test]
    fn destroy_is_a_flag() {
        for yes in ["1", "true", "YES", "on"] {
            assert!(ports(&[("DESTROY", yes)]).unwrap().destroy, "{yes}");
        }
        for no in ["0", "false", "No", "off", " "] {
            assert!(!ports(&[("DESTROY", no)]).unwrap().destroy, "{no:?}");
        }
        let err = ports(&[("DESTROY", "please")]).unwrap_err();
        assert_eq!(err.to_string(), "DESTROY must be 1 or 0, got \"please\"");
    }

    #[test]
    fn every_variable_is_documented_once() {
        let names: Vec<_> = VARIABLES.iter().map(|(n, _)| *n).collect();
        for name in [
            "PORT_A_ID",
            "PORT_Z_ID",
            "VLAN_A",
            "VLAN_Z",
            "BANDWIDTH_MBPS",
            "PRIVATE_CONNECT_NAME",
            "WAIT_MINUTES",
            "DESTROY",
        ] {
            assert_eq!(names.iter().filter(|n| **n == name).count(), 1, "{name}");
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_secs(20 * 60)), "20 min");
        assert_eq!(human(Duration::from_secs(90)), "90 s");
        assert_eq!(human(Duration::from_secs(30)), "30 s");
        assert_eq!(human(Duration::from_millis(1500)), "1.5s");
    }

    /// A record for the waiter errors that carry one.
    #[derive(Debug)]
    struct Rec(&'static str);

    impl Record for Rec {
        fn id(&self) -> Option<&str> {
            Some("pc-1")
        }
        fn status(&self) -> Option<&str> {
            Some(self.0)
        }
    }

    type Failure = WaiterError<Rec, DescribePrivateConnectsError>;

    #[test]
    fn every_waiter_error_is_explained() {
        let cases: Vec<(Failure, &str)> = vec![
            (
                WaiterError::Failed {
                    id: "pc-1".into(),
                    state: "FAILED".into(),
                    record: Rec("FAILED"),
                },
                "it reached the failure state FAILED",
            ),
            (
                WaiterError::UnexpectedState {
                    id: "pc-1".into(),
                    state: "RECOVERING".into(),
                    record: Rec("RECOVERING"),
                },
                "it is in state RECOVERING, which this wait does not expect",
            ),
            (
                WaiterError::UnexpectedState {
                    id: "pc-1".into(),
                    state: String::new(),
                    record: Rec(""),
                },
                "DescribePrivateConnects returned it without a state",
            ),
            (
                WaiterError::Vanished {
                    id: "pc-1".into(),
                    last_seen: Some(Rec("CREATING")),
                },
                "it is no longer listed (last seen in state CREATING)",
            ),
            (
                WaiterError::Vanished {
                    id: "pc-1".into(),
                    last_seen: None,
                },
                "DescribePrivateConnects never listed it",
            ),
            (
                WaiterError::TimedOut {
                    waited: Duration::from_secs(1200),
                    pending: vec!["pc-1".into()],
                    last_seen: vec![Rec("DELETING")],
                },
                "it was still DELETING after 20 min of waiting (WAIT_MINUTES sets the limit)",
            ),
            (
                WaiterError::TimedOut {
                    waited: Duration::from_secs(45),
                    pending: vec!["pc-1".into()],
                    last_seen: vec![],
                },
                "it was still not listed after 45 s of waiting (WAIT_MINUTES sets the limit)",
            ),
            (
                WaiterError::Poll(SdkError::Service(
                    ServiceError {
                        code: "AUTH_FAILED".into(),
                        message: "denied".into(),
                        status: 403,
                        request_id: Some("T-1".into()),
                    }
                    .into(),
                )),
                "reading its state failed: service error: AUTH_FAILED (HTTP 403): denied \
                 [request id T-1]",
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(wait_failure(&error), expected);
        }
    }

    #[test]
    fn errors_after_create_name_the_private_connect_and_what_to_do() {
        let delete = LifecycleError::Delete {
            private_connect_id: "pc-7".into(),
            error: SdkError::Timeout,
        };
        assert_eq!(delete.private_connect_id(), Some("pc-7"));
        assert_eq!(
            delete.to_string(),
            "private connect pc-7 was created but DeletePrivateConnect failed: timed out \
             waiting for the service. It still exists and may be billed: delete it in the \
             console or with DeletePrivateConnect (privateConnectId pc-7)"
        );
        let wait = LifecycleError::Wait {
            private_connect_id: "pc-7".into(),
            stage: Stage::Available,
            error: Box::new(WaiterError::Vanished {
                id: "pc-7".into(),
                last_seen: None,
            }),
        };
        assert_eq!(wait.private_connect_id(), Some("pc-7"));
        assert!(
            wait.to_string().starts_with(
                "private connect pc-7 did not become available: DescribePrivateConnects never \
                 listed it. Its creation probably failed; check in the console that pc-7 is gone"
            ),
            "{wait}"
        );
        let destroy = LifecycleError::Destroy {
            private_connect_id: "pc-7".into(),
            error: SdkError::Timeout,
        };
        assert!(
            destroy
                .to_string()
                .contains("DestroyPrivateConnect (privateConnectId pc-7)"),
            "{destroy}"
        );
        let create = LifecycleError::Create(SdkError::Timeout);
        assert_eq!(create.private_connect_id(), None);
    }
}
