//! Parsing values whose JSON type the vendor's sources disagree on.
//!
//! Some fields arrive as a number in one response and as a string in another
//! (Zenlayer's `vlanId` is shown as both `1002` and `"1001"`). Fields the
//! spec marks `lenient` use [`deserialize`], which accepts either form.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Repr<T> {
    Native(T),
    Text(String),
}

/// Deserializes an optional `T` given as itself or as a string; an empty string is `None`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
    T::Err: Display,
{
    match Option::<Repr<T>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Repr::Native(value)) => Ok(Some(value)),
        Some(Repr::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(Repr::Text(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|e| D::Error::custom(format!("{text:?} is not a valid value: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Probe {
        #[serde(default, deserialize_with = "super::deserialize")]
        vlan: Option<i32>,
    }

    fn parse(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn accepts_numbers_strings_null_and_absence() {
        assert_eq!(parse(r#"{"vlan": 1002}"#).unwrap().vlan, Some(1002));
        assert_eq!(parse(r#"{"vlan": "1001"}"#).unwrap().vlan, Some(1001));
        assert_eq!(parse(r#"{"vlan": ""}"#).unwrap().vlan, None);
        assert_eq!(parse(r#"{"vlan": null}"#).unwrap().vlan, None);
        assert_eq!(parse(r#"{}"#).unwrap().vlan, None);
    }

    #[test]
    fn rejects_text_that_is_not_a_number() {
        let err = parse(r#"{"vlan": "ten"}"#).unwrap_err();
        assert!(
            err.to_string().contains("\"ten\" is not a valid value"),
            "{err}"
        );
    }
}
