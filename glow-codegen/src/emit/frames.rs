//! Tagged-frame protocols: one enum per direction (`ClientMessage`, `ServerMessage`), a variant
//! per tag value holding the frame's struct, and `Other` for a tag the manifest does not name —
//! so that a peer newer than the manifest never breaks the decoding of the rest of a stream.

use super::code::{Code, string};
use super::render::ty_text_outside;
use super::typespace::{Ty, TypeSpace};
use crate::ident::{Scope, ident_text, type_name};
use crate::model::{FrameProtocol, Frames};

/// The frame enums of every protocol.
pub fn frame_enums(code: &mut Code, protocols: &[FrameProtocol], space: &TypeSpace) {
    for protocol in protocols {
        for (direction, frames) in [
            ("the client sends", &protocol.client),
            ("the server sends", &protocol.server),
        ] {
            frame_enum(code, protocol, direction, frames, space);
        }
    }
}

/// The `Serialize` and `Deserialize` impls of a frame enum, after its per-tag arms: `$enum` is
/// the enum, `$tag` the tag's name as a string literal, `$serialize` and `$deserialize` the arms.
const FRAME_SERDE: &str = r#"impl ::glow_client::serde::Serialize for $enum {
    fn serialize<S: ::glow_client::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        let (tag, body) = match self {
$serialize
            Self::Other { frame, .. } => {
                return ::glow_client::serde::Serialize::serialize(frame, serializer);
            }
        };
        let mut body = body.map_err(<S::Error as ::glow_client::serde::ser::Error>::custom)?;
        if let ::std::option::Option::Some(object) = body.as_object_mut() {
            object.insert($tag.to_owned(), tag.into());
        }
        ::glow_client::serde::Serialize::serialize(&body, serializer)
    }
}
impl<'de> ::glow_client::serde::Deserialize<'de> for $enum {
    fn deserialize<D: ::glow_client::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        use ::glow_client::serde::de::Error as _;
        let frame: ::glow_client::serde_json::Value =
            ::glow_client::serde::Deserialize::deserialize(deserializer)?;
        let tag = match frame.get($tag).and_then(|tag| tag.as_str()) {
            ::std::option::Option::Some(tag) => tag.to_owned(),
            ::std::option::Option::None => {
                return ::std::result::Result::Err(D::Error::custom(::std::concat!(
                    "a frame without a string `",
                    $tag,
                    "`",
                )));
            }
        };
        fn decode<
            T: ::glow_client::serde::de::DeserializeOwned,
            E: ::glow_client::serde::de::Error,
        >(
            mut frame: ::glow_client::serde_json::Value,
        ) -> ::std::result::Result<T, E> {
            if let ::std::option::Option::Some(object) = frame.as_object_mut() {
                object.remove($tag);
            }
            ::glow_client::serde_json::from_value(frame).map_err(E::custom)
        }
        ::std::result::Result::Ok(match tag.as_str() {
$deserialize
            _ => Self::Other { tag, frame },
        })
    }
}"#;

fn frame_enum(
    code: &mut Code,
    protocol: &FrameProtocol,
    direction: &str,
    frames: &Frames,
    space: &TypeSpace,
) {
    let name = ident_text(&type_name(&frames.enum_name)).into_owned();
    let tag = frames.tag.as_str();
    let mut scope = Scope::with_taken(["Other"]);
    // (variant, tag value, frame type)
    let rows: Vec<(String, &str, String)> = frames
        .frames
        .iter()
        .filter_map(|(value, type_name_)| {
            let rust = space.rust_name(type_name_)?;
            let variant = ident_text(&scope.claim(&type_name(value))).into_owned();
            Some((
                variant,
                value.as_str(),
                ty_text_outside(&Ty::Named(rust.to_owned())),
            ))
        })
        .collect();
    let version = protocol
        .version
        .map(|v| format!(" v{v}"))
        .unwrap_or_default();
    code.docs(&[format!(
        "A frame {direction} in the `{}`{version} protocol: a JSON object tagged by `{tag}`. A \
         tag this manifest does not name decodes as [`{}::Other`], the frame kept as it came.",
        protocol.name, frames.enum_name
    )]);
    code.line("#[derive(Debug, Clone, PartialEq)]");
    code.line("#[allow(dead_code)]");
    code.open(&format!("pub enum {name} {{"));
    for (variant, value, ty) in &rows {
        code.docs(&[format!("`{{\"{tag}\": \"{value}\", ...}}`")]);
        code.line(&format!("{variant}({ty}),"));
    }
    super::other_variant(
        code,
        "A frame whose tag this manifest does not name, as it came.",
        ("tag", "The tag's value."),
        ("frame", "The whole frame."),
    );
    code.close("}");
    code.line("#[allow(dead_code)]");
    code.open(&format!("impl {name} {{"));
    code.docs(&["Every tag value this manifest names.".to_owned()]);
    let tags: Vec<String> = rows.iter().map(|(_, value, _)| string(value)).collect();
    code.list("pub const TAGS: &'static [&'static str] = &[", &tags, "];");
    code.docs(&["The frame's tag value.".to_owned()]);
    code.open("pub fn tag(&self) -> &str {");
    code.open("match self {");
    for (variant, value, _) in &rows {
        code.line(&format!("Self::{variant}(_) => {},", string(value)));
    }
    code.line("Self::Other { tag, .. } => tag,");
    code.close("}");
    code.close("}");
    code.close("}");
    let arms = |arm: &dyn Fn(&str, &str) -> String| -> String {
        let mut arms = Code::new(3);
        for (variant, value, _) in &rows {
            arms.line(&arm(variant, &string(value)));
        }
        arms.finish().trim_end_matches('\n').to_owned()
    };
    let serialize = arms(&|variant, value| {
        format!("Self::{variant}(frame) => ({value}, ::glow_client::serde_json::to_value(frame)),")
    });
    let deserialize =
        arms(&|variant, value| format!("{value} => Self::{variant}(decode(frame)?),"));
    let impls = FRAME_SERDE
        .replace("$enum", &name)
        .replace("$tag", &string(tag))
        .replace("$serialize\n", &with_newline(&serialize))
        .replace("$deserialize\n", &with_newline(&deserialize));
    code.line(&impls);
}

/// `text` and a line break, or nothing for no text.
fn with_newline(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n")
    }
}
