//! `annotate` turns folders of scraped news articles into structured,
//! evaluated annotations: boilerplate, entities, TIMEX3 dates and typed
//! events with arguments.
//!
//! # Pipeline
//!
//! ```text
//! ingest ──► clean ──► segment ──► recognize ──────────────► resolve ──► output
//! (files)   (boiler-  (sentences, (dates → entities →       (overlaps,   (JSONL,
//!            plate)    tokens)     events + args)            order)       code points)
//!                                                                    eval ◄─┘
//! ```
//!
//! Each stage is one module: [`ingest`], [`clean`], [`segment`],
//! [`recognize`], [`resolve`], [`output`], and [`eval`] for scoring.
//! [`pipeline`] wires them; [`resources`] holds the bundled data.
//!
//! # Offsets
//!
//! Inside the library every [`span::Span`] is a byte range into the
//! document text, on `char` boundaries. The output contract counts Unicode
//! code points; [`output`] converts once per document, so for every
//! annotation `text[start:end] == annotation.text` holds in Python.

#![deny(missing_docs)]

pub mod clean;
pub mod error;
pub mod eval;
pub mod ingest;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod recognize;
pub mod regexes;
pub mod resolve;
pub mod resources;
pub mod segment;
pub mod span;
pub mod timeml;
pub mod timex;

pub use error::{Error, Result};
pub use pipeline::{Pipeline, PipelineBuilder, Record};
