//! The walls between rooms, read from the source: page code never reaches the database, auth
//! or server rooms; the database room reaches no room above it; and nothing but `main.rs`
//! reaches up into `server`. A new `use` that breaks a wall fails here with the file named.
use std::path::{Path, PathBuf};

/// Rooms (folders or files under `src/`), and the modules their code must not name.
const WALLS: &[(&[&str], &[&str])] = &[
    (&["pages", "components", "model", "app.rs"], &["db", "auth", "server", "context", "config", "backup"]),
    (
        &["db"],
        &[
            "api",
            "auth",
            "server",
            "context",
            "config",
            "backup",
            "pages",
            "components",
            "fleet_csv",
            "health",
            "maintenance",
            "jobs",
            "warehouse",
        ],
    ),
    (
        &[
            "api",
            "auth",
            "backup",
            "context",
            "config.rs",
            "fleet_csv",
            "health.rs",
            "jobs",
            "maintenance.rs",
            "telemetry.rs",
            "warehouse",
        ],
        &["server"],
    ),
];

fn rust_files(at: &Path, out: &mut Vec<PathBuf>) {
    if at.is_file() {
        out.push(at.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(at) else { return };
    for entry in entries.flatten() {
        rust_files(&entry.path(), out);
    }
    // A room's module file (`src/db.rs` beside `src/db/`) belongs to the room too.
    let file = at.with_extension("rs");
    if at.is_dir() && file.is_file() {
        out.push(file);
    }
}

/// `crate::<module>` or `backroom::<module>` followed by `::`, `;` or `}` (a whole name).
fn names(code: &str, module: &str) -> bool {
    ["crate::", "backroom::"].iter().any(|prefix| {
        let needle = format!("{prefix}{module}");
        code.match_indices(&needle).any(|(at, _)| {
            let next = code[at + needle.len()..].chars().next();
            matches!(next, Some(':' | ';' | '}' | ',' | ' '))
        })
    })
}

#[test]
fn rooms_only_reach_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    for (rooms, forbidden) in WALLS {
        for room in *rooms {
            let mut files = Vec::new();
            rust_files(&src.join(room), &mut files);
            assert!(!files.is_empty(), "src/{room} exists");
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    for module in *forbidden {
                        if names(code, module) {
                            broken.push(format!(
                                "{}:{}: {room} names {module}: {}",
                                file.display(),
                                n + 1,
                                line.trim()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "walls broken:\n{}", broken.join("\n"));
}

#[test]
fn the_wall_check_sees_a_broken_wall() {
    assert!(names("use crate::db::engine::Db;", "db"));
    assert!(names("    let x = backroom::server::router::build(s);", "server"));
    assert!(!names("use crate::dbx::Thing;", "db"));
    assert!(!names("use crate::api::fleet::lists::db_stats;", "db"));
}
