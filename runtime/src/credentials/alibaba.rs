//! Alibaba's places: the variables, the `aliyun` CLI's `config.json` and the
//! shared INI credentials file (formats and sources in the parent module's docs).

use std::time::{Duration, SystemTime};

use super::{Env, Place, ProvidedCredentials, files};
use crate::config::{Credentials, Secret};
use crate::decode::Json;

const KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
const KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
const TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
const CONFIG_FILE_VAR: &str = "ALIBABA_CLOUD_CONFIG_FILE";
const CONFIG_FILE: &str = ".aliyun/config.json";
const CLI_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
const SHARED_FILE_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
const SHARED_FILE: &str = ".alibabacloud/credentials";

/// A key pair with an optional STS token.
fn pair(id: String, secret: String, token: Option<String>) -> Credentials {
    Credentials::AccessKey {
        id,
        secret: Secret::new(secret),
        security_token: token.map(Secret::new),
    }
}

/// `ALIBABA_CLOUD_ACCESS_KEY_ID` + `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, with
/// `ALIBABA_CLOUD_SECURITY_TOKEN` when set.
pub(super) fn from_env(env: &Env) -> Result<ProvidedCredentials, Place> {
    let place = |why: String| Place {
        what: format!("environment ({KEY_ID} and {KEY_SECRET})"),
        why,
    };
    let (id, secret) = env.pair(KEY_ID, KEY_SECRET).map_err(place)?;
    Ok(ProvidedCredentials::permanent(pair(
        id,
        secret,
        env.var(TOKEN),
    )))
}

/// The file named by `variable`, else `relative` under home, as a place's name.
fn locate(
    env: &Env,
    variable: &str,
    relative: &str,
) -> Result<(std::path::PathBuf, String), Place> {
    env.file(variable, relative).map_err(|why| Place {
        what: format!("~/{relative}"),
        why,
    })
}

/// One profile of the CLI's `config.json`.
struct CliProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    /// Unix seconds; 0 when unknown.
    sts_expiration: u64,
}

impl CliProfile {
    /// The profile at `index` of the file's `profiles`.
    fn read(index: usize, value: &Json) -> Result<Self, String> {
        let members = files::Members::of(value, format!("profiles[{index}]"))?;
        Ok(Self {
            name: members.string("name")?,
            mode: members.string("mode")?,
            access_key_id: members.string("access_key_id")?,
            access_key_secret: members.string("access_key_secret")?,
            sts_token: members.string("sts_token")?,
            sts_expiration: members.unsigned("sts_expiration")?,
        })
    }
}

/// The CLI's `config.json`.
struct CliConfig {
    current: String,
    profiles: Vec<CliProfile>,
}

impl CliConfig {
    /// The file's `current` and every profile.
    fn read(file: &Json) -> Result<Self, String> {
        let members = files::Members::of(file, "the top level")?;
        let profiles = members.array("profiles")?.iter().enumerate();
        Ok(Self {
            current: members.string("current")?,
            profiles: profiles
                .map(|(index, profile)| CliProfile::read(index, profile))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The profile `ALIBABA_CLOUD_PROFILE` names, else the file's `current`, of
/// the CLI's `config.json`; modes `AK` and `StsToken`.
pub(super) fn from_cli_config(env: &Env) -> Result<ProvidedCredentials, Place> {
    let (path, shown) = locate(env, CONFIG_FILE_VAR, CONFIG_FILE)?;
    if env
        .var(CLI_DISABLED)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        let why = format!("skipped: {CLI_DISABLED} is true");
        return Err(Place { what: shown, why });
    }
    let whole = |why: String| Place {
        what: shown.clone(),
        why,
    };
    let text = files::read(&path).map_err(whole)?;
    let config = files::json(&text)
        .and_then(|file| CliConfig::read(&file))
        .map_err(whole)?;
    let (name, chosen) = match env.var(PROFILE) {
        Some(name) => (name, format!("from {PROFILE}")),
        None => (config.current.clone(), "its current".to_string()),
    };
    let place = |why: String| Place {
        what: format!("{shown}, profile {name:?} ({chosen})"),
        why,
    };
    let Some(profile) = config.profiles.into_iter().find(|p| p.name == name) else {
        return Err(place("no such profile".into()));
    };
    if !matches!(profile.mode.as_str(), "AK" | "StsToken") {
        return Err(place(unsupported("mode", &profile.mode)));
    }
    let sts = profile.mode == "StsToken";
    if profile.access_key_id.is_empty()
        || profile.access_key_secret.is_empty()
        || (sts && profile.sts_token.is_empty())
    {
        let needed = if sts {
            ", access_key_secret and sts_token"
        } else {
            " and access_key_secret"
        };
        return Err(place(format!(
            "mode {} needs access_key_id{needed}",
            profile.mode
        )));
    }
    let token = sts.then_some(profile.sts_token);
    let credentials = pair(profile.access_key_id, profile.access_key_secret, token);
    Ok(match profile.sts_expiration {
        0 => ProvidedCredentials::permanent(credentials),
        secs => ProvidedCredentials::expiring(
            credentials,
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs),
        ),
    })
}

/// Why a profile of a kind this runtime cannot serve gave nothing.
fn unsupported(key: &str, value: &str) -> String {
    let value: String = value.chars().take(40).collect();
    format!(
        "{key} {value:?} is not supported here (it needs a network call): \
         plug in a ProvideCredentials"
    )
}

/// The section `ALIBABA_CLOUD_PROFILE` names, else `default`, of the shared
/// INI file; types `access_key` and `sts`.
pub(super) fn from_shared_file(env: &Env) -> Result<ProvidedCredentials, Place> {
    let (path, shown) = locate(env, SHARED_FILE_VAR, SHARED_FILE)?;
    let (name, chosen) = match env.var(PROFILE) {
        Some(name) => (name, format!("from {PROFILE}")),
        None => ("default".to_string(), "the default".to_string()),
    };
    let place = |why: String| Place {
        what: format!("{shown}, profile {name:?} ({chosen})"),
        why,
    };
    let text = files::read(&path).map_err(&place)?;
    let sections = files::ini(&text).map_err(&place)?;
    let Some(section) = sections.get(&name) else {
        return Err(place("no such profile".into()));
    };
    let get = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
    let kind = get("type").unwrap_or_default();
    let sts = match kind.as_str() {
        "access_key" => false,
        "sts" => true,
        "" => return Err(place("the profile has no type".into())),
        other => return Err(place(unsupported("type", other))),
    };
    let (Some(id), Some(secret)) = (get("access_key_id"), get("access_key_secret")) else {
        return Err(place(format!(
            "type {kind} needs access_key_id and access_key_secret"
        )));
    };
    let token = get("security_token");
    if sts && token.is_none() {
        return Err(place("type sts needs security_token".into()));
    }
    Ok(ProvidedCredentials::permanent(pair(
        id,
        secret,
        token.filter(|_| sts),
    )))
}
