//! Action groups (one Cargo feature each) from the metadata's `directories`.
//!
//! A user who needs Express Connect should compile only that, so every action
//! belongs to the group of the top-level directory it is filed under: the
//! title in kebab-case (`Physical connection` → `physical-connection`, `VBR`
//! → `vbr`). Nested directories belong to their top-level one (`Nat Gateways`
//! and `SNAT Rule` under `NAT` are both `nat`), because the vendor nests
//! sub-topics of one product there and a feature per sub-topic would split
//! actions that share types. An action filed nowhere has no group.

use std::collections::BTreeMap;

use super::meta::{Child, Directory, Metadata};

/// Group of every action filed in a directory, by action name.
pub fn by_action(metadata: &Metadata) -> BTreeMap<String, String> {
    let mut groups = BTreeMap::new();
    for top in &metadata.directories {
        let group = kebab(&top.title);
        if group.is_empty() {
            continue;
        }
        file_under(top, &group, &mut groups);
    }
    groups
}

fn file_under(d: &Directory, group: &str, groups: &mut BTreeMap<String, String>) {
    for child in &d.children {
        match child {
            Child::Action(a) => {
                groups.entry(a.clone()).or_insert_with(|| group.to_owned());
            }
            Child::Directory(sub) => file_under(sub, group, groups),
        }
    }
}

/// `title` in lower-case ASCII words joined by `-`; other characters separate words.
pub fn kebab(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_kebab_case() {
        assert_eq!(kebab("Physical connection"), "physical-connection");
        assert_eq!(kebab("VBR"), "vbr");
        assert_eq!(
            kebab("SSL-VPN client certificate"),
            "ssl-vpn-client-certificate"
        );
        assert_eq!(kebab("IPv6 gateway"), "ipv6-gateway");
        assert_eq!(kebab("专线"), "");
    }

    #[test]
    fn nested_directories_belong_to_the_top_level_group() {
        let metadata: Metadata = serde_json::from_str(
            r#"{"info": {"style": "RPC", "product": "Demo", "version": "1"}, "apis": {},
                "directories": [{"title": "NAT", "children": ["A",
                    {"title": "SNAT Rule", "children": ["B", {"title": "Deep", "children": ["C"]}]}]},
                  {"title": "VBR", "children": ["D", "A"]}]}"#,
        )
        .unwrap();
        let groups = by_action(&metadata);
        let got: Vec<(&str, &str)> = groups
            .iter()
            .map(|(a, g)| (a.as_str(), g.as_str()))
            .collect();
        assert_eq!(
            got,
            [("A", "nat"), ("B", "nat"), ("C", "nat"), ("D", "vbr")]
        );
    }
}
