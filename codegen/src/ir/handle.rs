//! Typed references between IR items.
//!
//! A reference in the spec is a name; validation checks that it names an
//! item, and once the IR's vectors are sorted it resolves the name to the
//! item's index (typify's `TypeId` into its `TypeSpace`): the records,
//! read actions and resources of lifecycles and pagings, and every structure
//! and enum a field's [`Type`] names, nested in lists and maps too. The
//! emitters then follow the index instead of searching by name, and a handle
//! that does not lead to its item (an IR built or filtered by hand) is an
//! error they report, never a silent skip. The name stays beside the index:
//! it is what diagnostics, docs and the IR snapshot show.

use std::fmt;
use std::marker::PhantomData;

use super::{Action, Enum, Resource, Service, Struct, Type};

/// A resolved reference to an item of kind `T`: its name, and its index in
/// the service's vector of `T` once validation has resolved it.
pub struct Handle<T> {
    name: String,
    index: Option<usize>,
    kind: PhantomData<fn() -> T>,
}

/// A structure in [`Service::structs`].
pub type StructId = Handle<Struct>;
/// An enum in [`Service::enums`].
pub type EnumId = Handle<Enum>;
/// An action in [`Service::actions`].
pub type ActionId = Handle<Action>;
/// A resource in [`Service::resources`].
pub type ResourceId = Handle<Resource>;

/// An IR item a handle can refer to: it has a name unique among its kind.
pub trait Named {
    /// The item's name (its vector is sorted by it).
    fn name(&self) -> &str;
}

impl Named for Struct {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Enum {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Action {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Resource {
    fn name(&self) -> &str {
        &self.name
    }
}

impl<T: Named> Handle<T> {
    /// Points the handle at its item in `items` (sorted by name); false when no item has the name.
    pub(crate) fn resolve(&mut self, items: &[T]) -> bool {
        self.index = items
            .binary_search_by(|item| item.name().cmp(&self.name))
            .ok();
        self.index.is_some()
    }

    /// The item the handle leads to, if it is the one named.
    fn get<'s>(&self, items: &'s [T]) -> Option<&'s T> {
        let item = items.get(self.index?)?;
        (item.name() == self.name).then_some(item)
    }
}

impl<T> Handle<T> {
    /// A reference by name, not yet resolved (validation resolves it).
    pub(crate) fn named(name: impl Into<String>) -> Self {
        Handle {
            name: name.into(),
            index: None,
            kind: PhantomData,
        }
    }

    /// The referenced item's name.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl Service {
    /// The structure `id` refers to; `None` only for a handle this IR did not resolve.
    pub fn struct_of(&self, id: &StructId) -> Option<&Struct> {
        id.get(&self.structs)
    }

    /// The enum `id` refers to; `None` only for a handle this IR did not resolve.
    pub fn enum_of(&self, id: &EnumId) -> Option<&Enum> {
        id.get(&self.enums)
    }

    /// The action `id` refers to; `None` only for a handle this IR did not resolve.
    pub fn action_of(&self, id: &ActionId) -> Option<&Action> {
        id.get(&self.actions)
    }

    /// The resource `id` refers to; `None` only for a handle this IR did not resolve.
    pub fn resource_of(&self, id: &ResourceId) -> Option<&Resource> {
        id.get(&self.resources)
    }
}

impl Type {
    /// Points the structure and enum handles in the type (through lists and
    /// maps) at their items; false when one names no item.
    pub(crate) fn resolve(&mut self, structs: &[Struct], enums: &[Enum]) -> bool {
        match self {
            Type::List(item) | Type::Map(item) => item.resolve(structs, enums),
            Type::Struct(id) => id.resolve(structs),
            Type::Enum(id) => id.resolve(enums),
            Type::String | Type::Integer | Type::Long | Type::Float | Type::Boolean => true,
        }
    }
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Handle {
            name: self.name.clone(),
            index: self.index,
            kind: PhantomData,
        }
    }
}

/// Shown as the name alone: the index is an artefact of sorting, and the IR
/// snapshot should change only when the spec does.
impl<T> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.name, f)
    }
}

impl<T> fmt::Display for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl<T> std::ops::Deref for Handle<T> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.name
    }
}

impl<T> PartialEq for Handle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Handle<T> {}

impl<T> PartialEq<str> for Handle<T> {
    fn eq(&self, other: &str) -> bool {
        self.name == other
    }
}

impl<T> PartialEq<String> for Handle<T> {
    fn eq(&self, other: &String) -> bool {
        &self.name == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Struct {
        Struct {
            name: name.to_string(),
            description: crate::model::Text::Plain(String::new()),
            fields: Vec::new(),
        }
    }

    #[test]
    fn a_handle_leads_to_its_item_only_once_resolved_and_while_the_name_matches() {
        let structs = vec![named("A"), named("B")];
        let mut id: StructId = Handle::named("B");
        assert!(id.get(&structs).is_none(), "unresolved");
        assert!(id.resolve(&structs));
        assert_eq!(id.get(&structs).map(|s| s.name.as_str()), Some("B"));
        let filtered = vec![named("B")];
        assert!(id.get(&filtered).is_none(), "index 1 is out of range");
        let mut missing: StructId = Handle::named("C");
        assert!(!missing.resolve(&structs));
        assert_eq!(format!("{id:?}"), "\"B\"");
    }

    #[test]
    fn a_type_resolves_the_structures_and_enums_nested_in_lists_and_maps() {
        let structs = vec![named("A"), named("B")];
        let enums = vec![Enum {
            name: "E".to_string(),
            description: crate::model::Text::Plain(String::new()),
            note: None,
            values: Vec::new(),
        }];
        let list = |t| Type::List(Box::new(t));
        let mut ty = list(Type::Map(Box::new(Type::Struct(Handle::named("B")))));
        assert!(ty.resolve(&structs, &enums));
        let Type::List(map) = &ty else {
            panic!("{ty:?}")
        };
        let Type::Map(item) = map.as_ref() else {
            panic!("{map:?}")
        };
        let Type::Struct(id) = item.as_ref() else {
            panic!("{item:?}")
        };
        assert_eq!(id.get(&structs).map(|s| s.name.as_str()), Some("B"));
        let mut e = list(Type::Enum(Handle::named("E")));
        assert!(e.resolve(&structs, &enums));
        assert!(!list(Type::Enum(Handle::named("B"))).resolve(&structs, &enums));
    }
}
