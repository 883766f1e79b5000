//! The machine's floor for `annotate` (issue 7): the least work any
//! annotator with the same resources must do on a corpus.
//!
//! ```text
//! cargo run --release --example floor -- DIR [--threads N]
//!     [--only gazetteer|dates] [--unicode-dates] [--dates-on-text]
//! ```
//!
//! Walks `DIR` (recursively, `.txt` files, like `annotate`), reads every
//! file, checks it is UTF-8, and scans its text with
//!
//! - (a) ONE Aho-Corasick automaton built from every surface of the bundled
//!   gazetteers (`annotate::resources::BUNDLED_GAZETTEERS`, first TSV
//!   column, deduplicated by ASCII-lowercase key as `Gazetteer::build`
//!   does): ASCII case-insensitive, `MatchKind::Standard`, overlapping
//!   iteration, over the whole text, as issue 7 defines the floor (the
//!   library itself no longer scans with an automaton: it looks surfaces
//!   up by hash at word starts, which finds the same candidates); and
//! - (b) the date recognizer's single-pass alternation of all its rules,
//!   exactly as the library scans with it
//!   (`annotate::recognize::date::candidate_pattern`), so the floor follows
//!   the library's rules as they change.
//!
//! and counts the matches (`--only gazetteer` or `--only dates` runs one of
//! the two, to see which costs what). Nothing else: no boundary or case
//! checks, no sentences, no normalization, no output. Files are spread over
//! a rayon pool of N threads (default: all cores).
//!
//! Three choices make (b) a floor rather than a copy of the library's costs
//! (figures measured on the repository corpus with regex 1.x):
//!
//! - `\b` is compiled as an ASCII word boundary, `(?-u:\b)`. With Unicode
//!   `\b` the regex crate's lazy DFA gives up at the first non-ASCII byte
//!   (’ “ — é …, in about a third of the lines of news text) and the search
//!   falls back to the PikeVM: 0.3–0.7 MB/s instead of > 200 MB/s. The
//!   candidates differ only next to non-ASCII letters, which the library
//!   checks again anyway (`segment::is_boundary`); the library itself now
//!   compiles its alternation this way. `--unicode-dates` keeps Unicode
//!   `\b`, to see what it costs.
//! - The lazy DFA gets a 64 MB cache (`dfa_size_limit`): with the default
//!   2 MB the DFA of this alternation is cleared so often that the engine
//!   falls back to the PikeVM as well.
//! - The alternation runs line by line, as the library runs it sentence by
//!   sentence: over whole documents the same regex was many times slower
//!   with the rules of commit 20a6649 (6 vs 220 MB/s). `--dates-on-text`
//!   runs it over the whole text.
//!
//! Prints a human summary on stderr and one `FLOOR key=value …` line on
//! stdout (read by `scripts/bench.sh`). MB are 10^6 bytes; `seconds` is the
//! walk, reads and scans, without building the automata (`build_s`).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use regex::Regex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Lazy-DFA cache of the date alternation.
const DFA_CACHE: usize = annotate::recognize::date::DFA_CACHE_BYTES;

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let mut threads = 0usize;
    let mut only: Option<String> = None;
    let mut unicode_dates = false;
    let mut dates_on_text = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" | "-j" => {
                let v = args.next().and_then(|v| v.parse().ok());
                let Some(v) = v else {
                    eprintln!("floor: --threads needs a number");
                    return ExitCode::from(2);
                };
                threads = v;
            }
            "--only" => match args.next().as_deref() {
                Some(w @ ("gazetteer" | "dates")) => only = Some(w.to_string()),
                _ => {
                    eprintln!("floor: --only takes gazetteer or dates");
                    return ExitCode::from(2);
                }
            },
            "--unicode-dates" => unicode_dates = true,
            "--dates-on-text" => dates_on_text = true,
            "-h" | "--help" => {
                eprintln!("usage: floor DIR [--threads N] [--only gazetteer|dates] [--unicode-dates] [--dates-on-text]");
                return ExitCode::SUCCESS;
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                eprintln!("floor: unexpected argument {a:?} (usage: floor DIR [--threads N] [--only gazetteer|dates] [--unicode-dates] [--dates-on-text])");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: floor DIR [--threads N] [--only gazetteer|dates] [--unicode-dates] [--dates-on-text]");
        return ExitCode::from(2);
    };

    let t_build = Instant::now();
    let (ac, n_patterns) = gazetteer_automaton();
    let (date_re, date_src) = date_alternation(unicode_dates);
    let build_s = t_build.elapsed().as_secs_f64();

    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("floor: cannot start threads: {e}");
            return ExitCode::from(2);
        }
    };
    let threads = pool.current_num_threads();

    let t_scan = Instant::now();
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let (bytes, gaz, dates, bad) = pool.install(|| {
        files
            .par_iter()
            .map(|p| scan(p, &ac, &date_re, only.as_deref(), dates_on_text))
            .reduce(|| (0, 0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3))
    });
    let scan_s = t_scan.elapsed().as_secs_f64();
    let mb_s = bytes as f64 / 1e6 / scan_s.max(1e-9);

    eprintln!(
        "floor: {} files, {:.1} MB in {:.3} s = {:.1} MB/s on {} thread(s) \
         (build {:.3} s: {} gazetteer patterns; dates: {})",
        files.len(),
        bytes as f64 / 1e6,
        scan_s,
        mb_s,
        threads,
        build_s,
        n_patterns,
        date_src
    );
    eprintln!(
        "floor: {gaz} gazetteer matches, {dates} date matches, {bad} unreadable/non-UTF-8 files"
    );
    println!(
        "FLOOR files={} bytes={} seconds={:.6} mb_s={:.3} build_s={:.6} threads={} \
         gazetteer_patterns={} gazetteer_matches={} date_matches={} skipped={} \
         date_boundaries={} dates_on={} only={}",
        files.len(),
        bytes,
        scan_s,
        mb_s,
        build_s,
        threads,
        n_patterns,
        gaz,
        dates,
        bad,
        if unicode_dates { "unicode" } else { "ascii" },
        if dates_on_text { "text" } else { "lines" },
        only.as_deref().unwrap_or("all")
    );
    if files.is_empty() {
        eprintln!("floor: no .txt files under {}", dir.display());
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Reads and scans one file: (bytes, gazetteer matches, date matches,
/// skipped files).
fn scan(
    path: &Path,
    ac: &AhoCorasick,
    date_re: &Regex,
    only: Option<&str>,
    dates_on_text: bool,
) -> (u64, u64, u64, u64) {
    let Ok(bytes) = std::fs::read(path) else { return (0, 0, 0, 1) };
    let n = bytes.len() as u64;
    let Ok(text) = String::from_utf8(bytes) else { return (n, 0, 0, 1) };
    let gaz = if only == Some("dates") { 0 } else { ac.find_overlapping_iter(&text).count() };
    let dates = if only == Some("gazetteer") {
        0
    } else if dates_on_text {
        date_re.find_iter(&text).count()
    } else {
        text.split('\n').map(|line| date_re.find_iter(line).count()).sum()
    };
    let (gaz, dates) = (gaz as u64, dates as u64);
    (n, gaz, dates, 0)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut errors = Vec::new();
    annotate::ingest::walk(dir, &["txt"], out, &mut errors);
    for e in errors {
        eprintln!("floor: {e}");
    }
}

/// One automaton over all bundled gazetteer surfaces, deduplicated by
/// ASCII-lowercase key as `Gazetteer::build` does.
fn gazetteer_automaton() -> (AhoCorasick, usize) {
    let mut seen = HashSet::new();
    let mut patterns = Vec::new();
    for (_, src) in annotate::resources::BUNDLED_GAZETTEERS {
        for line in src.lines() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let surface = line.split('\t').next().unwrap_or("").trim();
            if !surface.is_empty() && seen.insert(surface.to_ascii_lowercase()) {
                patterns.push(surface.to_string());
            }
        }
    }
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .expect("gazetteer automaton builds");
    (ac, patterns.len())
}

/// The date alternation: the library's, rebuilt from its rule table, or a
/// reduced one if the table cannot be read.
fn date_alternation(unicode: bool) -> (Regex, String) {
    match library_date_alternation(unicode) {
        Ok((re, n_rules, n_ph)) => (
            re,
            format!(
                "library alternation of {n_rules} rules, {n_ph} placeholders, {} \\b",
                if unicode { "Unicode" } else { "ASCII" }
            ),
        ),
        Err(why) => {
            eprintln!(
                "floor: WARNING: cannot rebuild the date alternation from src/recognize/date.rs \
                 ({why}); using a reduced one (years, months, decades): the floor is optimistic"
            );
            let re = Regex::new(concat!(
                r"(?:January|February|March|April|May|June|July|August|September|October|",
                r"November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|",
                r"Nov\.|Dec\.)|(?:1[0-9]{2}0|20[0-9]0)'?s|(?:1[0-9]{3}|20[0-9]{2})(?-u:\b)"
            ))
            .expect("fallback date regex");
            (re, "REDUCED fallback alternation".into())
        }
    }
}

fn library_date_alternation(unicode: bool) -> Result<(Regex, usize, usize), String> {
    let ascii = annotate::recognize::date::candidate_pattern();
    let pattern = if unicode { ascii.replace(r"(?-u:\b)", r"\b") } else { ascii };
    let re = regex::RegexBuilder::new(&pattern)
        .dfa_size_limit(DFA_CACHE)
        .build()
        .map_err(|e| format!("alternation: {e}"))?;
    let rules = annotate::recognize::date::rule_examples()
        .map(|(id, ..)| id)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    Ok((re, rules, 0))
}
