//! What one change is, and how it is graded.
//!
//! Evaluators only say *what* changed (a [`ChangeId`] on a [`Side`]); how bad that is lives
//! in one table, [`ChangeId::grade`], so that every class is graded the same way wherever it
//! is found (an input, a structure, an output) and the grading can be read in one place.

use std::collections::BTreeMap;

use serde::Serialize;

/// Who is affected: an existing request or parser (`wire`), or code written against the
/// generated crate (`api`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Does an existing request still work, does an existing parser still read the answer.
    Wire,
    /// Does code using the generated crate still compile and mean the same.
    Api,
}

/// How bad a change is, in ascending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing breaks.
    Info,
    /// Behaviour changes; existing users should look.
    Warning,
    /// Existing requests, parsers or programs stop working.
    Breaking,
}

/// A semver bump of a generated crate, in ascending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// No release needed.
    None,
    /// Documentation or behaviour within the documented contract.
    Patch,
    /// Additions.
    Minor,
    /// Removals and incompatible changes.
    Major,
}

macro_rules! names {
    ($($ty:ident { $($variant:ident => $name:literal),* })*) => {$(
        impl $ty {
            /// The name used in every output format.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),* }
            }
        }
    )*};
}

names! {
    Level { Wire => "wire", Api => "api" }
    Severity { Info => "info", Warning => "warning", Breaking => "breaking" }
    Bump { None => "none", Patch => "patch", Minor => "minor", Major => "major" }
    Side { Request => "request", Response => "response", None => "none" }
}

/// Which way the changed thing travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Sent by the client (an input, or a structure used in one).
    Request,
    /// Read by the client (an output, or a structure used in one).
    Response,
    /// Neither: the service, an action as a whole, a waiter.
    None,
}

macro_rules! change_ids {
    ($($variant:ident => $name:literal,)*) => {
        /// The change class: a stable id, the same in every output format.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
        pub enum ChangeId {
            $(#[doc = concat!("`", $name, "`")] #[serde(rename = $name)] $variant,)*
        }

        impl ChangeId {
            /// Every class, in declaration order.
            pub const ALL: &'static [ChangeId] = &[$(ChangeId::$variant,)*];

            /// The stable id, e.g. `parameter-added-required`.
            pub fn as_str(self) -> &'static str {
                match self { $(ChangeId::$variant => $name,)* }
            }

            /// The class whose id is `name`.
            pub fn parse(name: &str) -> Option<ChangeId> {
                Self::ALL.iter().copied().find(|id| id.as_str() == name)
            }
        }
    };
}

change_ids! {
    ServiceAdded => "service-added",
    ServiceRemoved => "service-removed",
    EndpointChanged => "endpoint-changed",
    ApiVersionChanged => "api-version-changed",
    ProtocolChanged => "protocol-changed",
    ActionAdded => "action-added",
    ActionRemoved => "action-removed",
    ActionKindChanged => "action-kind-changed",
    ActionDeprecated => "action-deprecated",
    PagingAdded => "paging-added",
    PagingRemoved => "paging-removed",
    PagingChanged => "paging-changed",
    FieldAddedOptional => "field-added-optional",
    FieldAddedRequired => "field-added-required",
    FieldRemoved => "field-removed",
    WireNameChanged => "wire-name-changed",
    BecameRequired => "became-required",
    BecameOptional => "became-optional",
    TypeChanged => "type-changed",
    TypeWidened => "type-widened",
    TypeNarrowed => "type-narrowed",
    DefaultChanged => "default-changed",
    ConstraintSet => "constraint-set",
    ConstraintUnset => "constraint-unset",
    ConstraintTightened => "constraint-tightened",
    ConstraintLoosened => "constraint-loosened",
    RequiredOrderChanged => "required-order-changed",
    TypeAdded => "type-added",
    TypeRemoved => "type-removed",
    EnumValueAdded => "enum-value-added",
    EnumValueRemoved => "enum-value-removed",
    ErrorCodeAdded => "error-code-added",
    ErrorCodeRemoved => "error-code-removed",
    WaiterAdded => "waiter-added",
    WaiterRemoved => "waiter-removed",
    WaiterStatesChanged => "waiter-states-changed",
    DocsChanged => "docs-changed",
    VersionNotBumped => "version-not-bumped",
}

/// The grade of one class on one side: the wire severity (none: the wire is unaffected)
/// and the API severity with the bump it needs (none: the generated API is unaffected).
pub type Grade = (Option<Severity>, Option<(Severity, Bump)>);

impl ChangeId {
    /// How bad this class is on `side`.
    ///
    /// The reasoning, by family: a request the server may now refuse is breaking on the wire
    /// (a new required parameter, a tightened request limit, a removed enum value); a
    /// response an old parser now reads less well is a warning (every output field is an
    /// `Option` and decoding never fails on a value); anything that removes or retypes a
    /// Rust item or moves a `new(…)` argument is a major bump; additions to
    /// `#[non_exhaustive]` items (fields, variants, error kinds, actions, waiters) are
    /// minor; documentation and client-side checks are patches.
    pub fn grade(self, side: Side) -> Grade {
        use Bump::{Major, Minor, Patch};
        use ChangeId::*;
        use Severity::*;
        let req = side == Side::Request;
        let (wire, api) = match self {
            ServiceAdded | ActionAdded | TypeAdded | WaiterAdded | PagingAdded => {
                (None, Some((Info, Minor)))
            }
            ServiceRemoved | ActionRemoved => (Some(Breaking), Some((Breaking, Major))),
            TypeRemoved | WaiterRemoved | PagingRemoved => (None, Some((Breaking, Major))),
            EndpointChanged => (Some(Warning), Some((Info, Patch))),
            ApiVersionChanged => (Some(Warning), Some((Warning, Minor))),
            ProtocolChanged => (Some(Breaking), Some((Warning, Minor))),
            ActionKindChanged => (None, Some((Warning, Patch))),
            // `#[deprecated]` on a method: callers still compile, with a warning (a minor
            // change, as cargo-semver-checks grades it); the request is unchanged.
            ActionDeprecated => (None, Some((Warning, Minor))),
            PagingChanged => (None, Some((Warning, Minor))),
            FieldAddedOptional => (Some(Info), Some((Info, Minor))),
            FieldAddedRequired if req => (Some(Breaking), Some((Breaking, Major))),
            FieldAddedRequired => (Some(Info), Some((Info, Minor))),
            FieldRemoved if req => (Some(Warning), Some((Breaking, Major))),
            FieldRemoved => (Some(Info), Some((Breaking, Major))),
            WireNameChanged => (Some(Breaking), None),
            BecameRequired if req => (Some(Breaking), Some((Breaking, Major))),
            BecameRequired => (Some(Info), Some((Breaking, Major))),
            BecameOptional if req => (Some(Info), Some((Breaking, Major))),
            BecameOptional => (Some(Warning), Some((Breaking, Major))),
            TypeChanged => (Some(Breaking), Some((Breaking, Major))),
            TypeWidened => (
                Some(if req { Info } else { Warning }),
                Some((Breaking, Major)),
            ),
            TypeNarrowed => (
                Some(if req { Breaking } else { Info }),
                Some((Breaking, Major)),
            ),
            DefaultChanged => (Some(if req { Warning } else { Info }), Some((Info, Patch))),
            ConstraintSet => (Some(if req { Warning } else { Info }), Some((Info, Patch))),
            ConstraintTightened => (Some(if req { Breaking } else { Info }), Some((Info, Patch))),
            ConstraintUnset | ConstraintLoosened => {
                (Some(if req { Info } else { Warning }), Some((Info, Patch)))
            }
            RequiredOrderChanged => (None, Some((Breaking, Major))),
            EnumValueAdded => (Some(Info), Some((Info, Minor))),
            EnumValueRemoved => (
                Some(if req { Breaking } else { Info }),
                Some((Breaking, Major)),
            ),
            ErrorCodeAdded => (Some(Info), Some((Info, Minor))),
            ErrorCodeRemoved => (Some(Info), Some((Breaking, Major))),
            WaiterStatesChanged => (None, Some((Warning, Minor))),
            DocsChanged => (None, Some((Info, Patch))),
            VersionNotBumped => (None, Some((Warning, Bump::None))),
        };
        (wire, api)
    }
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The change class.
    pub id: ChangeId,
    /// The generated crate.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The action, when the change is inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Where inside the action or crate, e.g. `input.RegionId` or `types.Port.Name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Wire or generated Rust API.
    pub level: Level,
    /// How bad it is at this level.
    pub severity: Severity,
    /// Which way the changed thing travels.
    pub side: Side,
    /// The semver bump this change needs (wire changes: `none`).
    pub bump: Bump,
    /// One line for people.
    pub message: String,
    /// Facts: old and new values and the like.
    pub detail: BTreeMap<String, String>,
    /// The reason from the acknowledgements file, when the change is accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<String>,
}

impl Change {
    /// The order of every report: crate, action, field, class, level.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.crate_name,
            &self.action,
            &self.field,
            self.id,
            self.level,
            &self.message,
        )
    }
}
