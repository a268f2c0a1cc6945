//! Build script: `sqlx::migrate!` embeds the migration files when the crate compiles, and stable
//! Rust gives a macro no way to watch a folder, so a new or edited migration alone would leave a
//! binary with the old schema. Watching `migrations` here makes such a change rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
