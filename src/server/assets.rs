//! The front end's files (wasm, js, css) under a versioned path, `/pkg/<version>/…`, where the
//! version is a hash of their content: a browser keeps them for a year (`immutable`) and asks
//! again only when a build changes them. Servers built from the same files agree on the version,
//! so any server behind a load balancer serves what another's page asks for.
//!
//! Why not cargo-leptos's `hash-files`: its `HydrationScripts` and `HashedStylesheet` read the
//! hash file from disk on every page render (and panic if it cannot be read); here the version
//! is computed once, at start, and the page shell only formats a string.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::Router;
use http::header::{HeaderValue, CACHE_CONTROL};
use leptos::config::LeptosOptions;
use leptos::prelude::ArcStoredValue;
use leptos::WasmSplitManifest;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What a versioned file may be kept for: a year, never revalidated.
const FOREVER: &str = "public, max-age=31536000, immutable";

/// `options` with the package directory moved under its version (`pkg/3f9a…`), as the page
/// shell links it.
pub fn versioned(mut options: LeptosOptions) -> LeptosOptions {
    let version = version(&pkg_dir(&options));
    options.site_pkg_dir = format!("{}/{version}", options.site_pkg_dir).into();
    options
}

/// Serves the package directory at the versioned path that `versioned` gave `options`.
pub fn routes<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let dir = Path::new(options.site_root.as_ref()).join(unversioned(options.site_pkg_dir.as_ref()));
    // `make build` stores each file brotli- and gzip-compressed at the highest levels (the whole
    // wasm, before it was split, was 450 KB in brotli 11 and 579 KB at the level 4 the
    // compression layer uses for pages).
    let files = ServeDir::new(dir).append_index_html_on_directories(false).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), files)
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static(FOREVER)))
}

/// Which split modules each lazy section needs (`cargo leptos build --split`, `pages::lazy`), for
/// the page of such a section to preload them beside the main wasm instead of after it; `None`
/// when the build was not split. Leptos reads this itself only from an unversioned directory.
pub fn split_manifest(options: &LeptosOptions) -> Option<WasmSplitManifest> {
    let dir = Path::new(options.site_root.as_ref()).join(unversioned(options.site_pkg_dir.as_ref()));
    let Ok(text) = std::fs::read_to_string(dir.join("__wasm_split_manifest.json")) else {
        tracing::warn!(dir = %dir.display(), "no wasm split manifest: build with `make build` (cargo leptos build --split), or pages will not come alive in the browser");
        return None;
    };
    let modules: HashMap<String, Vec<String>> = serde_json::from_str(&text)
        .inspect_err(|e| tracing::error!(%e, "the wasm split manifest could not be read"))
        .ok()?;
    let loader = std::fs::read_dir(&dir).ok()?.flatten().find_map(|entry| {
        let name = entry.file_name().into_string().ok()?;
        (name.starts_with("__wasm_split.") && name.ends_with(".js")).then_some(name)
    });
    let Some(loader) = loader else {
        tracing::error!(dir = %dir.display(), "the wasm split loader (__wasm_split.*.js) is missing");
        return None;
    };
    let root = format!("/{}", options.site_pkg_dir);
    Some(WasmSplitManifest(ArcStoredValue::new((root, modules, loader))))
}

fn pkg_dir(options: &LeptosOptions) -> PathBuf {
    Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

fn unversioned(pkg: &str) -> &str {
    pkg.rsplit_once('/').map_or(pkg, |(dir, _)| dir)
}

/// The first 16 hex digits of SHA-256 over the files' names and contents, computed once per
/// process (tests build many routers over the same files).
fn version(dir: &Path) -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        let mut files = Vec::new();
        collect_files(dir, &mut files);
        files.sort();
        for file in files {
            let Ok(bytes) = std::fs::read(&file) else { continue };
            let name = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().into_owned();
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        hex::encode(hasher.finalize())[..16].to_string()
    })
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_versioned_directory_maps_back_to_the_real_one() {
        assert_eq!(super::unversioned("pkg/3f9a0c1d2e3f4a5b"), "pkg");
        assert_eq!(super::unversioned("pkg"), "pkg");
    }
}
