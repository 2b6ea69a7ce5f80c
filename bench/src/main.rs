//! `raia-bench`: the measurements of `./dev.sh bench` that need Raia's own code. `bench/run.sh`
//! starts the release server, calls these commands, and writes BENCHMARKS.md from what they
//! print: each measuring command prints one JSON object on stdout (progress goes to stderr).
//!
//! Everything a command puts in the database goes through the app's own functions (registry
//! import, account insert, the application form, sessions), built as the server builds them,
//! so the bench measures the data the portal itself would hold.

mod args;
mod callbacks;
mod check_payments;
mod documents;
mod explain;
mod hashes;
mod invoices;
mod login_rush;
mod people;
mod performance_query;
mod probe;
mod scale;
mod session;
mod soak;
mod stats;
mod world;

use args::Args;

/// What every command returns when it cannot do its job; printed, and the exit status is 1.
pub type BenchResult<T> = Result<T, String>;

const USAGE: &str = "\
usage: raia-bench <command> [--flag value ...]

  fresh-database  --database-url URL          drop and create a PostgreSQL database, then migrate it
  hashes          [--seconds 5] [--threads N] argon2 hashes/s with Raia's parameters, one thread per core
  seed-logins     --database-url URL [--count 400]
                                              citizens for the login rush; prints `identifier<TAB>password` lines
  login-rush      --base-url URL --accounts FILE [--clients 64] [--seconds 20]
                  [--probe-url URL [--probe-rate 20]]
                                              logins/s through the real login endpoint; with a probe,
                                              that page's latency meanwhile, fetched N times a second
  session         --database-url URL          a logged-in citizen with an application awaiting payment;
                                              prints COOKIE=... and REFERENCE=... (shell syntax)
  seed-invoices   --database-url URL [--count 2000] [--per-citizen 20]
                                              applications awaiting payment; prints `invoice<TAB>cents<TAB>reference` lines
  callbacks       --base-url URL --invoices FILE [--concurrency 64]
                                              each invoice's paybill confirmation posted twice at once
  check-payments  --database-url URL --invoices FILE
                                              exactly once: one payment and one receipt per invoice, nothing extra
  performance-query [--applications 1000000] [--runs 5] [--postgres-url URL]
                                              /performance's queries over N generated applications in a
                                              fresh SQLite database (and PostgreSQL with --postgres-url or
                                              TEST_DATABASE_URL): the median of the runs, in ms
  documents       [--documents 1000] [--verifications 100000]
                                              issued documents: each signed and drawn as its PDF (ms per
                                              document), then QR payloads verified with the JWK set alone
  scale           --base-url URL --database-url URL [--requests 500] [--concurrency 4] [--callbacks 500]
                                              the pages at national size, on a database `raia-server seed-scale`
                                              filled: p50/p99 and requests/s per page, paybill callbacks, and
                                              PostgreSQL's plans for their queries (a big table read whole fails)
  soak            --base-url URL --database-url URL [--seconds 600] [--journey-every 2]
                  [--browse-rate 5] [--guess-rate 2] [--server-pid PID]
                                              mixed traffic at a steady rate (browse, log in, apply, pay,
                                              callbacks, a guesser meeting the rate limit); errors by kind,
                                              the server's memory, database counts against what was done

Configuration (the M-Pesa callback secret, the paybill number, the cookie's name) is read
from the environment exactly as raia-server reads it.";

#[tokio::main]
async fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(problem) => fail(&problem),
    };
    let outcome = match args.command.as_str() {
        "fresh-database" => world::fresh_database_command(&args).await,
        "hashes" => hashes::command(&args).await,
        "seed-logins" => people::seed_logins_command(&args).await,
        "login-rush" => login_rush::command(&args).await,
        "session" => session::command(&args).await,
        "seed-invoices" => invoices::command(&args).await,
        "callbacks" => callbacks::command(&args).await,
        "check-payments" => check_payments::command(&args).await,
        "soak" => soak::command(&args).await,
        "performance-query" => performance_query::command(&args).await,
        "documents" => documents::command(&args).await,
        "scale" => scale::command(&args).await,
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`")),
    };
    if let Err(problem) = outcome {
        fail(&problem);
    }
}

fn fail(problem: &str) -> ! {
    eprintln!("raia-bench: {problem} (`raia-bench help` lists the commands)");
    std::process::exit(1);
}
