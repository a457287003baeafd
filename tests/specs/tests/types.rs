//! The generated types of real APIs read real-shaped JSON.

use glow_client::serde_json::{self, json};
use glow_specs::{github, oxide};

#[test]
fn github_simple_user_reads_with_nullable_fields() {
    let user: github::types::SimpleUser = serde_json::from_value(json!({
        "login": "octocat", "id": 1, "node_id": "MDQ6VXNlcjE=", "avatar_url": "https://github.com/images/error/octocat_happy.gif",
        "gravatar_id": null, "url": "u", "html_url": "h", "followers_url": "f", "following_url": "g", "gists_url": "g",
        "starred_url": "s", "subscriptions_url": "s", "organizations_url": "o", "repos_url": "r", "events_url": "e",
        "received_events_url": "r", "type": "User", "site_admin": false
    }))
    .expect("a GitHub user");
    assert_eq!(user.login, "octocat");
    assert_eq!(user.gravatar_id, None);
}

#[test]
fn oxide_unions_are_tagged_or_ordered() {
    let range: oxide::types::BinRangedouble =
        serde_json::from_value(json!({"type": "range", "start": 1.0, "end": 2.0}))
            .expect("a tagged range");
    assert_eq!(
        range,
        oxide::types::BinRangedouble::Range {
            start: 1.0,
            end: 2.0
        }
    );
    let by_id: oxide::types::NameOrId =
        serde_json::from_value(json!("6f1c3b1e-8f7a-4c1b-9d1e-2a3b4c5d6e7f")).expect("an id");
    assert!(
        matches!(by_id, oxide::types::NameOrId::Uuid(_)),
        "a UUID is tried before a free-form name"
    );
    let by_name: oxide::types::NameOrId =
        serde_json::from_value(json!("my-project")).expect("a name");
    assert!(matches!(by_name, oxide::types::NameOrId::Name(_)));
}

#[test]
fn operation_lists_cover_every_route() {
    assert_eq!(github::Operation::ALL.len(), 767);
    assert_eq!(oxide::Operation::ALL.len(), 193);
    assert_eq!(
        github::Operation::ReposGet.http(),
        Some(("GET", "/repos/{owner}/{repo}"))
    );
}
