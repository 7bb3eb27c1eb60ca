//! `parse-floor RUNS FILE...`: for each file, the median wall time (ms) of reading it and parsing
//! it with serde_json into a `Value`, one `FILE MS` line each. The read is included because the
//! generator's load stage includes it too.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = match args.next().and_then(|r| r.parse().ok()) {
        Some(runs) if runs > 0 => runs,
        _ => {
            eprintln!("usage: parse-floor RUNS FILE...");
            std::process::exit(2);
        }
    };
    for file in args {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let parsed = std::fs::read(&file)
                .map_err(|e| e.to_string())
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| e.to_string()));
            let elapsed = start.elapsed().as_secs_f64() * 1e3;
            match parsed {
                // Dropping the Value is not part of a parse: the generator never frees its tree.
                Ok(value) => std::mem::forget(value),
                Err(e) => {
                    println!("{file} error {e}");
                    break;
                }
            }
            times.push(elapsed);
        }
        if times.len() == runs {
            times.sort_by(f64::total_cmp);
            println!("{file} {:.2}", times[runs / 2]);
        }
    }
}
