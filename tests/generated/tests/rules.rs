//! How each mapping rule behaves at run time (`manifests/rules.yaml`, expanded by `bindings!`).

use std::cell::RefCell;

use glow_client::serde_json::{self, Value, json};
use glow_client::{Call, Error, HttpRequest, HttpResponse};
use glow_generated::rules::HttpApi;
use glow_generated::rules::types::*;

fn parse<T: glow_client::serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn write<T: glow_client::serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[test]
fn all_optional_object_has_a_default_with_the_recorded_defaults() {
    let plain = Plain::default();
    assert_eq!(
        (plain.count, plain.ratio, plain.name.as_deref(), plain.flag),
        (3, 0.5, None, None)
    );
    assert_eq!(
        write(&plain),
        json!({"count": 3, "ratio": 0.5}),
        "unset options are left out"
    );
    assert_eq!(parse::<Plain>(json!({})).unwrap(), plain);
}

#[test]
fn keywords_and_non_identifiers_are_renamed_on_the_wire() {
    let fields: Fields =
        parse(json!({"type": "t", "@id": "x", "self": 1, "2fa": true, "nullable_required": null}))
            .unwrap();
    assert_eq!(fields.r#type, "t");
    assert_eq!(fields.id, "x");
    assert_eq!(fields.self_, 1);
    assert_eq!(fields._2fa, Some(true));
    assert_eq!(fields.color, Color::InProgress, "an enum default");
    assert_eq!(fields.tags, ["a", "b"], "an array default");
    assert_eq!(fields.level, Level::V2, "an integer enum default");
    let written = write(&fields);
    assert_eq!(written["@id"], json!("x"));
    assert_eq!(written["type"], json!("t"));
    assert_eq!(
        written["nullable_required"],
        Value::Null,
        "nullable and required: written even when null"
    );
    assert!(
        written.get("optional_nullable").is_none(),
        "optional: left out when unset"
    );
}

#[test]
fn nullable_but_required_must_be_present() {
    let error = parse::<Fields>(json!({"type": "t", "@id": "x", "self": 1})).unwrap_err();
    assert!(
        error.contains("missing field `nullable_required`"),
        "{error}"
    );
}

#[test]
fn string_enum_has_display_and_from_str() {
    assert_eq!(Color::InProgress.to_string(), "in-progress");
    assert_eq!("blue".parse::<Color>(), Ok(Color::Blue));
    assert_eq!(
        "green".parse::<Color>(),
        Err("unknown Color value `green`".to_owned())
    );
    assert_eq!(write(&Color::Red), json!("red"));
    assert!(parse::<Color>(json!("green")).is_err());
}

#[test]
fn integer_enum_reads_and_writes_numbers() {
    assert_eq!(parse::<Level>(json!(3)).unwrap(), Level::V3);
    assert_eq!(write(&Level::V1), json!(1));
    assert!(
        parse::<Level>(json!(4))
            .unwrap_err()
            .contains("unknown Level value 4")
    );
}

#[test]
fn single_constant_is_a_unit_tag() {
    assert_eq!(parse::<Version>(json!("v1")).unwrap(), Version);
    assert_eq!(write(&Version), json!("v1"));
    assert!(
        parse::<Version>(json!("v2"))
            .unwrap_err()
            .contains("expected \"v1\"")
    );
}

#[test]
fn discriminated_union_is_internally_tagged() {
    let cat: Pet = parse(json!({"kind": "cat", "meow": true})).unwrap();
    assert_eq!(cat, Pet::Cat { meow: true });
    let dog: Pet = parse(json!({"kind": "dog", "bark": 2})).unwrap();
    assert_eq!(dog, Pet::Dog { bark: Some(2) });
    assert_eq!(write(&dog), json!({"kind": "dog", "bark": 2}));
    // A dog that looks like a cat is still a dog: the tag decides, not the first match.
    assert_eq!(
        parse::<Pet>(json!({"kind": "dog", "meow": true})).unwrap(),
        Pet::Dog { bark: None }
    );
    assert!(parse::<Pet>(json!({"kind": "cow"})).is_err());
}

#[test]
fn union_with_a_constant_property_in_every_member_is_tagged_by_it() {
    let circle: Shape = parse(json!({"type": "circle", "radius": 1.5})).unwrap();
    assert_eq!(circle, Shape::Circle { radius: 1.5 });
    assert_eq!(
        write(&Shape::Square { side: 2.0 }),
        json!({"type": "square", "side": 2.0})
    );
}

#[test]
fn untagged_union_tries_the_most_specific_member_first() {
    assert_eq!(
        parse::<Loose>(json!({"kind": "cat", "meow": false})).unwrap(),
        Loose::Cat(Cat {
            kind: CatKind,
            meow: false
        })
    );
    assert_eq!(
        parse::<Loose>(json!(["a"])).unwrap(),
        Loose::StringList(vec!["a".into()])
    );
    assert_eq!(
        parse::<Loose>(json!(7)).unwrap(),
        Loose::Integer(7),
        "an integer before a number"
    );
    assert_eq!(parse::<Loose>(json!(7.5)).unwrap(), Loose::Number(7.5));
    assert_eq!(
        parse::<Loose>(json!("x")).unwrap(),
        Loose::String("x".into())
    );
}

#[test]
fn t_or_null_is_an_option() {
    let none: MaybeCat = parse(json!(null)).unwrap();
    assert_eq!(none, None);
    let some: MaybeCat = parse(json!({"kind": "cat", "meow": true})).unwrap();
    assert!(some.is_some());
}

#[test]
fn recursive_type_is_boxed() {
    let node: Node =
        parse(json!({"value": 1, "next": {"value": 2, "children": [{"value": 3}]}})).unwrap();
    let next: &Node = node.next.as_deref().expect("a next node");
    assert_eq!(next.value, 2);
    assert_eq!(next.children.as_ref().map(|c| c[0].value), Some(3));
}

#[test]
fn additional_properties_become_maps_and_flatten_beside_properties() {
    let labels: Labels = parse(json!({"a": "x", "b": "y"})).unwrap();
    assert_eq!(labels.get("b").map(String::as_str), Some("y"));
    let mixed: Mixed = parse(json!({"id": "m", "retries": 3, "depth": 2})).unwrap();
    assert_eq!(mixed.id, "m");
    assert_eq!(mixed.additional_properties.get("retries"), Some(&3));
    assert_eq!(write(&mixed), json!({"id": "m", "retries": 3, "depth": 2}));
}

#[test]
fn formats_map_to_proper_types() {
    let formats: Formats = parse(json!({
        "id": "6f1c3b1e-8f7a-4c1b-9d1e-2a3b4c5d6e7f", "at": "2026-11-22T01:28:00Z", "day": "2026-11-22",
        "big": 9007199254740993i64, "small": 7, "email": "a@b.c", "blob": "AAEC", "pair": ["x", 2], "anything": [1, {"a": null}]
    }))
    .unwrap();
    let _: glow_client::uuid::Uuid = formats.id;
    let _: glow_client::chrono::DateTime<glow_client::chrono::Utc> = formats.at;
    assert_eq!(formats.day.to_string(), "2026-11-22");
    assert_eq!(formats.big, 9007199254740993);
    let _: i32 = formats.small;
    assert_eq!(formats.pair, ("x".to_owned(), 2));
    assert_eq!(formats.anything, Some(json!([1, {"a": null}])));
    assert!(parse::<Formats>(json!({"id": "nope"})).is_err());
}

#[derive(Default)]
struct Server(RefCell<Vec<HttpRequest>>);

impl Call for Server {
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.0.borrow_mut().push(request);
        Ok(HttpResponse {
            status: 204,
            body: Vec::new(),
        })
    }
}

#[test]
fn every_parameter_kind_goes_where_it_belongs() {
    let server = Server::default();
    server
        .items_update(7, "a b", None, Some(true), "trace-1", Some("s1"))
        .unwrap();
    server
        .items_update(8, "c", Some(&Plain::default()), None, "trace-2", None)
        .unwrap();
    let requests = server.0.borrow();
    let first = &requests[0];
    assert_eq!(
        (first.method, first.path.as_str()),
        ("PUT", "/items/7/tags/a%20b")
    );
    assert_eq!(first.query, [("dry-run".to_owned(), "true".to_owned())]);
    assert_eq!(
        first.headers,
        [
            ("X-Trace".to_owned(), "trace-1".to_owned()),
            ("Cookie".to_owned(), "session=s1".to_owned())
        ]
    );
    assert_eq!(first.body, None, "an optional body left out");
    let second = &requests[1];
    assert!(second.query.is_empty());
    assert_eq!(
        second.body,
        Some(("application/json", json!({"count": 3, "ratio": 0.5})))
    );
}
