//! The `annotate` binary: argument parsing and the run loop over the
//! library. `main` only maps the result of a command to an exit code.

use annotate::eval;
use annotate::ingest::{self, Source};
use annotate::output;
use annotate::PipelineBuilder;
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Annotate scraped news articles with boilerplate, entities, TIMEX3 dates
/// and events; write one JSON record per document.
#[derive(Parser, Debug)]
#[command(name = "annotate", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Score predictions against gold files (precision, recall, F1).
    Eval(EvalArgs),
    /// Compile every bundled resource and run every rule's examples.
    Check,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Files or folders to annotate (folders are read recursively; `.txt`).
    paths: Vec<PathBuf>,
    /// Worker threads (default: all cores). Output is identical for any
    /// value.
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Extra gazetteer (TSV: surface, label, kb_id, canonical); repeatable.
    /// Entries win over the bundled lists.
    #[arg(long = "gazetteer", value_name = "FILE")]
    gazetteers: Vec<PathBuf>,
    /// Use only the --gazetteer lists, not the bundled ones.
    #[arg(long)]
    no_bundled_gazetteers: bool,
    /// Document creation time (YYYY-MM-DD) for documents that carry none.
    #[arg(long)]
    dct: Option<String>,
    /// Leave the `source` field out of the output.
    #[arg(long)]
    no_source: bool,
}

#[derive(Args, Debug)]
struct EvalArgs {
    /// Gold file or folder of gold `.jsonl` files.
    #[arg(long)]
    gold: PathBuf,
    /// Predictions (JSONL from `annotate`); `-` for standard input.
    #[arg(long, default_value = "-")]
    pred: PathBuf,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Fail (exit 1) if any layer's relaxed micro F1 (for boilerplate: the
    /// character F1) is below this.
    #[arg(long, value_name = "F1")]
    min_f1: Option<f64>,
    /// Fail (exit 1) if a metric is below a value: NAME=VALUE, e.g.
    /// `entity.strict.f1=0.95`; repeatable. `--json` lists the names.
    #[arg(long = "require", value_name = "NAME=VALUE")]
    require: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Eval(a)) => run_eval(a),
        Some(Command::Check) => run_check(),
        None => run_annotate(cli.run),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("annotate: {e}");
            ExitCode::from(2)
        }
    }
}

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

fn run_annotate(args: RunArgs) -> AnyResult<ExitCode> {
    if args.paths.is_empty() {
        return Err("no input: give files or folders to annotate (see --help)".into());
    }
    let mut builder = PipelineBuilder::new();
    for g in &args.gazetteers {
        builder.gazetteer(g);
    }
    builder.no_bundled_gazetteers(args.no_bundled_gazetteers).dct(args.dct.clone());
    let pipeline = builder.build()?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let (sources, errors) = ingest::discover(&args.paths);
    let mut failed = errors.len();
    for e in &errors {
        eprintln!("annotate: {e}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // Documents go through in batches: a batch is annotated in parallel,
    // then written in input order, so memory holds one batch at a time and
    // the output does not depend on the number of threads.
    let batch = pool.current_num_threads().max(1) * 32;
    let no_source = args.no_source;
    for chunk in sources.chunks(batch) {
        let results: Vec<Result<Vec<u8>, annotate::Error>> = pool.install(|| {
            chunk.par_iter().map(|src: &Source| annotate_one(&pipeline, src, no_source)).collect()
        });
        for r in results {
            match r {
                Ok(bytes) => {
                    if let Err(e) = out.write_all(&bytes) {
                        if is_broken_pipe(&e) {
                            return Ok(ExitCode::SUCCESS);
                        }
                        return Err(e.into());
                    }
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("annotate: {e}");
                }
            }
        }
    }
    if let Err(e) = out.flush() {
        if is_broken_pipe(&e) {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e.into());
    }
    if failed > 0 {
        eprintln!("annotate: {failed} input(s) could not be annotated (see above)");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn annotate_one(
    pipeline: &annotate::Pipeline,
    src: &Source,
    no_source: bool,
) -> Result<Vec<u8>, annotate::Error> {
    let doc = ingest::read(src)?;
    let rec = pipeline.annotate(&doc);
    let mut wire = output::to_wire(&rec);
    if no_source {
        for a in &mut wire.annotations {
            a.source = None;
        }
    }
    let mut buf = serde_json::to_vec(&wire).expect("serializing to memory cannot fail");
    buf.push(b'\n');
    Ok(buf)
}

fn run_eval(a: EvalArgs) -> AnyResult<ExitCode> {
    let (gold, gerr) = eval::read_records(&a.gold);
    let (pred, perr) = eval::read_records(&a.pred);
    for e in gerr.iter().chain(&perr) {
        eprintln!("annotate eval: {e}");
    }
    if gold.is_empty() {
        return Err(format!("no gold records in {}", a.gold.display()).into());
    }
    let report = eval::evaluate(&gold, &pred);
    let mut reqs = a.require.clone();
    if let Some(f) = a.min_f1 {
        for layer in ["entity", "date", "event"] {
            reqs.push(format!("{layer}.relaxed.f1={f}"));
        }
        reqs.push(format!("boilerplate.char.f1={f}"));
    }
    let fails = eval::check_thresholds(&report, &reqs)?;
    let text = if a.json {
        let mut v = serde_json::to_value(&report)?;
        v["metrics"] = serde_json::to_value(report.metrics())?;
        serde_json::to_string_pretty(&v)? + "\n"
    } else {
        report.table()
    };
    let mut so = std::io::stdout().lock();
    if let Err(e) = so.write_all(text.as_bytes()) {
        if !is_broken_pipe(&e) {
            return Err(e.into());
        }
    }
    for f in &fails {
        eprintln!("annotate eval: below threshold: {f}");
    }
    if !gerr.is_empty() || !perr.is_empty() {
        return Ok(ExitCode::from(2));
    }
    Ok(if fails.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run_check() -> AnyResult<ExitCode> {
    let p = PipelineBuilder::new().build()?;
    drop(p);
    let rules = annotate::recognize::date::rule_examples().count();
    println!("resources compile; {rules} date rule examples are run by `cargo test`");
    Ok(ExitCode::SUCCESS)
}
