//! Bindings for part of an API: the operations a client uses, and only the types they reach, so
//! that a client calling twenty operations compiles twenty operations' worth of code.
//!
//! A pattern is a glob over an operation's name (or its registered event): `persona.*`,
//! `attempt.chat_*`, `repos/get`. Every pattern must match an operation: a typo is an error,
//! never a silently smaller client.
//!
//! ```
//! use glow_codegen::filter::OperationFilter;
//! # let api = glow_codegen::manifest::from_yaml("manifest_version: 1\noperations: []\ntypes: {}\n", "m.yaml")?;
//! let only = OperationFilter::new(["persona.*"])?;
//! assert!(only.apply(&api).is_err(), "no operation is called `persona.*`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use globset::{Glob, GlobMatcher};

use crate::model::{Api, Operation};

/// Which operations to generate.
#[derive(Debug, Clone)]
pub struct OperationFilter {
    patterns: Vec<(String, GlobMatcher)>,
}

/// A filter that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// A pattern is not a glob.
    #[error("`{pattern}` is not an operation pattern: {message}")]
    Invalid {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// A pattern matches no operation.
    #[error("`{pattern}` matches no operation (the manifest has {count}, e.g. `{example}`)")]
    Unmatched {
        /// The pattern.
        pattern: String,
        /// How many operations the manifest has.
        count: usize,
        /// One of them, to show how they are named.
        example: String,
    },
}

impl OperationFilter {
    /// A filter keeping the operations any of `patterns` matches.
    pub fn new<I, S>(patterns: I) -> Result<Self, FilterError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let patterns = patterns
            .into_iter()
            .map(|pattern| {
                let pattern = pattern.as_ref();
                Glob::new(pattern)
                    .map(|glob| (pattern.to_owned(), glob.compile_matcher()))
                    .map_err(|error| FilterError::Invalid {
                        pattern: pattern.to_owned(),
                        message: error.kind().to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(OperationFilter { patterns })
    }

    fn matches(&self, pattern: &GlobMatcher, operation: &Operation) -> bool {
        pattern.is_match(&operation.name)
            || operation
                .event
                .as_deref()
                .is_some_and(|event| pattern.is_match(event))
    }

    /// `api` with the matching operations, the types they reach (and those of its frame
    /// protocols), and everything else as it was.
    pub fn apply(&self, api: &Api) -> Result<Api, FilterError> {
        for (pattern, matcher) in &self.patterns {
            if !api.operations.iter().any(|o| self.matches(matcher, o)) {
                return Err(FilterError::Unmatched {
                    pattern: pattern.clone(),
                    count: api.operations.len(),
                    example: api
                        .operations
                        .first()
                        .map_or_else(String::new, |o| o.name.clone()),
                });
            }
        }
        let operations: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| self.patterns.iter().any(|(_, m)| self.matches(m, o)))
            .collect();
        let mut roots: Vec<&str> = Vec::new();
        for operation in &operations {
            roots.extend(operation.sent_types());
            roots.extend(operation.received_types());
        }
        for protocol in &api.protocols {
            for frames in [&protocol.client, &protocol.server] {
                roots.extend(frames.frames.values().map(String::as_str));
            }
        }
        let kept = api.reachable(roots);
        Ok(Api {
            operations: operations.into_iter().cloned().collect(),
            protocols: api.protocols.clone(),
            types: api
                .types
                .iter()
                .filter(|(name, _)| kept.contains(name.as_str()))
                .map(|(name, schema)| (name.clone(), schema.clone()))
                .collect(),
            auth: api.auth.clone(),
        })
    }
}
