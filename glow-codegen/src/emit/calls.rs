//! `pub trait SocketCalls`: each pushing socket operation as a call — emit it, then wait for its
//! own `.completed` (the typed result) or `.failed` push. The socket twin of `HttpApi`.

use super::code::{Code, flat, string};
use super::events::completed_type;
use super::operations::{Named, payload_argument};
use super::typespace::TypeSpace;
use crate::ident::ident_text;
use crate::naming::{push_event, push_prefixes};

/// `SocketCalls`, one `call_<operation>` per socket operation that answers with pushes (not an
/// acknowledgement), for every [`glow_client::RunOperation`].
pub fn socket_calls(code: &mut Code, names: &[Named<'_>], space: &TypeSpace) {
    code.docs(&[
        "Each socket operation that answers with pushes, as a call: emit it and wait for its own"
            .to_owned(),
        "outcome, leaving every other push to `next_push`. Implemented for every".to_owned(),
        "[`::glow_client::RunOperation`] (such as `glow_client::Socket`).".to_owned(),
    ]);
    code.line("#[allow(dead_code)]");
    code.open("pub trait SocketCalls: ::glow_client::RunOperation {");
    for named in names {
        let operation = named.operation;
        let Some(event) = named.client_event() else {
            continue;
        };
        if operation.ack.is_some() {
            continue;
        }
        let payload = payload_argument(operation, event, space);
        let pushed: Vec<String> = push_prefixes(event, &named.rust_name)
            .iter()
            .map(|prefix| string(prefix))
            .collect();
        let completed_name = push_event(&named.rust_name, "completed");
        code.docs(&[format!(
            "Emits `{event}` and waits up to `timeout` for its `{completed_name}` push (the \
             result) or `.failed` push ([`::glow_client::Error::Failed`])."
        )]);
        let mut arguments = vec!["&self".to_owned()];
        arguments.extend(payload.parameter.clone());
        arguments.push("timeout: ::std::time::Duration".to_owned());
        code.open_list(
            &format!("fn {}(", ident_text(&format!("call_{}", named.method))),
            &arguments,
            &format!(
                ") -> ::std::result::Result<::glow_client::push::Completed<{}>, ::glow_client::Error> {{",
                completed_type(operation, space)
            ),
        );
        payload.write(code);
        code.list(
            "let completed = self.run_operation(",
            &[
                string(event),
                payload.value.clone(),
                flat("&[", &pushed, "]"),
                "timeout".to_owned(),
            ],
            ")?;",
        );
        code.line(&format!(
            "::glow_client::push::decode({}, completed)",
            string(&completed_name)
        ));
        code.close("}");
    }
    code.close("}");
    code.line("impl<T: ::glow_client::RunOperation + ?Sized> SocketCalls for T {}");
}
