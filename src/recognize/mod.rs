//! Recognize: the recognizers of the entity, date and event layers.
//!
//! Each recognizer is compiled once from data (gazetteers, rule tables,
//! lexicons) and then only reads; the pipeline shares them across threads.
//! Dates come first (a name inside a date, "March 3", is not a place),
//! entities second, events last, because event arguments point at entity
//! and date spans.

pub mod automaton;
pub mod date;
pub mod entity;
pub mod event;
pub mod gazetteer;
pub mod patterns;
pub mod rows;
