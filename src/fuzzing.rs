//! Settings shared by the fuzz targets (`fuzz_*` property tests): `cargo test` runs each with
//! its default number of cases, `bench/fuzz.sh N` runs every one with `PROPTEST_CASES=N`.

use proptest::test_runner::{Config, FileFailurePersistence};

/// A proptest config running `default_cases`, or `PROPTEST_CASES` when set.
pub fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        // Failures are reported with their minimal input; nothing is written into src/.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}
