//! Diagnostic codes, in one table: each variant, what it means, and its stable kebab-case name —
//! the one spelling printed, parsed (drift policies name codes) and serialised.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares [`Code`] from one table of `Variant = "kebab-name"` rows.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $name:literal,)+) => {
        /// What a diagnostic is about. Its kebab-case name is stable: tools (and drift policies)
        /// match on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable kebab-case name, e.g. `name-mismatch`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }
        }
    };
}

codes! {
    /// A file could not be parsed (syntax error, not UTF-8, binary).
    ParseError = "parse-error",
    /// A file or folder could not be read (permissions, symlink loop).
    IoError = "io-error",
    /// The registered event name differs from the one the file's path gives.
    NameMismatch = "name-mismatch",
    /// A handler file that no package `__init__.py` imports, so it never registers.
    NotImported = "not-imported",
    /// A module `x.py` next to a package `x/`: the package wins, the module never loads.
    ShadowedModule = "shadowed-module",
    /// Two registrations of the same event.
    DuplicateEvent = "duplicate-event",
    /// An event name that is not a string literal or a module-level string constant.
    DynamicName = "dynamic-name",
    /// A handler file whose place in the tree gives no `<artifact>.<op>` name.
    UnexpectedLocation = "unexpected-location",
    /// An import under the Python import root that names no module or no symbol.
    UnresolvedImport = "unresolved-import",
    /// A type annotation the Pydantic reader does not know; the field becomes any JSON.
    UnknownType = "unknown-type",
    /// Two distinct types that would get the same name.
    TypeNameCollision = "type-name-collision",
    /// A socket operation without an HTTP route.
    NoHttpTwin = "no-http-twin",
    /// An HTTP route without a socket operation.
    NoWsTwin = "no-ws-twin",
    /// The socket payload and the HTTP body of one operation disagree.
    PayloadMismatch = "payload-mismatch",
    /// A checked-in manifest that differs from what the sources give now.
    StaleManifest = "stale-manifest",
    /// An OpenAPI `$ref` that points at nothing (or outside the document).
    UnresolvedRef = "unresolved-ref",
    /// OpenAPI references that form a cycle with no object in between.
    RefCycle = "ref-cycle",
    /// An OpenAPI schema that is not a schema (wrong shape, too deep).
    InvalidSchema = "invalid-schema",
    /// Two HTTP operations that the naming rule gives the same name.
    OperationNameCollision = "operation-name-collision",
    /// A class that inherits from itself, directly or through its bases (Python refuses it).
    InheritanceCycle = "inheritance-cycle",
    /// An input past one of the reader's limits (a depth, a length, a count): what lies past
    /// it is not read, and the message names the limit.
    LimitExceeded = "limit-exceeded",
    /// A key that appears twice in one JSON object: the document is ambiguous.
    DuplicateKey = "duplicate-key",
    /// An operation in a socket.io namespace other than `/`, which the generated client does not
    /// speak to.
    UnreachableNamespace = "unreachable-namespace",
    /// A value the reader cannot follow to a constant (a constraint's bound naming something that
    /// does not resolve): what it would say is not recorded.
    UnreadableValue = "unreadable-value",
    /// A handler uses its payload in a way that tells nothing of its shape: the payload is
    /// recorded as any JSON object (or the HTTP twin's body).
    UnknownPayload = "unknown-payload",
    /// A handler (or a helper it calls) pushes an event whose name the reader cannot read:
    /// clients expect the four stages of the operation instead.
    UnreadablePush = "unreadable-push",
    /// An OpenAPI path item or operation that is not one (a number where an operation should
    /// be, an upper-case method, a parameter named twice).
    InvalidOperation = "invalid-operation",
    /// A drift policy's declaration that matches no finding: what it declares is no longer so.
    UnusedDeclaration = "unused-declaration",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no code's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a diagnostic code")]
pub struct UnknownCode(pub String);

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(name: &str) -> Result<Code, UnknownCode> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str() == name)
            .ok_or_else(|| UnknownCode(name.to_owned()))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(|_| {
            let known: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
            serde::de::Error::custom(format!(
                "unknown diagnostic code `{name}`, expected one of {}",
                known.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_code() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(*code));
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), *code);
        }
        assert_eq!(Code::NameMismatch.to_string(), "name-mismatch");
        assert!("no-such-code".parse::<Code>().is_err());
    }
}
