//! Create a Zenlayer SDN private connect between two ports, then delete it.
//!
//! This is the logic of the `private_connect_lifecycle` binary, kept in the
//! library so the end-to-end tests can run the very same code against a
//! local server. See the binary's documentation for how to run it against a
//! real account.
//!
//! `CreatePrivateConnect` is asynchronous: it returns as soon as the order is
//! accepted, and the service accepts no other operation on the private
//! connect while it is still being created. [`run`] therefore retries
//! `DeletePrivateConnect` while the service refuses it with a client error
//! (4xx), waiting [`DeleteRetry::wait`] between tries, so the example cleans up
//! after itself instead of leaving a billed resource behind. Any other
//! failure of the delete is returned with the private connect id, so the user
//! knows what to delete by hand.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use truebind_runtime::config::TokioSleep;
use truebind_runtime::{OperationError, SdkError, Sleep, ValidationError};
use zenlayer_sdn::Client;
use zenlayer_sdn::operation::create_private_connect::{
    CreatePrivateConnectError, CreatePrivateConnectInput,
};
use zenlayer_sdn::operation::delete_private_connect::{
    DeletePrivateConnectError, DeletePrivateConnectInput,
};
use zenlayer_sdn::types::CreateEndpointParam;

/// Name given to the private connect when `PRIVATE_CONNECT_NAME` is not set.
pub const DEFAULT_NAME: &str = "truebind-example";

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
];

/// What to create: the two ports and the optional settings.
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
        Ok(Settings {
            port_a_id,
            port_z_id,
            vlan_a: number("VLAN_A")?,
            vlan_z: number("VLAN_Z")?,
            bandwidth_mbps: number("BANDWIDTH_MBPS")?,
            name: get("PRIVATE_CONNECT_NAME").unwrap_or_else(|| DEFAULT_NAME.to_string()),
        })
    }

    /// The `CreatePrivateConnect` input these settings describe, checked
    /// against the documented limits.
    pub fn create_input(&self) -> Result<CreatePrivateConnectInput, ValidationError> {
        let endpoint = |port: &str, vlan: Option<i32>| {
            let endpoint = CreateEndpointParam::new().port_id(port);
            match vlan {
                Some(vlan) => endpoint.vlan_id(vlan),
                None => endpoint,
            }
        };
        let mut builder =
            CreatePrivateConnectInput::builder(endpoint(&self.port_a_id, self.vlan_a))
                .endpoint_z(endpoint(&self.port_z_id, self.vlan_z))
                .private_connect_name(&self.name);
        if let Some(bandwidth) = self.bandwidth_mbps {
            builder = builder.bandwidth_mbps(bandwidth);
        }
        builder.build()
    }
}

/// How long to keep trying the delete while the new private connect is
/// still being set up.
#[derive(Debug, Clone)]
pub struct DeleteRetry {
    /// Delete attempts in total.
    pub attempts: u32,
    /// Wait between attempts.
    pub wait: Duration,
    /// How to wait (replaceable so tests do not sleep).
    pub sleep: Arc<dyn Sleep>,
}

impl Default for DeleteRetry {
    /// 20 attempts 30 s apart: ten minutes for the private connect to come up.
    fn default() -> Self {
        DeleteRetry {
            attempts: 20,
            wait: Duration::from_secs(30),
            sleep: Arc::new(TokioSleep),
        }
    }
}

/// What a successful run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// Id of the private connect that was created and deleted.
    pub private_connect_id: String,
    /// Request id of the create call.
    pub create_request_id: Option<String>,
    /// Request id of the successful delete call.
    pub delete_request_id: Option<String>,
    /// How many delete calls it took.
    pub delete_attempts: u32,
}

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
    /// The private connect was created but could not be deleted.
    Delete {
        /// What to delete by hand.
        private_connect_id: String,
        /// Why the last delete failed.
        error: SdkError<DeletePrivateConnectError>,
    },
}

impl fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifecycleError::Input(e) => write!(f, "nothing was sent: {e}"),
            LifecycleError::Create(e) => write!(f, "CreatePrivateConnect failed: {e}"),
            LifecycleError::NoId { request_id } => write!(
                f,
                "CreatePrivateConnect succeeded but returned no private connect id (request id {})",
                request_id.as_deref().unwrap_or("none")
            ),
            LifecycleError::Delete {
                private_connect_id,
                error,
            } => write!(
                f,
                "private connect {private_connect_id} was created but DeletePrivateConnect failed: \
                 {error}; delete it in the console or with DeletePrivateConnect"
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
            LifecycleError::Delete { error, .. } => Some(error),
        }
    }
}

/// Creates the private connect `settings` describe, reports its id and
/// request id through `report`, then deletes it (see the module docs for the
/// delete retries).
pub async fn run(
    client: &Client,
    settings: &Settings,
    retry: &DeleteRetry,
    report: &mut dyn FnMut(&str),
) -> Result<Lifecycle, LifecycleError> {
    let input = settings.create_input().map_err(LifecycleError::Input)?;
    report(&format!(
        "creating private connect {:?} between ports {} and {}",
        settings.name, settings.port_a_id, settings.port_z_id
    ));
    let created = client
        .create_private_connect(input)
        .await
        .map_err(LifecycleError::Create)?;
    let create_request_id = created.request_id.clone();
    let Some(private_connect_id) = created.private_connect_id.clone() else {
        return Err(LifecycleError::NoId {
            request_id: create_request_id,
        });
    };
    report(&format!(
        "created private connect {private_connect_id} (request id {})",
        create_request_id.as_deref().unwrap_or("none")
    ));

    let mut attempt = 1;
    loop {
        let input = DeletePrivateConnectInput::builder(&private_connect_id)
            .build()
            .map_err(LifecycleError::Input)?;
        match client.delete_private_connect(input).await {
            Ok(deleted) => {
                report(&format!(
                    "deleted private connect {private_connect_id} (request id {})",
                    deleted.request_id.as_deref().unwrap_or("none")
                ));
                return Ok(Lifecycle {
                    private_connect_id,
                    create_request_id,
                    delete_request_id: deleted.request_id,
                    delete_attempts: attempt,
                });
            }
            Err(SdkError::Service(e))
                if (400..500).contains(&e.meta().status) && attempt < retry.attempts =>
            {
                report(&format!(
                    "delete refused ({e}); the private connect may still be deploying, \
                     trying again in {} s",
                    retry.wait.as_secs_f64()
                ));
                retry.sleep.sleep(retry.wait).await;
                attempt += 1;
            }
            Err(error) => {
                return Err(LifecycleError::Delete {
                    private_connect_id,
                    error,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
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
        let err = Settings::from_lookup(lookup(&[
            ("PORT_A_ID", "a"),
            ("PORT_Z_ID", "z"),
            ("VLAN_Z", "twenty"),
        ]))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "VLAN_Z must be a whole number, got \"twenty\""
        );
    }

    #[test]
    fn optional_settings_default_and_build_a_valid_input() {
        let settings =
            Settings::from_lookup(lookup(&[("PORT_A_ID", "a"), ("PORT_Z_ID", "z")])).unwrap();
        assert_eq!(settings.name, DEFAULT_NAME);
        assert_eq!((settings.vlan_a, settings.vlan_z), (None, None));
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
        let settings = Settings::from_lookup(lookup(&[
            ("PORT_A_ID", "a"),
            ("PORT_Z_ID", "z"),
            ("VLAN_A", "5000"),
            ("BANDWIDTH_MBPS", "501"),
        ]))
        .unwrap();
        let err = settings.create_input().unwrap_err();
        let fields: Vec<_> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["endpointA.vlanId", "bandwidthMbps"]);
    }
}
