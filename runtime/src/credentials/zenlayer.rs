//! Zenlayer's places: the variables and the `zeno` CLI's profile files
//! (formats and sources in the parent module's docs).

use std::collections::BTreeMap;

use super::{Env, Place, ProvidedCredentials, files};
use crate::config::{Credentials, Secret};
use crate::decode::Json;

const TOKEN: &str = "ZENLAYER_TOKEN";
const KEY_ID: &str = "ZENLAYER_ACCESS_KEY_ID";
const KEY_SECRET: &str = "ZENLAYER_ACCESS_KEY_SECRET";
const PROFILE: &str = "ZENLAYER_PROFILE";
const CREDENTIALS_FILE: &str = ".zenlayer/credentials.json";
const CONFIG_FILE: &str = ".zenlayer/config.json";

/// `ZENLAYER_TOKEN`, else `ZENLAYER_ACCESS_KEY_ID` + `ZENLAYER_ACCESS_KEY_SECRET`.
pub(super) fn from_env(env: &Env) -> Result<ProvidedCredentials, Place> {
    let place = |why: String| Place {
        what: format!("environment ({TOKEN}, or {KEY_ID} and {KEY_SECRET})"),
        why,
    };
    if let Some(token) = env.var(TOKEN) {
        return Ok(ProvidedCredentials::permanent(Credentials::Bearer(
            Secret::new(token),
        )));
    }
    let (id, secret) = env.pair(KEY_ID, KEY_SECRET).map_err(place)?;
    Ok(ProvidedCredentials::permanent(Credentials::access_key(
        id, secret,
    )))
}

/// One profile of `credentials.json`.
struct Profile {
    access_key_id: String,
    access_key_secret: String,
    token: String,
}

impl Profile {
    /// The profile called `name`, from its object in the file.
    fn read(name: &str, value: &Json) -> Result<Self, String> {
        let name: String = name.chars().take(40).collect();
        let members = files::Members::of(value, format!("profile {name:?}"))?;
        Ok(Self {
            access_key_id: members.string("access_key_id")?,
            access_key_secret: members.string("access_key_secret")?,
            token: members.string("token")?,
        })
    }
}

/// The profile `ZENLAYER_PROFILE` names, else `current_profile` of
/// `config.json`, else `default`; with how it was chosen.
fn profile_name(env: &Env) -> Result<(String, String), String> {
    if let Some(name) = env.var(PROFILE) {
        return Ok((name, format!("from {PROFILE}")));
    }
    let path = env.home()?.join(CONFIG_FILE);
    match files::read(&path) {
        Err(_) => Ok(("default".into(), "the default".into())),
        Ok(text) => {
            let current = files::json(&text).and_then(|config| {
                files::Members::of(&config, "the top level")?.string("current_profile")
            });
            let current = current
                .map_err(|why| format!("cannot choose a profile: {}: {why}", path.display()))?;
            match current {
                name if name.is_empty() => Ok(("default".into(), "the default".into())),
                name => Ok((name, format!("current_profile of {}", path.display()))),
            }
        }
    }
}

/// The selected profile of `~/.zenlayer/credentials.json`: its token, else its key pair.
pub(super) fn from_profile(env: &Env) -> Result<ProvidedCredentials, Place> {
    let unresolved = |why: String| Place {
        what: format!("~/{CREDENTIALS_FILE}"),
        why,
    };
    let path = env.home().map_err(unresolved)?.join(CREDENTIALS_FILE);
    let (name, chosen) = profile_name(env).map_err(unresolved)?;
    let place = |why: String| Place {
        what: format!("{}, profile {name:?} ({chosen})", path.display()),
        why,
    };
    let text = files::read(&path).map_err(place)?;
    let profiles = files::json(&text).and_then(|file| {
        let members = files::Members::of(&file, "the top level")?;
        members
            .iter()
            .map(|(name, value)| Ok((name.clone(), Profile::read(name, value)?)))
            .collect::<Result<BTreeMap<_, _>, String>>()
    });
    let mut profiles = profiles.map_err(place)?;
    let known: Vec<&String> = profiles.keys().collect();
    let known = format!("{known:?}");
    let Some(profile) = profiles.remove(&name) else {
        return Err(place(format!("no such profile (it has {known})")));
    };
    if !profile.token.is_empty() {
        let token = Credentials::Bearer(Secret::new(profile.token));
        return Ok(ProvidedCredentials::permanent(token));
    }
    if profile.access_key_id.is_empty() || profile.access_key_secret.is_empty() {
        return Err(place(
            "the profile has neither a token nor both access_key_id and access_key_secret".into(),
        ));
    }
    let pair = Credentials::access_key(profile.access_key_id, profile.access_key_secret);
    Ok(ProvidedCredentials::permanent(pair))
}
