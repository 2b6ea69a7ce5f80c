//! The command line: `raia-bench <command> --name value ...`. Eight commands with a few flags
//! each do not need a parser crate; a flag a command does not know is refused, so a typo
//! never silently measures something else.

use crate::BenchResult;
use std::collections::HashMap;
use std::str::FromStr;

pub struct Args {
    pub command: String,
    flags: HashMap<String, String>,
}

impl Args {
    pub fn parse(mut words: impl Iterator<Item = String>) -> BenchResult<Args> {
        let command = words.next().unwrap_or_default();
        let mut flags = HashMap::new();
        while let Some(word) = words.next() {
            let Some(name) = word.strip_prefix("--") else { return Err(format!("expected a --flag, found `{word}`")) };
            let (name, value) = match name.split_once('=') {
                Some((name, value)) => (name.to_string(), value.to_string()),
                None => (name.to_string(), words.next().ok_or_else(|| format!("--{name} needs a value"))?),
            };
            flags.insert(name, value);
        }
        Ok(Args { command, flags })
    }

    /// Refuses any flag not in `known`.
    pub fn only(&self, known: &[&str]) -> BenchResult<()> {
        match self.flags.keys().find(|name| !known.contains(&name.as_str())) {
            Some(name) => Err(format!("`{}` does not take --{name} (it takes: --{})", self.command, known.join(", --"))),
            None => Ok(()),
        }
    }

    pub fn required(&self, name: &str) -> BenchResult<String> {
        self.flags.get(name).cloned().ok_or_else(|| format!("`{}` needs --{name}", self.command))
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        self.flags.get(name).cloned()
    }

    pub fn number<T: FromStr>(&self, name: &str, default: T) -> BenchResult<T> {
        match self.flags.get(name) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|_| format!("--{name} `{text}` is not a number")),
        }
    }
}
