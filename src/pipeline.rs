//! Pipeline: builds every recognizer once ([`PipelineBuilder`]) and runs the
//! stages on one document ([`Pipeline::annotate`]):
//!
//! clean (boilerplate) → segment (sentences) → recognize (entities, dates,
//! events) → resolve (overlaps, boilerplate exclusion, order).
//!
//! A `Pipeline` is immutable and `Sync`. The run loop gives each worker its
//! own clone: clones share the gazetteer but not the regexes, whose scratch
//! space a shared instance would hand out through a lock.

use crate::clean::Cleaner;
use crate::error::Result;
use crate::ingest::Document;
use crate::recognize::date::{self, DateRecognizer};
use crate::recognize::entity::EntityRecognizer;
use crate::recognize::event::EventRecognizer;
use crate::recognize::gazetteer::{Gazetteer, List};
use crate::recognize::patterns::Patterns;
use crate::resolve;
use crate::resources;
use crate::segment;
use crate::span::{Annotation, Span};
use crate::timex::Ymd;
use std::path::PathBuf;

/// One annotated document: the record of the output contract before it is
/// written (offsets still in bytes).
#[derive(Debug, Clone)]
pub struct Record {
    /// Document id.
    pub id: String,
    /// Path shown in the output.
    pub path: String,
    /// The text the offsets index.
    pub text: String,
    /// Document creation time used for resolution, if known.
    pub dct: Option<String>,
    /// Annotations in output order.
    pub annotations: Vec<Annotation>,
}

/// Configures and builds a [`Pipeline`].
#[derive(Debug, Default, Clone)]
pub struct PipelineBuilder {
    user_gazetteers: Vec<PathBuf>,
    no_bundled_gazetteers: bool,
    dct: Option<String>,
}

impl PipelineBuilder {
    /// A builder with the bundled resources.
    pub fn new() -> PipelineBuilder {
        PipelineBuilder::default()
    }
    /// Adds a user gazetteer file (wins over the bundled lists).
    pub fn gazetteer(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.user_gazetteers.push(path.into());
        self
    }
    /// Leaves the bundled gazetteers out (only users' lists are used).
    pub fn no_bundled_gazetteers(&mut self, yes: bool) -> &mut Self {
        self.no_bundled_gazetteers = yes;
        self
    }
    /// Document creation time for documents that carry none (`YYYY-MM-DD`).
    pub fn dct(&mut self, dct: Option<String>) -> &mut Self {
        self.dct = dct;
        self
    }
    /// Compiles every resource.
    ///
    /// # Errors
    /// A user gazetteer that cannot be read or parsed, or an invalid DCT.
    pub fn build(&self) -> Result<Pipeline> {
        let dct = match &self.dct {
            Some(s) => Some(Ymd::parse(s).ok_or_else(|| {
                crate::error::Error::msg(format!("--dct {s:?} is not a date (YYYY-MM-DD)"))
            })?),
            None => None,
        };
        // Parsing and indexing the gazetteers, and compiling the regexes
        // of the other resources, run on two cores.
        let (gazetteer, (cleaner, ((dates, events), patterns))) = rayon::join(
            || -> Result<Gazetteer> {
                let mut lists: Vec<List> = Vec::new();
                for p in &self.user_gazetteers {
                    lists.push(resources::load_gazetteer(p)?);
                }
                if !self.no_bundled_gazetteers {
                    lists.extend(resources::bundled_gazetteers());
                }
                Ok(Gazetteer::build(lists, resources::bundled_ambiguous()))
            },
            || {
                rayon::join(Cleaner::bundled, || {
                    rayon::join(
                        || rayon::join(DateRecognizer::new, EventRecognizer::bundled),
                        Patterns::bundled,
                    )
                })
            },
        );
        Ok(Pipeline {
            cleaner,
            entities: EntityRecognizer::new(gazetteer?, patterns),
            dates,
            events,
            dct,
        })
    }
}

/// The year of the page's own publication line ("By Jane Roe | Nov. 10,
/// 1989", "First published November 10, 1989"): a SITE boilerplate span
/// holding a four-digit year. It completes a wire dateline without a year.
fn page_year(text: &str, boilerplate: &[Annotation]) -> Option<i32> {
    boilerplate.iter().filter(|a| a.label == "SITE").find_map(|a| {
        let s = a.span.of(text).as_bytes();
        (0..s.len().saturating_sub(3)).find_map(|i| {
            let w = &s[i..i + 4];
            let edge = |j: Option<&u8>| j.is_none_or(|b| !b.is_ascii_digit());
            (w.iter().all(u8::is_ascii_digit)
                && (w.starts_with(b"19") || w.starts_with(b"20"))
                && edge(i.checked_sub(1).and_then(|k| s.get(k)))
                && edge(s.get(i + 4)))
            .then(|| std::str::from_utf8(w).ok()?.parse().ok())
            .flatten()
        })
    })
}

/// The compiled pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline {
    cleaner: Cleaner,
    entities: EntityRecognizer,
    dates: DateRecognizer,
    events: EventRecognizer,
    dct: Option<Ymd>,
}

impl Pipeline {
    /// Compiles every regex that is otherwise compiled when a text first
    /// needs it (`annotate check`).
    ///
    /// # Errors
    /// The first that does not compile.
    pub fn compile_all(&self) -> Result<()> {
        let err =
            |e: regex::Error| crate::error::Error::msg(format!("a rule does not compile: {e}"));
        self.cleaner.compile_all().map_err(err)?;
        self.entities.compile_all().map_err(err)?;
        self.dates.compile_all().map_err(err)
    }

    /// Annotates one document.
    pub fn annotate(&self, doc: &Document) -> Record {
        let (dct, annotations) = self.annotations(&doc.text, doc.dct.as_deref());
        Record {
            id: doc.id.clone(),
            path: doc.path.clone(),
            text: doc.text.clone(),
            dct,
            annotations,
        }
    }

    /// Annotates one document, moving its strings into the record rather
    /// than copying them (the run loop has no further use for the
    /// document).
    pub fn annotate_owned(&self, doc: Document) -> Record {
        let (dct, annotations) = self.annotations(&doc.text, doc.dct.as_deref());
        Record { id: doc.id, path: doc.path, text: doc.text, dct, annotations }
    }

    /// The creation time used and the annotations, in output order, of a
    /// text whose own creation time (if any) is `doc_dct`.
    fn annotations(&self, text: &str, doc_dct: Option<&str>) -> (Option<String>, Vec<Annotation>) {
        // clean
        let boilerplate = self.cleaner.find(text);
        let bp_spans: Vec<Span> = boilerplate.iter().map(|a| a.span).collect();
        // segment
        let sentences = segment::sentences(text, &bp_spans);
        // recognize: dates first (they veto names inside them: "March 3"),
        // then entities, then events over both.
        let dct = doc_dct
            .and_then(Ymd::parse)
            .or(self.dct)
            .or_else(|| date::find_dct(text, page_year(text, &boilerplate)));
        let regions: Vec<Span> = sentences.iter().map(|s| s.span).collect();
        let dates = resolve::longest_first(self.dates.recognize(text, &regions, dct));
        // Tokens once per sentence, for the first-name rule and events.
        let tokens: Vec<Vec<segment::Token>> =
            sentences.iter().map(|s| segment::tokens(text, s.span)).collect();
        let entities = self.entities.recognize(text, &sentences, &tokens, &dates);
        let events = self.events.recognize(text, &sentences, &tokens, &entities, &dates);
        // resolve
        let annotations =
            resolve::in_output_order([boilerplate, entities, dates, events], &bp_spans);
        debug_assert!(annotations
            .iter()
            .all(|a| text.is_char_boundary(a.span.start) && text.is_char_boundary(a.span.end)));
        (dct.map(Ymd::iso), annotations)
    }
}
