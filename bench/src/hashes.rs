//! Raw argon2 throughput with Raia's parameters: the most logins a second this machine could
//! ever check. Measured with the app's own `PasswordHasher` and the server's own limit of
//! hashes at once (one per core), with one task per permit hashing back to back, so the
//! only thing missing compared with a login is everything around the hash.

use crate::args::Args;
use crate::stats::per_second;
use crate::BenchResult;
use raia_app::identity::password::PasswordHasher;
use raia_server::startup::hashing_permits;
use serde_json::json;
use std::time::{Duration, Instant};

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["seconds", "threads"])?;
    let seconds = args.number("seconds", 5u64)?;
    let threads = args.number("threads", hashing_permits())?.max(1);
    // `new` makes one hash itself (its dummy hash): that is also the warm-up.
    let hasher = PasswordHasher::new(threads);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for _ in 0..threads {
        let hasher = hasher.clone();
        workers.push(tokio::spawn(async move {
            let mut done = 0usize;
            while Instant::now() < deadline {
                hasher.hash(crate::people::PASSWORD).await.map_err(|_| "argon2 failed".to_string())?;
                done += 1;
            }
            Ok::<usize, String>(done)
        }));
    }
    let mut hashes = 0;
    for worker in workers {
        hashes += worker.await.map_err(|e| e.to_string())??;
    }
    // The last hash ends a little after the deadline: divide by the time actually taken.
    let elapsed = started.elapsed();
    let result = json!({
        "threads": threads,
        "seconds": (elapsed.as_secs_f64() * 10.0).round() / 10.0,
        "hashes": hashes,
        "per_second": per_second(hashes, elapsed),
    });
    println!("{result}");
    Ok(())
}
