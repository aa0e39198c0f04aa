//! The variables a chain reads, injectable so tests never touch the process
//! environment or the real home directory.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Every variable the credential chains and `Config::from_env` read.
pub const VARIABLES: &[&str] = &[
    "HOME",
    "USERPROFILE",
    "ZENLAYER_TOKEN",
    "ZENLAYER_ACCESS_KEY_ID",
    "ZENLAYER_ACCESS_KEY_SECRET",
    "ZENLAYER_ENDPOINT",
    "ZENLAYER_PROFILE",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABA_CLOUD_ENDPOINT",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CONFIG_FILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
];

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where variables are read from: the process environment, or a function.
///
/// An empty value counts as unset. `Debug` never shows values (they can be secrets).
#[derive(Clone)]
pub struct Env {
    lookup: Arc<Lookup>,
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env")
    }
}

impl Env {
    /// The process environment, read whenever a variable is needed.
    pub fn process() -> Self {
        Env::from_fn(|name| std::env::var(name).ok())
    }

    /// Variables answered by `lookup`.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Env {
            lookup: Arc::new(lookup),
        }
    }

    /// Exactly these variables (tests: a home directory and a profile, say).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let kept: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env::from_fn(move |name| kept.get(name).cloned())
    }

    /// The [`VARIABLES`] as `lookup` answers them now, kept.
    pub fn snapshot(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let kept: HashMap<&'static str, String> = VARIABLES
            .iter()
            .filter_map(|name| lookup(name).map(|value| (*name, value)))
            .collect();
        Env::from_fn(move |name| kept.get(name).cloned())
    }

    /// A variable's value; `None` when unset or empty.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.is_empty())
    }

    /// Both variables of a key pair, or why not: `not set`, or which one is missing.
    pub(crate) fn pair(&self, id: &str, secret: &str) -> Result<(String, String), String> {
        match (self.var(id), self.var(secret)) {
            (Some(id), Some(secret)) => Ok((id, secret)),
            (Some(_), None) => Err(format!("{id} is set but {secret} is not")),
            (None, Some(_)) => Err(format!("{secret} is set but {id} is not")),
            (None, None) => Err("not set".into()),
        }
    }

    /// The home directory: `USERPROFILE` on Windows, `HOME` elsewhere.
    pub(crate) fn home(&self) -> Result<PathBuf, String> {
        let name = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
        self.var(name)
            .map(PathBuf::from)
            .ok_or_else(|| format!("no home directory ({name} is not set)"))
    }

    /// The file named by `variable`, else `relative` under the home directory,
    /// with how it was chosen, for [`super::Place::what`].
    pub(crate) fn file(&self, variable: &str, relative: &str) -> Result<(PathBuf, String), String> {
        if let Some(path) = self.var(variable) {
            let shown = format!("{path} (from {variable})");
            return Ok((PathBuf::from(path), shown));
        }
        let path = self.home()?.join(relative);
        let shown = path.display().to_string();
        Ok((path, shown))
    }
}
