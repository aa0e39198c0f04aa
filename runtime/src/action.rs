//! What every generated action type tells the runtime about itself.
//!
//! A generated input type implements [`Action`]; the runtime needs nothing
//! else to build, sign, send, retry and parse a call. Keeping this contract
//! small keeps the per-action generated code small.

use std::fmt;

use crate::decode::Decode;
use crate::error::ServiceError;
use crate::params::Params;

/// Whether repeating an action is harmless; decides which failures are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Reads state only; safe to repeat.
    Read,
    /// Changes state; repeated only when an idempotency token makes it safe.
    Write,
}

/// A request type of one API action.
pub trait Action: Params + Send + Sync + 'static {
    /// Action name as sent on the wire.
    const ACTION: &'static str;
    /// Read or write; a write unless the action says otherwise, the safe default (a
    /// write is repeated only when it carries an idempotency token). Generated reads
    /// set it, writes leave it: one constant fewer per write for rustc to build.
    const KIND: ActionKind = ActionKind::Write;
    /// The parsed success response.
    type Output: Decode + Send + 'static;
    /// The action's typed error.
    type Error: ErrorMeta;
}

/// The typed error of one action: code, message, status and request id.
///
/// Bring it into scope (each generated crate re-exports it) to call
/// [`code`](Self::code), [`message`](Self::message) and
/// [`request_id`](Self::request_id) on any action's error.
pub trait ErrorMeta: From<ServiceError> + std::error::Error + Send + Sync + 'static {
    /// Code, message, status and request id.
    fn meta(&self) -> &ServiceError;

    /// The vendor's error code.
    fn code(&self) -> &str {
        &self.meta().code
    }

    /// The vendor's message (not stable; match on the code).
    fn message(&self) -> &str {
        &self.meta().message
    }

    /// The request id, for support cases.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id.as_deref()
    }
}

/// The documented error codes of one action: a fieldless enum with a variant
/// per code and `Unhandled` for every other code.
///
/// The table is one string and one slice rather than a slice of `(code, kind)`
/// pairs and a slice of names: per action that is two constants for rustc to
/// build instead of one tuple and one name per code, a fortieth of the
/// instructions to build a generated crate (BENCHMARKS.md, "sixth round").
pub trait ErrorKind: Copy + fmt::Debug + Eq + Send + Sync + 'static {
    /// One line per documented code: the code, a space and the Rust name of
    /// its kind (what [`debug_kind`] prints); a line without a space is a code
    /// alone, printed as itself. Codes hold no line break (the generator
    /// refuses them).
    const CODES: &'static str;
    /// The kind of each line of [`CODES`](Self::CODES), in order, then the
    /// kind of any other code.
    const KINDS: &'static [Self];
    /// The kind of any other code: the last of [`KINDS`](Self::KINDS).
    const UNHANDLED: Self = Self::KINDS[Self::KINDS.len() - 1];

    /// The service-wide kinds as this kind's `Common` variant holds them; `None` where
    /// the service documents no service-wide codes (the default).
    const COMMON: Commons<Self> = None;

    /// The service-wide kind of `code` as this kind's `Common` variant; `None` for any
    /// other code, and where the service documents no service-wide codes.
    fn common(code: &str) -> Option<Self> {
        Self::COMMON.and_then(|common| common.kind(code))
    }

    /// The kind of a vendor error code: the action's own, else a service-wide
    /// one, else [`UNHANDLED`](Self::UNHANDLED).
    fn from_code(code: &str) -> Self {
        documented::<Self>()
            .find(|d| d.code == code)
            .map(|d| d.kind)
            .or_else(|| Self::common(code))
            .unwrap_or(Self::UNHANDLED)
    }
}

/// One documented code of an action, as [`documented`] reads it from the kind's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Documented<K> {
    /// The vendor's code.
    pub code: &'static str,
    /// The Rust name of its kind (the code itself where the table names none).
    pub name: &'static str,
    /// Its kind.
    pub kind: K,
}

/// The documented codes of `K`, in table order: each line of
/// [`ErrorKind::CODES`] with its kind from [`ErrorKind::KINDS`].
pub fn documented<K: ErrorKind>() -> impl Iterator<Item = Documented<K>> {
    K::CODES
        .lines()
        .zip(K::KINDS.iter().copied())
        .map(|(line, kind)| {
            let (code, name) = line.rsplit_once(' ').unwrap_or((line, line));
            Documented { code, name, kind }
        })
}

/// `Debug` of a generated error kind, written once here instead of derived on
/// each action's enum (the derive was a tenth of the instructions to build
/// alibaba-vpc): the variant's name from [`ErrorKind::CODES`], `Unhandled`,
/// `Common(…)` with the service-wide kind's `Debug` inside, or, for a kind
/// without names, its code.
pub fn debug_kind<K: ErrorKind>(kind: K, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if kind == K::UNHANDLED {
        return f.write_str("Unhandled");
    }
    if let Some(d) = documented::<K>().find(|d| d.kind == kind) {
        return f.write_str(d.name);
    }
    match K::COMMON.and_then(|common| common.debug(kind, f)) {
        Some(written) => written,
        None => f.write_str("Common"),
    }
}

/// An action's `Common` variant: the service-wide kinds' code table and the
/// variant's constructor. A generated kind names it in one constant
/// ([`ErrorKind::COMMON`]) instead of a lookup function and a `Debug` branch of
/// its own, which were a thirtieth of the instructions to build alibaba-vpc
/// (BENCHMARKS.md, "Fifth round").
#[derive(Debug)]
pub struct Common<K: 'static, C: 'static> {
    /// Each service-wide code with its kind (the generated `CommonErrorKind::CODES`).
    pub codes: &'static [(&'static str, C)],
    /// The action's `Common` variant.
    pub wrap: fn(C) -> K,
}

/// An action kind's [`ErrorKind::COMMON`]: its [`Common`], if the service has service-wide codes.
pub type Commons<K> = Option<&'static dyn CommonKinds<K>>;

/// What the runtime asks of an action's [`Common`], whatever the service-wide kind's type.
pub trait CommonKinds<K> {
    /// The kind of a service-wide `code`, wrapped; `None` for any other code.
    fn kind(&self, code: &str) -> Option<K>;
    /// Writes `Common(…)` if `kind` wraps a service-wide kind; `None` if it does not.
    fn debug(&self, kind: K, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result>;
}

impl<K: PartialEq, C: Copy + fmt::Debug> CommonKinds<K> for Common<K, C> {
    fn kind(&self, code: &str) -> Option<K> {
        kind_in(self.codes, code).map(self.wrap)
    }

    fn debug(&self, kind: K, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        let (_, common) = self.codes.iter().find(|(_, c)| (self.wrap)(*c) == kind)?;
        Some(f.debug_tuple("Common").field(common).finish())
    }
}

/// The kind `table` lists for `code`, if any: the one lookup of every code table
/// (an action's and a service's).
pub fn kind_in<K: Copy>(table: &[(&str, K)], code: &str) -> Option<K> {
    table
        .iter()
        .find(|(documented, _)| *documented == code)
        .map(|(_, kind)| *kind)
}

/// An error answer to one action: which documented code it is
/// ([`kind`](Self::kind)), plus code, message, status and request id.
///
/// One generic type serves every action, so a generated crate carries only
/// each action's [`ErrorKind`] enum, not a copy of this plumbing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError<K> {
    kind: K,
    meta: ServiceError,
}

impl<K: ErrorKind> ActionError<K> {
    /// Which documented code this is; match on it.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// Code, message, status and request id, by value.
    pub fn into_meta(self) -> ServiceError {
        self.meta
    }
}

impl<K: ErrorKind> From<ServiceError> for ActionError<K> {
    fn from(meta: ServiceError) -> Self {
        Self {
            kind: K::from_code(&meta.code),
            meta,
        }
    }
}

impl<K> fmt::Display for ActionError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl<K: fmt::Debug> std::error::Error for ActionError<K> {}

impl<K: ErrorKind> ErrorMeta for ActionError<K> {
    fn meta(&self) -> &ServiceError {
        &self.meta
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Kind {
        NotFound,
        Busy,
        Unhandled,
    }

    impl ErrorKind for Kind {
        const CODES: &'static str = "NOT_FOUND NotFound\nBUSY Busy";
        const KINDS: &'static [Self] = &[Kind::NotFound, Kind::Busy, Kind::Unhandled];
    }

    /// The service-wide table of `Kind`, as a generated `CommonErrorKind::CODES`.
    const KIND_CODES: &[(&str, Kind)] = &[("NOT_FOUND", Kind::NotFound), ("BUSY", Kind::Busy)];

    /// A kind with names, printed as the generated crates print theirs.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Named {
        NotFound,
        Busy,
        Unhandled,
    }

    impl ErrorKind for Named {
        const CODES: &'static str = "NOT_FOUND NotFound\nBUSY.NOW Busy";
        const KINDS: &'static [Self] = &[Named::NotFound, Named::Busy, Named::Unhandled];
    }

    impl fmt::Debug for Named {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_kind(*self, f)
        }
    }

    /// The same kinds without names: their codes stand in.
    #[derive(Clone, Copy, PartialEq, Eq)]
    struct Unnamed(Named);

    impl ErrorKind for Unnamed {
        const CODES: &'static str = "BUSY.NOW";
        const KINDS: &'static [Self] = &[Unnamed(Named::Busy), Unnamed(Named::Unhandled)];
    }

    impl fmt::Debug for Unnamed {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_kind(*self, f)
        }
    }

    #[test]
    fn a_kind_prints_as_its_variant_name_like_a_derive_and_unhandled_as_unhandled() {
        assert_eq!(format!("{:?}", Named::NotFound), "NotFound");
        assert_eq!(format!("{:?}", Named::Busy), "Busy");
        assert_eq!(format!("{:?}", Named::Unhandled), "Unhandled");
        assert_eq!(format!("{:?}", Unnamed(Named::Busy)), "BUSY.NOW");
        assert_eq!(format!("{:?}", Unnamed(Named::Unhandled)), "Unhandled");
    }

    /// A kind with a service-wide fallback, as generated for a service with common codes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum WithCommon {
        Busy,
        Common(Kind),
        Unhandled,
    }

    impl ErrorKind for WithCommon {
        const CODES: &'static str = "BUSY Busy";
        const KINDS: &'static [Self] = &[WithCommon::Busy, WithCommon::Unhandled];
        const COMMON: Commons<Self> = Some(&Common {
            codes: KIND_CODES,
            wrap: WithCommon::Common,
        });
    }

    #[test]
    fn a_kind_with_a_common_variant_prints_what_the_derive_prints() {
        // What `derive(Debug)` prints for `WithCommon`, plain and pretty.
        let pairs = [
            (WithCommon::Busy, "Busy Busy"),
            (
                WithCommon::Common(Kind::NotFound),
                "Common(NotFound) Common(\n    NotFound,\n)",
            ),
            (WithCommon::Unhandled, "Unhandled Unhandled"),
        ];
        for (kind, derived) in pairs {
            assert_eq!(format!("{:?} {:#?}", Shown(kind), Shown(kind)), derived);
        }
        assert_eq!(WithCommon::common("ELSE"), None);
        assert_eq!(
            WithCommon::common("NOT_FOUND"),
            Some(WithCommon::Common(Kind::NotFound))
        );
    }

    /// `Debug` through [`debug_kind`], as the generated kinds implement it.
    struct Shown(WithCommon);

    impl fmt::Debug for Shown {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_kind(self.0, f)
        }
    }

    #[test]
    fn an_actions_own_code_wins_then_the_service_wide_one_then_unhandled() {
        assert_eq!(WithCommon::from_code("BUSY"), WithCommon::Busy);
        assert_eq!(
            WithCommon::from_code("NOT_FOUND"),
            WithCommon::Common(Kind::NotFound)
        );
        assert_eq!(WithCommon::from_code("ELSE"), WithCommon::Unhandled);
    }

    #[test]
    fn the_table_gives_each_line_its_kind_and_the_last_kind_is_unhandled() {
        let rows: Vec<_> = documented::<Named>()
            .map(|d| (d.code, d.name, d.kind))
            .collect();
        assert_eq!(
            rows,
            [
                ("NOT_FOUND", "NotFound", Named::NotFound),
                ("BUSY.NOW", "Busy", Named::Busy)
            ]
        );
        assert_eq!(Named::UNHANDLED, Named::Unhandled);
        assert_eq!(Named::from_code("BUSY.NOW"), Named::Busy);
        assert_eq!(
            Named::from_code("Busy"),
            Named::Unhandled,
            "names are not codes"
        );
        assert_eq!(Named::from_code("BUSY.NOW Busy"), Named::Unhandled);
        assert_eq!(Unnamed::from_code("BUSY.NOW"), Unnamed(Named::Busy));
    }

    fn answer(code: &str) -> ServiceError {
        ServiceError {
            code: code.into(),
            message: "m".into(),
            status: 409,
            request_id: Some("R-9".into()),
        }
    }

    #[test]
    fn documented_codes_get_their_kind_and_others_are_unhandled() {
        let busy = ActionError::<Kind>::from(answer("BUSY"));
        assert_eq!(busy.kind(), Kind::Busy);
        assert_eq!(
            ActionError::<Kind>::from(answer("NOT_FOUND")).kind(),
            Kind::NotFound
        );
        let other = ActionError::<Kind>::from(answer("not_found"));
        assert_eq!(other.kind(), Kind::Unhandled, "codes match exactly");
        assert_eq!(other.code(), "not_found");
        assert_eq!(other.request_id(), Some("R-9"));
        assert_eq!(busy.to_string(), "BUSY (HTTP 409): m [request id R-9]");
        assert_eq!(busy.into_meta().status, 409);
    }
}
