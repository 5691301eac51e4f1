// The migrations are embedded at compile time (`sqlx::migrate!`): a new or changed migration
// must rebuild the binary, which cargo does not know on its own.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
