//! The bearer token: sent as the server expects, and never printed.

/// A bearer token. Its `Debug` form hides it, so that builders, sockets and errors holding it can
/// be printed and logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Bearer(String);

impl Bearer {
    /// The token given as it is, or with its `Bearer ` prefix (which is not doubled).
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        let bare = match token.get(..7) {
            Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => token[7..].trim_start(),
            _ => token.as_str(),
        };
        Bearer(bare.to_owned())
    }

    /// `Bearer <token>`: the `Authorization` header's value, and the socket.io `auth.token`.
    pub fn header_value(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for Bearer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bearer(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefixed_token_is_not_doubled() {
        assert_eq!(Bearer::new("abc").header_value(), "Bearer abc");
        assert_eq!(Bearer::new("Bearer abc").header_value(), "Bearer abc");
        assert_eq!(Bearer::new("bearer  abc").header_value(), "Bearer abc");
    }

    #[test]
    fn debug_hides_the_token() {
        assert_eq!(format!("{:?}", Bearer::new("s3cret")), "Bearer(<redacted>)");
    }
}
