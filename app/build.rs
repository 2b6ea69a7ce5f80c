//! Generates the `i18n` module from `locales/*.json` and refuses to build when the
//! two languages do not have exactly the same keys: a citizen must never meet a
//! page that is half in English and half in Kiswahili.

use leptos_i18n_build::{Config, TranslationsInfos};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const DEFAULT_LOCALE: &str = "en";
const OTHER_LOCALES: [&str; 1] = ["sw"];

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo::rerun-if-changed=locales");
    // `sqlx::migrate!` embeds the migration folders; a new file must rebuild the crate.
    println!("cargo::rerun-if-changed=migrations");

    let config = Config::new(DEFAULT_LOCALE)
        .and_then(|config| config.add_locales(OTHER_LOCALES))
        .expect("locale names are valid")
        .locales_path("locales");
    let translations = TranslationsInfos::parse(config).expect("locales/*.json parse");
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();

    let default_keys = locale_keys(DEFAULT_LOCALE);
    for locale in OTHER_LOCALES {
        let keys = locale_keys(locale);
        let missing: Vec<_> = default_keys.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&default_keys).collect();
        if !missing.is_empty() || !extra.is_empty() {
            panic!("locales/{locale}.json differs from {DEFAULT_LOCALE}.json: missing {missing:?}, extra {extra:?}");
        }
    }

    translations
        .generate_i18n_module(out_dir.join("i18n"))
        .expect("i18n module is written");
}

/// Every key path in a locale file, e.g. `home.title`.
fn locale_keys(locale: &str) -> BTreeSet<String> {
    let path = Path::new("locales").join(format!("{locale}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut keys = BTreeSet::new();
    collect_keys("", &value, &mut keys);
    keys
}

fn collect_keys(prefix: &str, value: &serde_json::Value, keys: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, child) in map {
                let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                collect_keys(&path, child, keys);
            }
        }
        _ => {
            keys.insert(prefix.to_string());
        }
    }
}
