//! The import layering written in ARCHITECTURE.md ("Layers") holds in the
//! sources: no module names a module of a higher layer, and no two modules
//! of one layer (the three families, for one) name each other, so the
//! module graph has no cycle. The layers and the few edges still allowed
//! while the engine is being narrowed ("Known exceptions") are read from
//! ARCHITECTURE.md itself, so the document and the check cannot drift
//! apart.
//!
//! What counts as naming a module: any `crate::a::b` path in code (imports,
//! and paths written in place), and `super::`/`self::` paths in `use` lines.
//! Doc comments and `#[cfg(test)] mod tests` (unit tests may drive a whole
//! run) do not count. Paths a `pub use` re-exports are charged to the module
//! that re-exports them, so a re-export cannot smuggle a higher module down.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A unit of the layering: a module path such as `amqp` or
/// `observe::topology`; a file belongs to the longest unit its module path
/// starts with.
struct Layers {
    /// unit → layer number (higher = above).
    units: BTreeMap<String, u32>,
    /// (file, unit) edges allowed for now, each with why.
    exceptions: BTreeSet<(String, String)>,
}

fn fenced_block<'a>(doc: &'a str, tag: &str) -> &'a str {
    let start = doc.find(&format!("```text {tag}\n")).unwrap_or_else(|| panic!("ARCHITECTURE.md has a ```text {tag} block"));
    let body = &doc[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    &body[..body.find("```").expect("the block is closed")]
}

fn read_layers() -> Layers {
    let doc = fs::read_to_string("ARCHITECTURE.md").expect("ARCHITECTURE.md is at the crate root");
    let mut units = BTreeMap::new();
    for line in fenced_block(&doc, "layers").lines() {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        let layer: u32 = first.parse().unwrap_or_else(|_| panic!("a layer line starts with its number: {line:?}"));
        for unit in words.take_while(|w| !w.starts_with('(')) {
            assert!(units.insert(unit.to_string(), layer).is_none(), "{unit} is in two layers");
        }
    }
    let mut exceptions = BTreeSet::new();
    for line in fenced_block(&doc, "exceptions").lines() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let (file, unit) = line.split_once("->").unwrap_or_else(|| panic!("an exception reads `file -> unit`: {line:?}"));
        exceptions.insert((file.trim().to_string(), unit.trim().to_string()));
    }
    Layers { units, exceptions }
}

impl Layers {
    /// The unit a module path belongs to (its longest listed prefix).
    fn unit_of(&self, path: &[&str]) -> Option<&str> {
        (1..=path.len()).rev().map(|n| path[..n].join("::")).find_map(|p| self.units.get_key_value(&p).map(|(k, _)| k.as_str()))
    }
}

/// Every `.rs` file under `dir`, with its module path (`src/amqp/mod.rs` → `amqp`).
fn sources(dir: &Path, module: &[String], out: &mut Vec<(String, Vec<String>)>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        if path.is_dir() {
            let mut m = module.to_vec();
            m.push(name);
            sources(&path, &m, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut m = module.to_vec();
            if name != "mod" && name != "lib" && name != "main" {
                m.push(name);
            }
            out.push((path.to_str().unwrap().to_string(), m));
        }
    }
}

/// The code of a file without comments and without its unit tests.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" && lines.peek().is_some_and(|l| l.trim_start().starts_with("mod ")) {
            break;
        }
        out.push_str(line.split("//").next().unwrap());
        out.push('\n');
    }
    out
}

/// The `use` statements of a file's code, each on one line (`pub` kept).
fn use_statements(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let line = line.trim();
        if current.is_none() && ["pub use ", "pub(crate) use ", "use "].iter().any(|p| line.starts_with(p)) {
            current = Some(String::new());
        }
        if let Some(stmt) = current.as_mut() {
            stmt.push_str(line);
            if line.ends_with(';') {
                out.push(current.take().unwrap());
            }
        }
    }
    out
}

/// The names a mod.rs re-exports from its child modules
/// (`pub use child::{A, B};`): `A` → `child`.
fn reexports(code: &str, children: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for stmt in use_statements(code) {
        let Some(used) = stmt.strip_prefix("pub use ") else { continue };
        let Some((child, names)) = used.trim_end_matches(';').split_once("::") else { continue };
        if !children.contains(child) {
            continue;
        }
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim();
            let name = name.rsplit(" as ").next().unwrap().rsplit("::").next().unwrap();
            if !name.is_empty() {
                map.insert(name.to_string(), child.to_string());
            }
        }
    }
    map
}

/// The module paths a file's code names.
fn named_paths(code: &str, module: &[String], is_mod_file: bool) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        let tail = &rest[i + "crate::".len()..];
        rest = tail;
        if before.is_some_and(|c| ident(c) || c == '$') {
            continue; // `$crate::` in a macro, or part of a longer name
        }
        found.extend(path_words(tail, ident));
    }
    // `use super::x` / `use self::x`, and `use child::x` in a mod.rs (a
    // mod.rs's `pub use child::…` is its facade, resolved by `reexports`).
    for stmt in use_statements(code) {
        let public = stmt.starts_with("pub use ");
        let used = stmt.splitn(2, "use ").nth(1).unwrap();
        let mut base = module.to_vec();
        let mut tail = used;
        if let Some(t) = used.strip_prefix("self::") {
            tail = t;
        } else if used.starts_with("super::") {
            while let Some(t) = tail.strip_prefix("super::") {
                tail = t;
                base.pop();
            }
        } else if !is_mod_file || public || ["crate::", "std::", "core::"].iter().any(|p| used.starts_with(p)) {
            continue;
        }
        for words in path_words(tail, ident) {
            let mut path = base.clone();
            path.extend(words);
            found.insert(path);
        }
    }
    found
}

/// The paths a path or use tree names: `a::b::c`, or for
/// `a::{b::c, d::{e, f}}` each of `a::b::c`, `a::d::e`, `a::d::f`.
fn path_words(tail: &str, ident: impl Fn(char) -> bool + Copy) -> Vec<Vec<String>> {
    tree(tail, ident).0
}

/// The paths of the use tree at the start of `s`, and how much of `s` it took.
fn tree(s: &str, ident: impl Fn(char) -> bool + Copy) -> (Vec<Vec<String>>, usize) {
    let mut words = Vec::new();
    let mut at = 0;
    loop {
        let rest = &s[at..];
        let skipped = rest.len() - rest.trim_start().len();
        at += skipped;
        let rest = &s[at..];
        if let Some(inner) = rest.strip_prefix('{') {
            // A group: each item is a tree of its own, under `words`.
            let mut paths = Vec::new();
            let mut pos = at + 1;
            let mut inner = inner;
            loop {
                let trimmed = inner.trim_start();
                pos += inner.len() - trimmed.len();
                if let Some(after) = trimmed.strip_prefix('}') {
                    pos += 1;
                    let _ = after;
                    break;
                }
                if let Some(after) = trimmed.strip_prefix(',') {
                    pos += 1;
                    inner = after;
                    continue;
                }
                let (sub, used) = tree(trimmed, ident);
                if used == 0 {
                    break; // not a use tree after all
                }
                for path in sub {
                    let mut full = words.clone();
                    full.extend(path);
                    paths.push(full);
                }
                pos += used;
                inner = &s[pos..];
            }
            if paths.is_empty() {
                paths.push(words);
            }
            return (paths, pos);
        }
        let end = rest.find(|c: char| !ident(c)).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        words.push(rest[..end].to_string());
        at += end;
        match s[at..].strip_prefix("::") {
            Some(_) => at += 2,
            None => break,
        }
    }
    (vec![words], at)
}

struct Edge {
    file: String,
    from: String,
    to: String,
}

/// For each module with a mod.rs, the names it re-exports from children.
type Facades = BTreeMap<Vec<String>, BTreeMap<String, String>>;

fn facades(files: &[(String, Vec<String>)]) -> Facades {
    let mut out = Facades::new();
    for (file, module) in files {
        if !file.ends_with("/mod.rs") {
            continue;
        }
        let dir = Path::new(file).parent().unwrap();
        let children: BTreeSet<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
            .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
            .collect();
        out.insert(module.clone(), reexports(&code_of(&fs::read_to_string(file).unwrap()), &children));
    }
    out
}

/// `a::Name` re-exported by `a` from its child `c` is `a::c::Name`.
fn resolve(path: &[String], facades: &Facades) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in path {
        if let Some(child) = facades.get(&out).and_then(|m| m.get(word)) {
            out.push(child.clone());
        }
        out.push(word.clone());
    }
    out
}

fn edges(layers: &Layers) -> Vec<Edge> {
    let mut files = Vec::new();
    sources(Path::new("src"), &[], &mut files);
    let facades = facades(&files);
    let mut out = Vec::new();
    for (file, module) in files {
        if file == "src/main.rs" || file == "src/lib.rs" {
            continue; // the binary and the crate root are above everything
        }
        let module_refs: Vec<&str> = module.iter().map(String::as_str).collect();
        let from = layers.unit_of(&module_refs).unwrap_or_else(|| panic!("{file} ({}) is in no layer of ARCHITECTURE.md", module.join("::"))).to_string();
        let is_mod_file = file.ends_with("/mod.rs");
        let code = code_of(&fs::read_to_string(&file).unwrap());
        let mut seen = BTreeSet::new();
        for path in named_paths(&code, &module, is_mod_file) {
            let path = resolve(&path, &facades);
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            let Some(to) = layers.unit_of(&refs) else { continue };
            if to != from && seen.insert(to.to_string()) {
                out.push(Edge { file: file.clone(), from: from.clone(), to: to.to_string() });
            }
        }
    }
    out
}

#[test]
fn no_module_names_a_module_above_it_or_beside_it() {
    let layers = read_layers();
    let mut broken = Vec::new();
    let mut used = BTreeSet::new();
    for edge in edges(&layers) {
        let (from, to) = (layers.units[&edge.from], layers.units[&edge.to]);
        if to < from {
            continue;
        }
        let key = (edge.file.clone(), edge.to.clone());
        if layers.exceptions.contains(&key) {
            used.insert(key);
            continue;
        }
        let why = if to == from { "beside it, in the same layer" } else { "above it" };
        broken.push(format!("{} ({}, layer {from}) uses {} (layer {to}): {why}", edge.file, edge.from, edge.to));
    }
    assert!(broken.is_empty(), "imports that break the layering of ARCHITECTURE.md:\n{}", broken.join("\n"));
    let stale: Vec<_> = layers.exceptions.difference(&used).map(|(f, u)| format!("{f} -> {u}")).collect();
    assert!(stale.is_empty(), "exceptions in ARCHITECTURE.md that no longer occur (remove them):\n{}", stale.join("\n"));
}

#[test]
fn impl_sim_is_written_only_in_the_engine() {
    let layers = read_layers();
    let mut files = Vec::new();
    sources(Path::new("src"), &[], &mut files);
    let mut outside = Vec::new();
    for (file, _) in files {
        if file.starts_with("src/engine/") {
            continue;
        }
        let code = code_of(&fs::read_to_string(&file).unwrap());
        let impls_sim = code.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("impl Sim ") || l.starts_with("impl Sim{") || l.starts_with("impl crate::engine::Sim")
        });
        if impls_sim && !layers.exceptions.contains(&(file.clone(), "engine".to_string())) {
            outside.push(file);
        }
    }
    assert!(outside.is_empty(), "`impl Sim` outside src/engine/ (a family's logic belongs to its world):\n{}", outside.join("\n"));
}

#[test]
fn the_check_sees_a_forbidden_import() {
    // The checker itself: a scenario module naming the engine is caught.
    let layers = read_layers();
    let code = code_of("use crate::engine::Sim;\n// use crate::amqp::Queue;\n#[cfg(test)]\nmod tests { use crate::summary::Summary; }\n");
    let module = vec!["scenario".to_string(), "validate".to_string()];
    let named: Vec<_> = named_paths(&code, &module, false).into_iter().collect();
    assert_eq!(named, vec![vec!["engine".to_string(), "Sim".to_string()]]);
    let refs: Vec<&str> = named[0].iter().map(String::as_str).collect();
    assert!(layers.units["scenario"] < layers.units[layers.unit_of(&refs).unwrap()]);
}

#[test]
fn the_check_reads_grouped_imports() {
    // `use crate::{…}` names each module in the group, nested groups too.
    let code = code_of("use crate::{engine::Sim, observe::{topology::Worlds, LifeKind}};\n");
    let module = vec!["amqp".to_string(), "queue".to_string()];
    let named: BTreeSet<Vec<String>> = named_paths(&code, &module, false);
    let words = |p: &[&str]| p.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let expected: BTreeSet<Vec<String>> =
        [words(&["engine", "Sim"]), words(&["observe", "topology", "Worlds"]), words(&["observe", "LifeKind"])].into_iter().collect();
    assert_eq!(named, expected);
}
