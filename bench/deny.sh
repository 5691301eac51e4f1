#!/usr/bin/env bash
# Known vulnerabilities (RustSec advisories) and licenses of every dependency, per deny.toml.
# Installs cargo-deny when missing (`cargo install --locked cargo-deny` compiles for several
# minutes, which is why CI does not run this). The advisory check needs network access to
# GitHub (github.com/rustsec/advisory-db).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deny >/dev/null || cargo install --locked cargo-deny
# Licenses and sources need only the lock file; advisories need the database from GitHub, and
# say so when it cannot be fetched.
cargo deny check licenses sources
cargo deny check advisories
