//! The crate as `cargo publish` would upload it: its sources, the presets it
//! compiles in, the scenario schema, the README, the licences and the Cargo
//! files, and nothing of the page, the tests or their tooling.

// Native only: it runs cargo.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The files `cargo package --list` names.
fn packaged() -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--allow-dirty", "--no-verify", "--list", "--quiet"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo package --list failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

/// Files of `dir` (relative to the crate) ending in `ext`, recursively, as
/// the package names them.
fn files(dir: &str, ext: &str) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, ext: &str, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.insert(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeSet::new();
    walk(root, &root.join(dir), ext, &mut out);
    out
}

/// Every source file and preset is in the package, with the schema, the
/// README, both licences and the Cargo files.
#[test]
fn the_package_holds_the_sources_presets_schema_readme_and_licences() {
    let list: BTreeSet<String> = packaged().into_iter().collect();
    let mut wanted = files("src", "rs");
    wanted.extend(files("scenarios", "json"));
    for file in ["schema/scenario.schema.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "Cargo.toml", "Cargo.lock"] {
        wanted.insert(file.to_string());
    }
    let missing: Vec<&String> = wanted.difference(&list).collect();
    assert!(missing.is_empty(), "not in the package: {missing:?}");
}

/// Nothing else: no page (www/), no tests or their fixtures, no scripts,
/// no node_modules, no benchmarks or fuzz targets.
#[test]
fn the_package_holds_nothing_of_the_page_tests_or_tooling() {
    // Cargo writes these two itself: the manifest as written, and the commit.
    let cargo_own = ["Cargo.toml.orig", ".cargo_vcs_info.json"];
    let allowed = |file: &str| {
        (file.starts_with("src/") && file.ends_with(".rs"))
            || (file.starts_with("scenarios/") && file.ends_with(".json"))
            || (file.starts_with("schema/") && file.ends_with(".json"))
            || ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "Cargo.toml", "Cargo.lock"].contains(&file)
            || cargo_own.contains(&file)
    };
    let extra: Vec<String> = packaged().into_iter().filter(|file| !allowed(file)).collect();
    assert!(extra.is_empty(), "in the package but not part of the crate: {extra:?}");
}
