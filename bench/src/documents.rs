//! `documents`: what issuing and checking documents costs. Issues N vehicle search results
//! the way `Issuer` does (the claims signed with Ed25519, the A4 PDF drawn with its QR code;
//! the PDF is drawn again on every download, so this is also a download's cost), timing each;
//! then verifies M of the signed QR payloads with the published JWK set alone, as an offline
//! verifier (a border officer's phone) does. The database row is left out: it is one insert.

use crate::args::Args;
use crate::stats::{percentile_ms, round_ms};
use crate::BenchResult;
use raia_app::i18n::Locale;
use raia_app::issued::pdf::{self, Drawing};
use raia_app::issued::signing::{keys_from_jwks, mask_name, verify_with, Claims, DocumentKeys};
use raia_app::issued::views::FactLine;
use std::time::{Duration, Instant};

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["documents", "verifications"])?;
    let documents = args.number("documents", 1_000usize)?.max(1);
    let verifications = args.number("verifications", 100_000usize)?.max(1);
    let (seed, _) = DocumentKeys::generate("raia-bench-1", "2026-01-01");
    let keys = DocumentKeys::from_settings(&seed, None).map_err(|e| format!("document key: {e:?}"))?;
    let facts = vec![
        FactLine { en: "Registration number".into(), sw: "Nambari ya usajili".into(), value: "KDB 789C".into() },
        FactLine { en: "Make and model".into(), sw: "Aina na modeli".into(), value: "Isuzu D-Max".into() },
        FactLine { en: "Chassis number".into(), sw: "Nambari ya chasisi".into(), value: "*************1122".into() },
        FactLine { en: "Registered owner".into(), sw: "Mmiliki aliyesajiliwa".into(), value: "Otieno Odhiambo".into() },
        FactLine { en: "Caveats and encumbrances".into(), sw: "Tahadhari na madeni".into(), value: "Equity Bank Kenya Ltd: financed until paid off".into() },
    ];

    let mut issue_times = Vec::with_capacity(documents);
    let mut signed = Vec::with_capacity(documents);
    let mut bytes = 0usize;
    let started = Instant::now();
    for n in 0..documents {
        let began = Instant::now();
        let number = format!("DOC-2026-{n:06}");
        let claims = Claims { typ: "vehicle_search".into(), no: number.clone(), hn: mask_name("Wanjiku Kamau"), iss: "2026-12-07".into(), exp: Some("2027-01-06".into()), ag: "ntsa".into() };
        let payload = keys.sign(&claims);
        let qr_text = format!("https://raia.example/verify/document?code={payload}");
        let drawing = Drawing {
            locale: if n % 2 == 0 { Locale::en } else { Locale::sw },
            bilingual: false,
            template: "vehicle_search",
            title_en: "Official vehicle search result",
            title_sw: "Matokeo rasmi ya utafutaji wa gari",
            agency_en: "National Transport and Safety Authority",
            agency_sw: "Mamlaka ya Kitaifa ya Usafiri na Usalama",
            number: &number,
            holder_name: "Wanjiku Kamau",
            issued_on: "2026-12-07",
            expires_on: Some("2027-01-06"),
            facts: &facts,
            qr_text: &qr_text,
            key_id: keys.signing_kid(),
            verify_address: "https://raia.example",
        };
        let pdf = pdf::render(&drawing);
        issue_times.push(began.elapsed());
        bytes += pdf.len();
        signed.push(payload);
    }
    let issue_seconds = started.elapsed().as_secs_f64();

    // Offline: only the JWK set, as published.
    let published = keys_from_jwks(&keys.jwks());
    let started = Instant::now();
    let mut refused = 0usize;
    for n in 0..verifications {
        if verify_with(&published, &signed[n % signed.len()]).is_err() {
            refused += 1;
        }
    }
    let verify_seconds = started.elapsed().as_secs_f64();
    if refused > 0 {
        return Err(format!("{refused} genuine payloads were refused"));
    }

    println!(
        "{}",
        serde_json::json!({
            "documents": documents,
            "issue_seconds": (issue_seconds * 100.0).round() / 100.0,
            "issue_ms": { "p50": percentile(&mut issue_times, 50.0), "p99": percentile(&mut issue_times, 99.0), "max": percentile(&mut issue_times, 100.0) },
            "pdf_kb_average": bytes / documents / 1024,
            "verifications": verifications,
            "verify_seconds": (verify_seconds * 100.0).round() / 100.0,
            "verifications_per_second": (verifications as f64 / verify_seconds).round(),
            "verify_us_each": (verify_seconds * 1e6 / verifications as f64 * 10.0).round() / 10.0,
        })
    );
    Ok(())
}

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    round_ms(percentile_ms(times, p))
}
