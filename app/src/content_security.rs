//! The Content-Security-Policy every response carries, and the per-request nonce that lets
//! exactly this response's own inline scripts run.
//!
//! Raia's pages have three inline scripts (the `js` class, the page-swapping navigation, and
//! Leptos's island loader) and load everything else from their own origin. An injected
//! `<script>` (a stored name that escaped escaping, a hostile query string) has no nonce and
//! is refused by the browser: no `unsafe-inline`, no `unsafe-eval`. WebAssembly needs only
//! `'wasm-unsafe-eval'`, which allows compiling WASM and nothing else.
//!
//! The server's security-headers middleware draws the nonce, sends the header and puts the
//! nonce in the request; the shell hands the same value to Leptos, which writes it on every
//! script it emits.

use std::sync::Arc;

/// This request's nonce, carried from the middleware to the page in the request's extensions.
#[derive(Clone, Debug)]
pub struct ScriptNonce(pub Arc<str>);

impl ScriptNonce {
    /// 128 random bits from the operating system, in hex (valid in a CSP nonce-source).
    pub fn fresh() -> ScriptNonce {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        ScriptNonce(hex::encode(bytes).into())
    }
}

/// The policy for a response whose inline scripts carry `nonce`. `dev_reload` is the
/// websocket of `cargo leptos watch`'s live reload, allowed only while it runs.
pub fn policy(nonce: &ScriptNonce, dev_reload: Option<&str>) -> String {
    let reload = dev_reload.map(|url| format!(" {url}")).unwrap_or_default();
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; \
         img-src 'self' data:; \
         connect-src 'self'{reload}; \
         object-src 'none'; \
         base-uri 'none'; \
         frame-ancestors 'none'; \
         form-action 'self'",
        nonce = nonce.0
    )
}

/// Makes the nonce the middleware drew the one Leptos writes on its scripts (it would
/// otherwise draw its own, which the header would not name). Call in the shell, before
/// anything that renders a script.
pub fn adopt_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<ScriptNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_nonce_is_new_and_the_policy_names_it_without_unsafe_inline_scripts() {
        let (first, second) = (ScriptNonce::fresh(), ScriptNonce::fresh());
        assert_ne!(first.0, second.0);
        assert_eq!(first.0.len(), 32);
        let policy = policy(&first, None);
        assert!(policy.contains(&format!("'nonce-{}'", first.0)));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "'wasm-unsafe-eval'"] {
            assert!(policy.contains(directive), "{directive} missing from {policy}");
        }
    }
}
