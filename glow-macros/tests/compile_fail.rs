//! Every macro error is a `compile_error!` at the path literal, with a message naming the file.

#[test]
fn macro_errors_point_at_the_literal() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
