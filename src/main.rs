//! The `annotate` binary: argument parsing and the run loop over the
//! library. `main` only maps the result of a command to an exit code.

use annotate::eval;
use annotate::ingest::{self, Document, Format, Source};
use annotate::output;
use annotate::{Error, PipelineBuilder};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{BufRead, IsTerminal, Write};
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
    /// Compile every bundled resource (the rules' examples run under
    /// `cargo test`).
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutFormat {
    /// One JSON record per document on standard output.
    Jsonl,
    /// One TimeML file per document (dates as inline TIMEX3) in --out-dir.
    Timeml,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Files or folders to annotate: `.txt`, `.tml` (TimeML), `.jsonl`
    /// (`{"id", "text", "dct"?}` per line); folders are read recursively;
    /// `-` reads JSONL from standard input.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: OutFormat,
    /// Folder for `--format timeml` output (one `<id>.tml` per document).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Never show the progress bar (it is shown only when stderr is a
    /// terminal).
    #[arg(long)]
    quiet: bool,
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
    /// Layers to score (comma-separated); default: all four, or only
    /// `date` when the gold is TimeML.
    #[arg(long, value_delimiter = ',')]
    layers: Vec<String>,
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

/// One unit of work for the pipeline.
enum Item {
    /// A text or TimeML file, read by the worker.
    File(Source),
    /// A document already read (a JSONL line).
    Doc(Document),
    /// An input that failed before annotation.
    Failed(Error),
}

/// Turns sources into items in input order; JSONL files are read line by
/// line here, so a large JSONL input never sits in memory whole.
struct Feed {
    sources: ingest::Sources,
    jsonl: Option<(Box<dyn BufRead + Send>, String, String, usize)>,
}

impl Iterator for Feed {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some((reader, path, id, line)) = &mut self.jsonl {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => {
                        self.jsonl = None;
                        continue;
                    }
                    Ok(_) => {
                        *line += 1;
                        let at =
                            |m: String| Error::msg(m).with_path(path.as_str()).with_line(*line);
                        let Ok(text) = std::str::from_utf8(&buf) else {
                            return Some(Item::Failed(at("invalid UTF-8".into())));
                        };
                        if text.trim().is_empty() {
                            continue;
                        }
                        let fallback = format!("{id}:{line}");
                        return Some(match ingest::parse_jsonl_line(text, path, fallback) {
                            Ok(d) => Item::Doc(d),
                            Err(m) => Item::Failed(at(m)),
                        });
                    }
                    Err(e) => {
                        let e = Error::msg(format!("cannot read: {e}")).with_path(path.as_str());
                        self.jsonl = None;
                        return Some(Item::Failed(e));
                    }
                }
            }
            let src = match self.sources.next()? {
                Ok(src) => src,
                Err(e) => return Some(Item::Failed(e)),
            };
            if Format::of(&src.path) != Format::Jsonl {
                return Some(Item::File(src));
            }
            let reader: Box<dyn BufRead + Send> = if src.path.as_os_str() == "-" {
                Box::new(std::io::BufReader::new(std::io::stdin()))
            } else {
                match std::fs::File::open(&src.path) {
                    Ok(f) => Box::new(std::io::BufReader::new(f)),
                    Err(e) => {
                        return Some(Item::Failed(
                            Error::msg(format!("cannot open: {e}")).with_path(&src.path),
                        ))
                    }
                }
            };
            let path = if src.path.as_os_str() == "-" {
                "<stdin>".to_string()
            } else {
                src.path.display().to_string()
            };
            let id = if src.id.is_empty() { "stdin".to_string() } else { src.id.clone() };
            self.jsonl = Some((reader, path, id, 0));
        }
    }
}

fn progress_bar(paths: &[PathBuf], quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    // A walk of its own, summing sizes as it goes: nothing is kept.
    let total: u64 = ingest::Sources::new(paths)
        .filter_map(|s| std::fs::metadata(&s.ok()?.path).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}",
        )
        .expect("static template"),
    );
    Some(bar)
}

fn run_annotate(args: RunArgs) -> AnyResult<ExitCode> {
    if args.paths.is_empty() {
        return Err("no input: give files or folders to annotate (see --help)".into());
    }
    if args.format == OutFormat::Timeml && args.out_dir.is_none() {
        return Err("--format timeml writes one file per document: give --out-dir DIR".into());
    }
    let mut builder = PipelineBuilder::new();
    for g in &args.gazetteers {
        builder.gazetteer(g);
    }
    builder.no_bundled_gazetteers(args.no_bundled_gazetteers).dct(args.dct.clone());
    // Never dropped: freeing the gazetteers entry by entry at exit would
    // only add to every run's time (the process ends right after).
    let pipeline = std::mem::ManuallyDrop::new(builder.build()?);
    let threads = match args.threads {
        Some(0) | None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(n) => n,
    };
    let mut failed = 0;
    let bar = progress_bar(&args.paths, args.quiet);
    let stdout = std::io::stdout();
    // Lines of 8 KiB or more (most: a line is about eight times its
    // article) go to stdout as they are, without a copy into the buffer.
    let mut out = std::io::BufWriter::with_capacity(1 << 13, stdout.lock());
    // Line buffers come back from the writer to the workers, so a line is
    // written into memory that is still in cache rather than into a fresh
    // allocation; at most two per thread are kept.
    let window = threads * 8;
    let kept_buffers = threads * 2;
    let buffers: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    // Workers take documents one at a time and the writer puts results out
    // in input order as soon as they are ready; at most 8 documents per
    // thread are in flight, and folders are walked as the run goes, so
    // memory does not grow with the corpus.
    let feed = Feed { sources: ingest::Sources::new(&args.paths), jsonl: None };
    let mut done = 0u64;
    let mut write_error: Option<std::io::Error> = None;
    annotate::parallel::map_ordered(
        feed,
        threads,
        window,
        || (*pipeline).clone(),
        |p, item| {
            // A bug hit by one document is reported for that document and
            // the run goes on.
            let name = match &item {
                Item::File(src) => src.path.display().to_string(),
                Item::Doc(d) => format!("{} (id {})", d.path, d.id),
                Item::Failed(_) => String::new(),
            };
            let buf = buffers.lock().ok().and_then(|mut b| b.pop()).unwrap_or_default();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                annotate_one(p, item, &args, buf)
            }))
            .unwrap_or_else(|_| {
                Err(Error::msg("internal error while annotating (a bug; please report it)")
                    .with_path(name))
            })
        },
        |r| {
            match r {
                Ok((bytes, size)) => {
                    done += 1;
                    if let Some(b) = &bar {
                        b.inc(size);
                        b.set_message(format!("{done} docs"));
                    }
                    match bytes {
                        Output::Line(b) => {
                            if let Err(e) = out.write_all(&b) {
                                write_error = Some(e);
                                return std::ops::ControlFlow::Break(());
                            }
                            // (A buffer grown for a long article is freed.)
                            if b.capacity() <= MAX_KEPT_BUFFER {
                                if let Ok(mut kept) = buffers.lock() {
                                    if kept.len() < kept_buffers {
                                        kept.push(b);
                                    }
                                }
                            }
                        }
                        Output::File(path, xml) => {
                            if let Err(e) = write_file(&path, &xml) {
                                failed += 1;
                                eprintln!("annotate: {}: cannot write: {e}", path.display());
                            }
                        }
                    }
                }
                Err(e) => {
                    failed += 1;
                    if let Some(b) = &bar {
                        b.suspend(|| eprintln!("annotate: {e}"));
                    } else {
                        eprintln!("annotate: {e}");
                    }
                }
            }
            std::ops::ControlFlow::Continue(())
        },
    );
    if let Some(e) = write_error {
        if !is_broken_pipe(&e) {
            return Err(e.into());
        }
        // A closed pipe ends the run quietly, but inputs that failed
        // before it still count.
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        return Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS });
    }
    if let Some(b) = bar {
        b.finish_and_clear();
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

/// What one document produces: a JSONL line, or a TimeML file to write.
enum Output {
    Line(Vec<u8>),
    File(PathBuf, String),
}

fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// The file `--format timeml` writes a document to: the id's path parts
/// under `dir`, with `..`, `.` and empty parts dropped, so an id cannot
/// point outside it.
fn timeml_path(dir: &std::path::Path, id: &str) -> PathBuf {
    let mut p = dir.to_path_buf();
    let parts: Vec<&str> =
        id.split(['/', '\\']).filter(|c| !c.is_empty() && *c != "." && *c != "..").collect();
    if parts.is_empty() {
        p.push("document");
    }
    for c in parts {
        p.push(c);
    }
    p.set_extension("tml");
    p
}

/// The largest line buffer the writer hands back to the workers.
const MAX_KEPT_BUFFER: usize = 1 << 20;

/// Annotates one input; a JSONL line is written into `buf` (emptied first).
fn annotate_one(
    pipeline: &annotate::Pipeline,
    item: Item,
    args: &RunArgs,
    mut buf: Vec<u8>,
) -> Result<(Output, u64), Error> {
    let doc = match item {
        Item::File(src) => ingest::read(&src)?,
        Item::Doc(d) => d,
        Item::Failed(e) => return Err(e),
    };
    let size = doc.text.len() as u64;
    let rec = pipeline.annotate_owned(doc);
    if args.format == OutFormat::Timeml {
        let dates: Vec<_> = rec
            .annotations
            .iter()
            .filter_map(|a| match &a.attrs {
                annotate::span::Attrs::Date { value, modifier, .. } => {
                    Some((a.span, a.label, value.as_str(), *modifier))
                }
                _ => None,
            })
            .collect();
        let xml = annotate::timeml::write_inline(&rec.id, &rec.text, rec.dct.as_deref(), &dates);
        let dir = args.out_dir.as_ref().expect("checked before the run");
        return Ok((Output::File(timeml_path(dir, &rec.id), xml), size));
    }
    buf.clear();
    output::json_line_into(&rec, !args.no_source, &mut buf);
    Ok((Output::Line(buf), size))
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
    let timeml_gold = a.gold.extension().is_some_and(|x| x == "tml")
        || (a.gold.is_dir()
            && gold.iter().all(|g| g.annotations.iter().all(|x| x.layer == "date"))
            && has_tml(&a.gold));
    let layers: Vec<String> = if !a.layers.is_empty() {
        a.layers.clone()
    } else if timeml_gold {
        vec!["date".into()]
    } else {
        ["boilerplate", "entity", "date", "event"].iter().map(|s| s.to_string()).collect()
    };
    for l in &layers {
        if annotate::span::Layer::parse(l).is_none() {
            return Err(format!("--layers: unknown layer {l:?}").into());
        }
    }
    let layer_refs: Vec<&str> = layers.iter().map(String::as_str).collect();
    let report = eval::evaluate_layers(&gold, &pred, &layer_refs);
    if !report.missing_predictions.is_empty() {
        eprintln!(
            "annotate eval: {} gold document(s) have no prediction and count as all missed: {}",
            report.missing_predictions.len(),
            report.missing_predictions.join(", ")
        );
    }
    let mut reqs = a.require.clone();
    if let Some(f) = a.min_f1 {
        for layer in layers.iter().filter(|l| *l != "boilerplate") {
            reqs.push(format!("{layer}.relaxed.f1={f}"));
        }
        if layers.iter().any(|l| l == "boilerplate") {
            reqs.push(format!("boilerplate.char.f1={f}"));
        }
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

fn has_tml(dir: &std::path::Path) -> bool {
    let mut found = Vec::new();
    ingest::walk(dir, &["tml"], &mut found, &mut Vec::new());
    !found.is_empty()
}

fn run_check() -> AnyResult<ExitCode> {
    let p = PipelineBuilder::new().build()?;
    p.compile_all()?;
    let rules = annotate::recognize::date::rule_examples().count();
    println!("resources compile; {rules} date rule examples are run by `cargo test`");
    Ok(ExitCode::SUCCESS)
}
