//! The connection to PostgreSQL over TLS, as production requires it
//! (`sslmode=verify-full`, see config.rs): the test makes its own certificate authority and a
//! server certificate for 127.0.0.1, has the local PostgreSQL serve it, and connects through
//! Raia's own `Db`. The certificate is checked for real: with another authority's
//! certificate the connection is refused. Skipped with a note without `TEST_DATABASE_URL`.
//!
//! The local PostgreSQL is changed for the test (its certificate files, by `ALTER SYSTEM`
//! and a reload) and put back to the files it had before at the end.

use raia_app::db::Db;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use std::path::{Path, PathBuf};

/// A certificate authority and a server certificate it signed, as PEM.
struct Pki {
    authority: String,
    certificate: String,
    key: String,
}

fn pki(name: &str) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, format!("{name} test authority"));
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut server = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    server.subject_alt_names.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    server.distinguished_name.push(DnType::CommonName, "127.0.0.1");
    let certificate = server.signed_by(&key, &ca_cert, &ca_key).unwrap();
    Pki { authority: ca_cert.pem(), certificate: certificate.pem(), key: key.serialize_pem() }
}

/// Where PostgreSQL reads the test's files: a folder of the `postgres` user's, which it
/// requires of a private key.
fn server_folder() -> PathBuf {
    let folder = PathBuf::from("/var/lib/postgresql/raia-test-tls");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn owned_by_postgres(path: &Path) {
    let status = std::process::Command::new("chown").args(["-R", "postgres:postgres"]).arg(path).status().unwrap();
    assert!(status.success(), "chown {}", path.display());
}

async fn setting(admin: &Db, name: &str) -> String {
    sqlx::query_scalar(&format!("SELECT setting FROM pg_settings WHERE name = '{name}'")).fetch_one(admin.pool()).await.unwrap()
}

async fn serve_certificate(admin: &Db, cert: &str, key: &str) {
    sqlx::query(&format!("ALTER SYSTEM SET ssl_cert_file = '{cert}'")).execute(admin.pool()).await.unwrap();
    sqlx::query(&format!("ALTER SYSTEM SET ssl_key_file = '{key}'")).execute(admin.pool()).await.unwrap();
    sqlx::query("ALTER SYSTEM SET ssl = on").execute(admin.pool()).await.unwrap();
    sqlx::query("SELECT pg_reload_conf()").execute(admin.pool()).await.unwrap();
    // The reload is read by new connections a moment later.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
}

#[tokio::test]
async fn raia_reaches_postgresql_over_verified_tls_and_refuses_a_stranger_certificate() {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        return eprintln!("TEST_DATABASE_URL is unset: PostgreSQL over TLS not tested");
    };
    let admin = Db::connect(&admin_url, 1).await.unwrap();
    let (old_cert, old_key) = (setting(&admin, "ssl_cert_file").await, setting(&admin, "ssl_key_file").await);

    let ours = pki("raia");
    let folder = server_folder();
    let (cert, key) = (folder.join("server.crt"), folder.join("server.key"));
    std::fs::write(&cert, &ours.certificate).unwrap();
    std::fs::write(&key, &ours.key).unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    owned_by_postgres(&folder);
    serve_certificate(&admin, &cert.display().to_string(), &key.display().to_string()).await;

    let client_folder = std::env::temp_dir().join(format!("raia-tls-{}", std::process::id()));
    std::fs::create_dir_all(&client_folder).unwrap();
    let (our_ca, other_ca) = (client_folder.join("raia-ca.pem"), client_folder.join("other-ca.pem"));
    std::fs::write(&our_ca, &ours.authority).unwrap();
    std::fs::write(&other_ca, pki("other").authority).unwrap();
    let with = |ca: &Path| format!("{admin_url}?sslmode=verify-full&sslrootcert={}", ca.display());

    let result = async {
        let db = Db::connect(&with(&our_ca), 1).await.map_err(|e| format!("verified TLS refused: {e}"))?;
        let encrypted: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_one(db.pool()).await.map_err(|e| e.to_string())?;
        db.close().await;
        if !encrypted {
            return Err("the connection is not encrypted".to_string());
        }
        if Db::connect(&with(&other_ca), 1).await.is_ok() {
            return Err("a certificate of another authority was accepted".to_string());
        }
        Ok(())
    }
    .await;

    // Put the server back as it was, whatever happened.
    serve_certificate(&admin, &old_cert, &old_key).await;
    admin.close().await;
    let _ = std::fs::remove_dir_all(&client_folder);
    result.unwrap();
}
