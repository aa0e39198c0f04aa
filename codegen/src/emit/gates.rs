//! Cargo features per action group: the `#[cfg]` each generated item gets.
//!
//! A whole vendor API is hundreds of actions; a user who needs one family
//! should compile only that family. So an action with a `group` compiles
//! only with the feature of that name (all are on by default): its operation
//! module, client method, paginator and wire tests, the waiters that read
//! through it, and every shared type that only grouped actions use
//! (`#[cfg(any(feature = "a", …))]` over their groups). Ungrouped actions,
//! and types an ungrouped action uses or no action uses, are always compiled.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir;

/// The features an item needs: `None` when it is always compiled.
type Gate = Option<BTreeSet<String>>;

/// `#[cfg(feature = …)]` of an action's own items; nothing for an ungrouped action.
pub fn action_cfg(action: &ir::Action) -> Option<TokenStream> {
    let group = action.group.as_ref()?;
    Some(quote!(#[cfg(feature = #group)]))
}

/// `#[cfg]` of an item that any of `actions` needs (shared imports, helpers):
/// nothing when one of them is ungrouped.
pub fn any_action_cfg(actions: &[&ir::Action]) -> Option<TokenStream> {
    let groups: Option<BTreeSet<String>> = actions.iter().map(|a| a.group.clone()).collect();
    cfg(&groups)
}

/// `#[cfg]` needing any of `groups`; nothing when the item is always compiled.
fn cfg(gate: &Gate) -> Option<TokenStream> {
    let groups: Vec<&String> = gate.as_ref()?.iter().collect();
    match groups.as_slice() {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// Puts `cfg` on every item of `items` (an enum with its impls, say).
pub fn gated(cfg: Option<&TokenStream>, items: TokenStream) -> TokenStream {
    let Some(cfg) = cfg else {
        return items;
    };
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!(#(#cfg #items)*)
        }
        // Not items: left as they are, and the emitter's own parse reports them.
        Err(_) => items,
    }
}

/// The gate of every shared type some action uses.
pub struct TypeGates {
    gates: BTreeMap<String, Gate>,
}

impl TypeGates {
    /// Which actions reach each structure and enum, through their inputs and
    /// outputs (nested structures included).
    pub fn new(service: &ir::Service) -> Result<Self, super::EmitError> {
        let mut gates: BTreeMap<String, Gate> = BTreeMap::new();
        for action in &service.actions {
            let mut reached = BTreeSet::new();
            let owner = format!("action `{}`", action.name);
            for fields in [&action.input, &action.output] {
                super::named_types(service, fields, &owner, &mut reached)?;
            }
            for name in reached {
                let gate = gates.entry(name).or_insert_with(|| Some(BTreeSet::new()));
                match (&action.group, gate.as_mut()) {
                    (Some(group), Some(groups)) => {
                        groups.insert(group.clone());
                    }
                    (None, _) => *gate = None,
                    (Some(_), None) => {}
                }
            }
        }
        Ok(TypeGates { gates })
    }

    /// The groups any of which the structure or enum `name` needs; `None` when it is
    /// always compiled.
    pub fn groups(&self, name: &str) -> Option<&BTreeSet<String>> {
        self.gates.get(name)?.as_ref()
    }

    /// `#[cfg]` of the structure or enum `name`; nothing when always compiled.
    pub fn cfg(&self, name: &str) -> Option<TokenStream> {
        cfg(self.gates.get(name)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_group_is_a_feature_several_are_any_and_none_is_always() {
        assert_eq!(cfg(&None).map(|t| t.to_string()), None);
        let one = Some(BTreeSet::from(["vbr".to_string()]));
        assert_eq!(
            cfg(&one).unwrap().to_string(),
            quote!(#[cfg(feature = "vbr")]).to_string()
        );
        let two = Some(BTreeSet::from(["vbr".to_string(), "eip".to_string()]));
        assert_eq!(
            cfg(&two).unwrap().to_string(),
            quote!(#[cfg(any(feature = "eip", feature = "vbr"))]).to_string()
        );
    }

    #[test]
    fn a_type_is_gated_by_the_groups_of_the_actions_using_it() {
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/spec/kitchen-sink"
        );
        let loaded = crate::load::load_service(std::path::Path::new(spec)).expect("loads");
        let service = crate::validate::validate(&loaded).expect("valid");
        let gates = TypeGates::new(&service).expect("a resolved IR");
        let cfg = |name: &str| gates.cfg(name).map(|t| t.to_string());
        let one = quote!(#[cfg(feature = "gadgets")]).to_string();
        let any = quote!(#[cfg(any(feature = "making", feature = "widgets"))]).to_string();
        // Only ListGadgets (`gadgets`) uses these, the enum through the structure.
        assert_eq!(cfg("Gadget"), Some(one.clone()));
        assert_eq!(cfg("GadgetStatus"), Some(one));
        // MakeWidget (`making`) sends widgets, DescribeWidgets (`widgets`) lists them.
        assert_eq!(cfg("Widget"), Some(any.clone()));
        assert_eq!(cfg("Colour"), Some(any));
        assert_eq!(cfg("NoSuchType"), None, "unused types are always compiled");
    }

    #[test]
    fn gated_marks_every_item() {
        let cfg = quote!(#[cfg(feature = "eip")]);
        let out = gated(Some(&cfg), quote!(struct A; impl A {}));
        assert_eq!(
            out.to_string(),
            quote!(
                #[cfg(feature = "eip")]
                struct A;
                #[cfg(feature = "eip")]
                impl A {}
            )
            .to_string()
        );
    }
}
