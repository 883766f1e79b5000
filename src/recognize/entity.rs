//! Entity layer: gazetteer candidates inside content sentences, filtered
//! for ambiguous names, resolved longest-first.

use super::gazetteer::{Ambiguity, Gazetteer};
use crate::resolve;
use crate::segment::Sentence;
use crate::span::Annotation;

/// Finds the entities of `text` inside `sentences`.
pub fn recognize(gaz: &Gazetteer, text: &str, sentences: &[Sentence]) -> Vec<Annotation> {
    let mut out = Vec::new();
    for sent in sentences {
        let s = sent.span.of(text);
        for mut c in gaz.candidates(s) {
            c.span.start += sent.span.start;
            c.span.end += sent.span.start;
            let surface = c.span.of(text);
            if let Some(a) = gaz.ambiguity(surface) {
                if !ambiguous_ok(text, sent, c.span, a) {
                    continue;
                }
            }
            out.push(gaz.annotation(&c));
        }
    }
    resolve::longest_first(out)
}

/// Context rules for names that are also words or first names: a common
/// word is taken only inside running text (not at the start of a sentence
/// and not in a title-case line); a first name only when the next word is
/// not capitalized (so "Jordan Peterson" is not the country).
fn ambiguous_ok(text: &str, sent: &Sentence, span: crate::span::Span, a: Ambiguity) -> bool {
    let at_start = text[sent.span.start..span.start].trim().is_empty();
    let common_ok = !at_start && !sent.title_case;
    let next_cap = text[span.end..]
        .strip_prefix(' ')
        .and_then(|r| r.chars().next())
        .is_some_and(char::is_uppercase);
    let prev_cap = text[sent.span.start..span.start]
        .trim_end()
        .rsplit(' ')
        .next()
        .and_then(|w| w.chars().next())
        .is_some_and(|c| c.is_uppercase())
        && !at_start;
    let person_ok = !next_cap && (!prev_cap || text[..span.start].ends_with(", "));
    match a {
        Ambiguity::CommonWord => common_ok,
        Ambiguity::PersonName => person_ok,
        Ambiguity::Both => common_ok && person_ok,
    }
}
