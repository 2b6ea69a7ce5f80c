//! The files of this build that the browser loads: names, and a version that changes
//! whenever any of them changes. The service worker caches exactly these, per version.

use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Debug)]
pub struct BuildAssets {
    /// Whether file names carry content hashes (release builds by cargo-leptos).
    pub hashed: bool,
    /// Changes with every build; names the service worker's cache.
    pub version: String,
    pub script: String,
    pub wasm: String,
    pub stylesheet: String,
}

impl BuildAssets {
    /// Reads the hash file cargo-leptos writes beside the server binary, as Leptos itself
    /// does for `<HydrationScripts>` and `<HashedStylesheet>`.
    pub fn load(options: &LeptosOptions) -> Self {
        let hash_file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf))
            .unwrap_or_else(PathBuf::new)
            .join(options.hash_file.as_ref());
        let hashes = options.hash_files.then(|| std::fs::read_to_string(&hash_file).ok()).flatten();
        Self::from_hashes(options, hashes.as_deref())
    }

    pub fn from_hashes(options: &LeptosOptions, hashes: Option<&str>) -> Self {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let hash_of = |kind: &str| {
            hashes.and_then(|text| {
                text.lines()
                    .filter_map(|line| line.split_once(':'))
                    .find(|(name, _)| name.trim() == kind)
                    .map(|(_, hash)| format!(".{}", hash.trim()))
            })
        };
        let (js, wasm, css) = (hash_of("js"), hash_of("wasm"), hash_of("css"));
        let hashed = js.is_some() && wasm.is_some() && css.is_some();
        let version = if hashed {
            format!("{}{}{}", js.as_deref().unwrap_or(""), wasm.as_deref().unwrap_or(""), css.as_deref().unwrap_or(""))
                .replace('.', "-")
                .trim_start_matches('-')
                .to_string()
        } else {
            // Unhashed (development) builds: a new version every start, so nothing stale survives.
            let started = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
            format!("dev-{started}")
        };
        BuildAssets {
            hashed,
            version,
            script: format!("{pkg}{}.js", js.unwrap_or_default()),
            wasm: format!("{pkg}{}.wasm", wasm.unwrap_or_default()),
            stylesheet: format!("{pkg}{}.css", css.unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("raia").build()
    }

    #[test]
    fn hashed_names_and_version_follow_the_hash_file() {
        let assets = BuildAssets::from_hashes(&options(), Some("js: abc\nwasm: def\ncss: 123\n"));
        assert!(assets.hashed);
        assert_eq!(assets.script, "/pkg/raia.abc.js");
        assert_eq!(assets.wasm, "/pkg/raia.def.wasm");
        assert_eq!(assets.stylesheet, "/pkg/raia.123.css");
        let other = BuildAssets::from_hashes(&options(), Some("js: abc\nwasm: 999\ncss: 123\n"));
        assert_ne!(assets.version, other.version, "a new WASM must mean a new cache");
    }

    #[test]
    fn unhashed_builds_use_plain_names() {
        let assets = BuildAssets::from_hashes(&options(), None);
        assert!(!assets.hashed);
        assert_eq!(assets.wasm, "/pkg/raia.wasm");
        assert!(assets.version.starts_with("dev-"));
    }
}
