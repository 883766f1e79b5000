//! Criterion micro-benchmarks of the pipeline's stages (issue 7; see
//! bench/README.md).
//!
//! ```text
//! cargo bench --bench recognizers                 # everything
//! cargo bench --bench recognizers -- --quick      # fast, rougher figures
//! cargo bench --bench recognizers -- stage/       # one group
//! ```
//!
//! - `build/*`: `PipelineBuilder::new().build()` with every bundled resource
//!   (the start-up cost of the binary, minus process start), and each
//!   resource alone.
//! - `build/user_gazetteer_1m/{parse,build}`: a 1,000,000-entry user
//!   gazetteer, generated in memory as TSV: `List::from_tsv`, then
//!   `Gazetteer::build` (reported in entries/s).
//! - `stage/*`: each stage on the same ~1 MB of text: the repository's
//!   corpus articles repeated (each article stays one document, as in a
//!   real run), reported in MB/s of input. What a stage needs from earlier
//!   stages is computed once, outside the timed loop, in the order of
//!   `Pipeline::annotate`.
//! - `doc/pipeline_one_1mb_document`: the full pipeline on the same bytes
//!   joined into ONE document, to show costs that grow faster than the
//!   text.
//!
//! Public APIs only.

use annotate::clean::Cleaner;
use annotate::ingest::Document;
use annotate::output;
use annotate::recognize::date::{self, DateRecognizer};
use annotate::recognize::entity::EntityRecognizer;
use annotate::recognize::event::EventRecognizer;
use annotate::recognize::gazetteer::{Gazetteer, List};
use annotate::recognize::patterns::Patterns;
use annotate::resolve;
use annotate::resources;
use annotate::segment::{self, Sentence};
use annotate::span::{Annotation, Span};
use annotate::timex::Ymd;
use annotate::{Pipeline, PipelineBuilder};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Target size of the stage input.
const TEXT_BYTES: usize = 1_000_000;
/// Entries of the synthetic user gazetteer.
const USER_ENTRIES: usize = 1_000_000;

/// The corpus articles (`corpus/**/*.txt`, sorted), repeated until they
/// hold at least `TEXT_BYTES` bytes; each article stays a document.
fn documents() -> Vec<Document> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let id = p.strip_prefix(&root).ok()?.with_extension("").display().to_string();
            (!text.trim().is_empty()).then_some((id, text))
        })
        .collect();
    assert!(!texts.is_empty(), "no corpus/**/*.txt under {}", root.display());
    let mut docs = Vec::new();
    let mut bytes = 0;
    'fill: for round in 0.. {
        for (id, text) in &texts {
            if bytes >= TEXT_BYTES {
                break 'fill;
            }
            bytes += text.len();
            docs.push(Document {
                id: format!("r{round:03}/{id}"),
                path: format!("r{round:03}/{id}.txt"),
                text: text.clone(),
                dct: None,
            });
        }
    }
    docs
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    annotate::ingest::walk(dir, &["txt"], out, &mut Vec::new());
}

/// What one document looks like after each stage, computed once.
struct Prepared {
    bp_spans: Vec<Span>,
    sentences: Vec<Sentence>,
    tokens: Vec<Vec<segment::Token>>,
    regions: Vec<Span>,
    dct: Option<Ymd>,
    entities: Vec<Annotation>,
    dates: Vec<Annotation>,
}

/// The stages in the order of `Pipeline::annotate`.
fn prepare(
    doc: &Document,
    cleaner: &Cleaner,
    ents: &EntityRecognizer,
    dates: &DateRecognizer,
) -> Prepared {
    let text = doc.text.as_str();
    let boilerplate = cleaner.find(text);
    let bp_spans: Vec<Span> = boilerplate.iter().map(|a| a.span).collect();
    let sentences = segment::sentences(text, &bp_spans);
    let regions: Vec<Span> = sentences.iter().map(|s| s.span).collect();
    let dct = date::find_dct(text, None);
    let found = resolve::longest_first(dates.recognize(text, &regions, dct));
    let tokens: Vec<Vec<segment::Token>> =
        sentences.iter().map(|s| segment::tokens(text, s.span)).collect();
    let entities = ents.recognize(text, &sentences, &tokens, &found);
    Prepared { bp_spans, sentences, tokens, regions, dct, entities, dates: found }
}

/// A synthetic user gazetteer: distinct made-up names of one to three
/// words, all five labels, every tenth with an explicit case rule.
fn synthetic_tsv(n: usize) -> String {
    const SYL: &[&str] = &[
        "ka", "lo", "mi", "ra", "ten", "vu", "sha", "bor", "del", "an", "is", "or", "qua", "zen",
        "pe", "tri",
    ];
    const LABELS: &[&str] = &["PERSON", "ORG", "GPE", "LOC", "NORP"];
    let word = |mut k: usize| {
        let mut w = String::new();
        loop {
            w.push_str(SYL[k % SYL.len()]);
            k /= SYL.len();
            if k == 0 {
                break;
            }
        }
        let mut c = w.chars();
        let first = c.next().unwrap().to_ascii_uppercase();
        std::iter::once(first).chain(c).collect::<String>()
    };
    let mut out = String::with_capacity(n * 48);
    for i in 0..n {
        let surface = match i % 3 {
            0 => word(i),
            1 => format!("{} {}", word(i), word(i / 7 + 3)),
            _ => format!("{} {} {}", word(i), word(i % 97), word(i / 13)),
        };
        let case = if i % 10 == 0 { "\texact" } else { "" };
        out.push_str(&format!(
            "{surface}\t{}\tsyn:{i}\t{surface}{case}\n",
            LABELS[i % LABELS.len()]
        ));
    }
    out
}

fn builds(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("pipeline", |b| b.iter(|| PipelineBuilder::new().build().unwrap()));
    g.bench_function("bundled_gazetteer", |b| {
        b.iter_batched(
            || (resources::bundled_gazetteers(), resources::bundled_ambiguous()),
            |(lists, amb)| Gazetteer::build(lists, amb),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("date_recognizer", |b| b.iter(DateRecognizer::new));
    g.bench_function("cleaner", |b| b.iter(Cleaner::bundled));
    g.bench_function("event_recognizer", |b| b.iter(EventRecognizer::bundled));
    g.bench_function("entity_patterns", |b| b.iter(Patterns::bundled));

    let tsv = synthetic_tsv(USER_ENTRIES);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(USER_ENTRIES as u64));
    g.bench_function("user_gazetteer_1m/parse", |b| {
        b.iter(|| List::from_tsv("user:synthetic", black_box(&tsv), "synthetic.tsv").unwrap())
    });
    let list = List::from_tsv("user:synthetic", &tsv, "synthetic.tsv").unwrap();
    drop(tsv);
    g.bench_function("user_gazetteer_1m/build", |b| {
        b.iter_batched(
            || vec![list.clone()],
            |lists| Gazetteer::build(lists, HashMap::new()),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn stages(c: &mut Criterion) {
    let docs = documents();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let cleaner = Cleaner::bundled();
    let gaz = Gazetteer::build(resources::bundled_gazetteers(), resources::bundled_ambiguous());
    let patterns = Patterns::bundled();
    let ents = EntityRecognizer::new(gaz.clone(), patterns.clone());
    let dates = DateRecognizer::new();
    let events = EventRecognizer::bundled();
    let pipeline: Pipeline = PipelineBuilder::new().build().unwrap();
    let prep: Vec<Prepared> = docs.iter().map(|d| prepare(d, &cleaner, &ents, &dates)).collect();
    let pairs = || docs.iter().zip(&prep);

    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::BytesDecimal(bytes as u64));
    g.sample_size(10);
    g.bench_function("boilerplate", |b| {
        b.iter(|| docs.iter().map(|d| cleaner.find(&d.text).len()).sum::<usize>())
    });
    g.bench_function("sentences", |b| {
        b.iter(|| {
            pairs().map(|(d, p)| segment::sentences(&d.text, &p.bp_spans).len()).sum::<usize>()
        })
    });
    g.bench_function("gazetteer_candidates", |b| {
        b.iter(|| {
            let mut n = 0;
            for (d, p) in pairs() {
                for s in &p.sentences {
                    n += gaz.candidates(s.span.of(&d.text)).len();
                }
            }
            n
        })
    });
    g.bench_function("entity_patterns", |b| {
        b.iter(|| {
            let mut n = 0;
            for (d, p) in pairs() {
                for s in &p.sentences {
                    n += patterns.find(&d.text, s.span, s.title_case).len();
                }
            }
            n
        })
    });
    g.bench_function("entities", |b| {
        b.iter(|| {
            pairs()
                .map(|(d, p)| ents.recognize(&d.text, &p.sentences, &p.tokens, &p.dates).len())
                .sum::<usize>()
        })
    });
    g.bench_function("find_dct", |b| {
        b.iter(|| docs.iter().filter(|d| date::find_dct(&d.text, None).is_some()).count())
    });
    g.bench_function("dates", |b| {
        b.iter(|| {
            pairs().map(|(d, p)| dates.recognize(&d.text, &p.regions, p.dct).len()).sum::<usize>()
        })
    });
    g.bench_function("events", |b| {
        b.iter(|| {
            pairs()
                .map(|(d, p)| {
                    events.recognize(&d.text, &p.sentences, &p.tokens, &p.entities, &p.dates).len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("pipeline_annotate", |b| {
        b.iter(|| docs.iter().map(|d| pipeline.annotate(d).annotations.len()).sum::<usize>())
    });
    let records: Vec<_> = docs.iter().map(|d| pipeline.annotate(d)).collect();
    g.bench_function("output_jsonl", |b| {
        b.iter(|| records.iter().map(|r| output::json_line(r, true).len()).sum::<usize>())
    });
    g.finish();

    let mut g = c.benchmark_group("doc");
    g.throughput(Throughput::BytesDecimal(bytes as u64));
    g.sample_size(10);
    let one = Document {
        id: "one".into(),
        path: "one.txt".into(),
        text: docs.iter().map(|d| d.text.as_str()).collect::<Vec<_>>().join("\n\n"),
        dct: None,
    };
    g.bench_function("pipeline_one_1mb_document", |b| {
        b.iter(|| pipeline.annotate(&one).annotations.len())
    });
    g.finish();
}

criterion_group!(benches, builds, stages);
criterion_main!(benches);
