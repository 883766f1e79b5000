//! Event recognition: typed triggers from a lexicon (`rules/events.tsv`),
//! named events from a list and a pattern ("<Name>-<Name> War"), then
//! arguments (actor, target, participant, time) from the words and entity
//! spans of the same sentence.
//!
//! One mention is one event: a trigger inside a named event, or the object
//! of a sanction verb ("cut off arms exports"), or a same-type word right
//! after another ("debt owed") is not a second event.

use crate::error::{Error, Result};
use crate::recognize::automaton::Overlapping;
use crate::recognize::rows::Rows;
use crate::segment::{self, Sentence, Token, TokenKind};
use crate::span::{Annotation, Arg, Attrs, Layer, Role, Span};
use aho_corasick::dfa::DFA;
use aho_corasick::MatchKind;

/// Event labels and their CAMEO codes, from the scheme's table (the one
/// list of event labels).
pub const TAXONOMY: &[(&str, Option<&str>)] = &[
    ("ALLIANCE", Some("05")),
    ("AGREEMENT", Some("057")),
    ("COOPERATION", Some("06")),
    ("ARMS_TRANSFER", Some("062")),
    ("AID", Some("07")),
    ("DEBT", None),
    ("SANCTION", Some("163")),
    ("RELATIONS_WORSEN", Some("16")),
    ("DISAGREEMENT", Some("11")),
    ("WAR", Some("19")),
    ("INVASION", Some("192")),
    ("ATTACK", Some("190")),
    ("CEASEFIRE", Some("0871")),
    ("VICTORY", None),
    ("RESOLUTION", None),
    ("MEETING", Some("04")),
    ("STATEMENT", Some("01")),
    ("PROTEST", Some("14")),
    ("COLLAPSE", None),
    ("REGIME_CHANGE", None),
    ("ELECTION", None),
];

/// The bundled lexicon.
pub const BUNDLED_LEXICON: &str = include_str!("../../rules/events.tsv");

/// Words that make a supply verb an arms transfer.
const ARMS_WORDS: &[&str] = &[
    "arms",
    "weapons",
    "weaponry",
    "missiles",
    "missile",
    "tanks",
    "jets",
    "aircraft",
    "fighters",
    "helicopters",
    "rifles",
    "ammunition",
    "munitions",
    "artillery",
    "stinger",
    "stingers",
    "mig",
    "migs",
    "submarines",
    "warships",
    "drones",
    "military",
];

/// Head words of named events ("… War") and their labels.
fn name_head(w: &str) -> Option<&'static str> {
    Some(match w {
        "War" => "WAR",
        "Accords" => "AGREEMENT",
        "Accord" => "AGREEMENT",
        "Agreement" => "AGREEMENT",
        "Agreements" => "AGREEMENT",
        "Treaty" => "AGREEMENT",
        "Pact" => "AGREEMENT",
        "Revolution" => "REGIME_CHANGE",
        "Uprising" => "PROTEST",
        "Invasion" => "INVASION",
        "Offensive" => "ATTACK",
        "Summit" => "MEETING",
        "Armistice" => "CEASEFIRE",
        "Declaration" => "AGREEMENT",
        "Communiqué" => "AGREEMENT",
        "Protocol" => "AGREEMENT",
        "Memorandum" => "AGREEMENT",
        "Operation" => "ATTACK",
        _ => return None,
    })
}

/// Head words that come first in a name: "Treaty of Versailles", "Battle
/// of Goose Green".
fn name_head_first(w: &str) -> Option<&'static str> {
    Some(match w {
        "Treaty" => "AGREEMENT",
        "Agreement" => "AGREEMENT",
        "Accord" => "AGREEMENT",
        "Accords" => "AGREEMENT",
        "Convention" => "AGREEMENT",
        "Declaration" => "AGREEMENT",
        "Battle" => "ATTACK",
        "Siege" => "ATTACK",
        "Invasion" => "INVASION",
        "Fall" => "COLLAPSE",
        _ => return None,
    })
}

/// Words that cannot start a named event even when capitalized: function
/// words, and ordinals ("First", as in "First, the war …").
fn name_stop(w: &str) -> bool {
    segment::FUNCTION_WORDS.contains(&w) || matches!(w, "First" | "Second" | "Last")
}

/// Whether the arguments of `t`'s events are participants: its label's
/// sides are symmetric and the trigger is not directed.
fn symmetric_sides(t: &Trigger) -> bool {
    is_symmetric(t.label) && !t.context.directed
}

/// Labels whose sides are symmetric: arguments are participants.
fn is_symmetric(w: &str) -> bool {
    matches!(
        w,
        "WAR"
            | "ALLIANCE"
            | "AGREEMENT"
            | "COOPERATION"
            | "MEETING"
            | "RELATIONS_WORSEN"
            | "CEASEFIRE"
            | "COLLAPSE"
            | "REGIME_CHANGE"
            | "ELECTION"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Noun,
    Verb,
    Phrase,
    Name,
    Stop,
}

#[derive(Debug, Clone, Default)]
struct Context {
    next: Vec<String>,
    next_not: Vec<String>,
    prev: Vec<String>,
    prev_not: Vec<String>,
    near: Vec<&'static [&'static str]>,
    near_not: Vec<&'static [&'static str]>,
    /// `roles=directed`: an act of one side toward another (actor and
    /// target) even for a label whose sides are otherwise symmetric.
    directed: bool,
}

/// Word classes for `near=` conditions.
const MILITARY_WORDS: &[&str] = &[
    "military",
    "troops",
    "forces",
    "army",
    "navy",
    "air",
    "missile",
    "missiles",
    "rocket",
    "rockets",
    "airfields",
    "airfield",
    "bases",
    "base",
    "targets",
    "pre-emptive",
    "preemptive",
    "aircraft",
    "jets",
    "bombers",
    "artillery",
    "warships",
    "tanks",
    "soldiers",
    "marines",
    "paratroopers",
    "fighters",
    "guerrillas",
    "militants",
    "rebels",
    "launched",
    "drone",
    "drones",
    "naval",
    "scud",
    "shells",
    "positions",
    "command",
    "garrison",
    "beach",
    "coast",
    "amphibious",
    "infantry",
    "jet",
    "submarine",
    "torpedo",
    "exocet",
    "gunfire",
    "firing",
];
const ELECTION_WORDS: &[&str] = &[
    "election",
    "elections",
    "seats",
    "seat",
    "vote",
    "votes",
    "landslide",
    "poll",
    "polls",
    "referendum",
    "majority",
    "prize",
    "award",
    "candidate",
    "presidency",
    "mandate",
    "ballot",
];
const RELATIONS_WORDS: &[&str] =
    &["ties", "relations", "relationship", "talks", "contacts", "diplomatic", "links"];

fn word_class(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "ARMS" => ARMS_WORDS,
        "MILITARY" => MILITARY_WORDS,
        "ELECTION" => ELECTION_WORDS,
        "RELATIONS" => RELATIONS_WORDS,
        _ => return None,
    })
}

#[derive(Debug, Clone)]
struct Trigger {
    label: &'static str,
    cameo: Option<&'static str>,
    kind: Kind,
    context: Context,
}

/// The compiled event recognizer.
#[derive(Debug, Clone)]
pub struct EventRecognizer {
    /// The forms, ASCII case-insensitive, all matches (overlapping).
    dfa: std::sync::Arc<DFA>,
    /// The same DFA in compact rows, when it fits (the bundled one does).
    rows: Option<std::sync::Arc<Rows<64>>>,
    /// Triggers per pattern, in lexicon order (the first whose context
    /// holds wins).
    triggers: Vec<Vec<Trigger>>,
    surfaces: Vec<String>,
    /// The annotations' source names by trigger kind, shared.
    sources: [std::sync::Arc<str>; 5],
    /// The trigger of a named event found by pattern, by label (what
    /// [`EventRecognizer::find_name_trigger`] gives), looked up once.
    name_triggers: Vec<(&'static str, (usize, usize))>,
}

fn cameo_of(label: &str) -> Option<&'static str> {
    TAXONOMY.iter().find(|(l, _)| *l == label).and_then(|(_, c)| *c)
}

fn leak(s: &str) -> &'static str {
    // Lexicon cameo overrides are few and live for the whole run.
    Box::leak(s.to_string().into_boxed_str())
}

impl EventRecognizer {
    /// Compiles a lexicon in the `rules/events.tsv` format.
    ///
    /// # Errors
    /// Unknown labels, kinds or context conditions and short lines are
    /// errors naming the file and line.
    pub fn from_tsv(src: &str, origin: &str) -> Result<EventRecognizer> {
        let mut patterns: Vec<String> = Vec::new();
        let mut triggers: Vec<Vec<Trigger>> = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for (i, line) in src.lines().enumerate() {
            let at = |m: String| Error::msg(m).with_path(origin).with_line(i + 1);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                return Err(at(format!(
                    "expected label, cameo, kind, forms; found {} columns",
                    cols.len()
                )));
            }
            let kind = match cols[2] {
                "noun" => Kind::Noun,
                "verb" => Kind::Verb,
                "phrase" => Kind::Phrase,
                "name" => Kind::Name,
                "stop" => Kind::Stop,
                k => {
                    return Err(at(format!("unknown kind {k:?} (noun, verb, phrase, name, stop)")))
                }
            };
            let label = if kind == Kind::Stop {
                "STOP"
            } else {
                Layer::Event
                    .label(cols[0])
                    .ok_or_else(|| at(format!("unknown event label {:?}", cols[0])))?
            };
            let cameo = match cols[1] {
                "-" => cameo_of(label),
                "null" => None,
                c => Some(leak(c)),
            };
            let mut context = Context::default();
            for cond in cols.get(4).map_or("", |c| c.trim()).split(';').filter(|c| !c.is_empty()) {
                let words = |v: &str| v.split(',').map(|w| w.trim().to_lowercase()).collect();
                let class =
                    |v: &str| word_class(v).ok_or_else(|| at(format!("unknown word class {v:?}")));
                if let Some(v) = cond.strip_prefix("next!=") {
                    context.next_not = words(v);
                } else if let Some(v) = cond.strip_prefix("next=") {
                    context.next = words(v);
                } else if let Some(v) = cond.strip_prefix("prev!=") {
                    context.prev_not = words(v);
                } else if let Some(v) = cond.strip_prefix("prev=") {
                    context.prev = words(v);
                } else if let Some(v) = cond.strip_prefix("near!=") {
                    context.near_not.push(class(v)?);
                } else if let Some(v) = cond.strip_prefix("near=") {
                    context.near.push(class(v)?);
                } else if cond == "roles=directed" {
                    context.directed = true;
                } else {
                    return Err(at(format!("unknown context condition {cond:?}")));
                }
            }
            for form in cols[3].split('|').map(str::trim).filter(|f| !f.is_empty()) {
                let key =
                    if kind == Kind::Name { form.to_string() } else { form.to_ascii_lowercase() };
                let t = Trigger { label, cameo, kind, context: context.clone() };
                match seen.get(&key) {
                    Some(&i) => {
                        let list: &mut Vec<Trigger> = &mut triggers[i];
                        list.push(t);
                    }
                    None => {
                        seen.insert(key, patterns.len());
                        patterns.push(form.to_string());
                        triggers.push(vec![t]);
                    }
                }
            }
        }
        let dfa = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| {
                Error::msg(format!("cannot build event lexicon: {e}")).with_path(origin)
            })?;
        let sources = [Kind::Noun, Kind::Verb, Kind::Phrase, Kind::Name, Kind::Stop]
            .map(|k| std::sync::Arc::from(source_name(k)));
        let rows = Rows::new(&dfa).map(std::sync::Arc::new);
        let mut ev = EventRecognizer {
            dfa: std::sync::Arc::new(dfa),
            rows,
            triggers,
            surfaces: patterns,
            sources,
            name_triggers: Vec::new(),
        };
        ev.name_triggers = TAXONOMY
            .iter()
            .filter_map(|(label, _)| Some((*label, ev.find_name_trigger(label)?)))
            .collect();
        Ok(ev)
    }

    /// The bundled lexicon.
    pub fn bundled() -> EventRecognizer {
        EventRecognizer::from_tsv(BUNDLED_LEXICON, "rules/events.tsv")
            .expect("bundled event lexicon compiles (checked by tests)")
    }

    /// Finds the events of one document. `entities` and `dates` are the
    /// resolved annotations of those layers, sorted by start.
    pub fn recognize<'a>(
        &self,
        text: &str,
        sentences: &[Sentence],
        tokens: &[Vec<Token>],
        entities: &'a [Annotation],
        dates: &'a [Annotation],
    ) -> Vec<Annotation> {
        let mut out = Vec::new();
        let mut heading_date: Option<Span> = None;
        // The last named crisis: a later "the crisis" refers back to it.
        let mut named_crisis: Option<&Trigger> = None;
        // The sentence's entities, dates and trigger spans: one set of
        // buffers for the document, refilled for each sentence.
        let (mut ents, mut sdates, mut spans): (Vec<&Annotation>, Vec<&Annotation>, Vec<Span>) =
            Default::default();
        let mut bounds = Clauses::default();
        let mut scratch = Scratch::default();
        // Passes over the sentences: the triggers of every sentence first,
        // then (below) the arguments, then the attributes and times, so
        // that each pass's code stays in the instruction cache from one
        // sentence to the next. The first keeps, for each sentence with
        // triggers, where its entities and dates lie, its fallback time and
        // its triggers.
        let mut pending: Vec<Pending> = Vec::with_capacity(sentences.len());
        let mut all_found: Vec<(Span, &Trigger)> = Vec::with_capacity(2 * sentences.len());
        // The buffers of `triggers_in`, reused from one sentence to the next.
        let (mut cands, mut stops) = (Vec::new(), Vec::new());
        // Where the entities and the dates of the sentence start: sentences
        // come in text order, so a walk on from the last sentence's first
        // one finds them (the same index as a binary search).
        let (mut from, mut last_start) = ([0usize; 2], 0);
        for (si, (sent, toks)) in sentences.iter().zip(tokens).enumerate() {
            let toks = toks.as_slice();
            if sent.span.start < last_start {
                from = [0; 2];
            }
            last_start = sent.span.start;
            let within = |anns: &'a [Annotation],
                          from: &mut usize,
                          into: &mut Vec<&'a Annotation>|
             -> (usize, usize) {
                let mut lo = *from;
                while anns.get(lo).is_some_and(|a| a.span.start < sent.span.start) {
                    lo += 1;
                }
                *from = lo;
                let hi = lo + anns[lo..].partition_point(|a| a.span.start < sent.span.end);
                inside(&anns[lo..hi], sent.span, into);
                (lo, hi)
            };
            let [fe, fd] = &mut from;
            let ent_range = within(entities, fe, &mut ents);
            let date_range = within(dates, fd, &mut sdates);
            if sent.heading {
                heading_date = sdates.iter().find(|d| d.label == "DATE").map(|d| d.span);
            }
            let mut found =
                self.triggers_in(text, sent, toks, &ents, std::mem::take(&mut cands), &mut stops);
            for (span, t) in &found {
                if t.kind == Kind::Name && span.of(text).contains("Crisis") {
                    named_crisis = Some(*t);
                }
            }
            if let Some(t) = named_crisis {
                for tok in toks {
                    if tok.span.of(text) == "crisis"
                        && found.iter().all(|(s, _)| !s.overlaps(tok.span))
                    {
                        found.push((tok.span, t));
                    }
                }
                found.sort_by_key(|(s, _)| s.start);
            }
            suppress(text, toks, &mut found);
            let lo = all_found.len();
            all_found.extend_from_slice(&found);
            cands = found;
            if lo == all_found.len() {
                continue;
            }
            let fallback_time = if sent.heading { None } else { heading_date };
            pending.push(Pending {
                sentence: si,
                ents: ent_range,
                dates: date_range,
                fallback_time,
                found: (lo, all_found.len()),
            });
        }
        // The clauses of each sentence, in one vector for the document:
        // the passes below each read them.
        let (mut saved_bounds, mut saved_holes) = (Vec::new(), Vec::new());
        let mut clause_ranges = Vec::with_capacity(pending.len() + 1);
        for p in &pending {
            let (sent, toks) = (&sentences[p.sentence], tokens[p.sentence].as_slice());
            clause_bounds(text, toks, sent.span, &mut bounds);
            clause_ranges.push((saved_bounds.len(), saved_holes.len()));
            saved_bounds.extend_from_slice(&bounds.bounds);
            saved_holes.extend_from_slice(&bounds.holes);
        }
        clause_ranges.push((saved_bounds.len(), saved_holes.len()));
        let restore = |i: usize, into: &mut Clauses| {
            let ((b0, h0), (b1, h1)) = (clause_ranges[i], clause_ranges[i + 1]);
            into.bounds.clear();
            into.bounds.extend_from_slice(&saved_bounds[b0..b1]);
            into.holes.clear();
            into.holes.extend_from_slice(&saved_holes[h0..h1]);
        };
        // One event per trigger of `all_found`, in order (the triggers of
        // the pending sentences); the passes below fill them in.
        out.extend(all_found.iter().map(|&(span, t)| Annotation {
            span,
            layer: Layer::Event,
            label: t.label,
            source: self.sources[t.kind as usize].clone(),
            attrs: Attrs::Event {
                cameo: t.cameo,
                args: Vec::new(),
                polarity: None,
                modality: None,
            },
        }));
        let mut cues = vec![TimeCues::default(); all_found.len()];
        // The arguments but the time, in two rounds: the events whose sides
        // are symmetric, then the others, so that each round runs one of
        // the two branches of `arguments`; then the attributes and the
        // times. Split so that each pass's code fits in the instruction
        // cache.
        for round in [true, false] {
            for (i, p) in pending.iter().enumerate() {
                let found = &all_found[p.found.0..p.found.1];
                if !found.iter().any(|(_, t)| symmetric_sides(t) == round) {
                    continue;
                }
                let sent = &sentences[p.sentence];
                inside(&entities[p.ents.0..p.ents.1], sent.span, &mut ents);
                restore(i, &mut bounds);
                for (k, &(span, t)) in (p.found.0..).zip(found) {
                    if symmetric_sides(t) != round {
                        continue;
                    }
                    let (a, c) = arguments(text, sent, &ents, span, t, &bounds, &mut scratch);
                    cues[k] = c;
                    if let Attrs::Event { args, .. } = &mut out[k].attrs {
                        *args = a;
                    }
                }
            }
        }
        for (i, p) in pending.iter().enumerate() {
            let (sent, toks) = (&sentences[p.sentence], tokens[p.sentence].as_slice());
            inside(&dates[p.dates.0..p.dates.1], sent.span, &mut sdates);
            let found = &all_found[p.found.0..p.found.1];
            spans.clear();
            spans.extend(found.iter().map(|(s, _)| *s));
            restore(i, &mut bounds);
            for (k, &(span, t)) in (p.found.0..).zip(found) {
                let (pol, modal) = attributes(text, toks, span, &mut scratch.lower);
                let time = event_time(
                    text,
                    sent,
                    &sdates,
                    span,
                    t,
                    p.fallback_time,
                    &spans,
                    modal.is_some(),
                    &bounds,
                    cues[k],
                );
                if let Attrs::Event { args, polarity, modality, .. } = &mut out[k].attrs {
                    (*polarity, *modality) = (pol, modal);
                    if let Some(ts) = time {
                        args.push(Arg { role: Role::Time, layer: Layer::Date, span: ts });
                    }
                }
            }
        }
        out
    }

    fn triggers_in<'a>(
        &'a self,
        text: &str,
        sent: &Sentence,
        toks: &[Token],
        ents: &[&Annotation],
        mut cands: Vec<(Span, &'a Trigger)>,
        stops: &mut Vec<Span>,
    ) -> Vec<(Span, &'a Trigger)> {
        let s = sent.span.of(text);
        cands.clear();
        stops.clear();
        let mut hit = |start: usize, end: usize, pid: usize| {
            let span = Span::new(sent.span.start + start, sent.span.start + end);
            if !segment::is_boundary(text, span) {
                return;
            }
            let surface = &self.surfaces[pid];
            for t in &self.triggers[pid] {
                if t.kind == Kind::Name && !super::gazetteer::capitals_match(surface, span.of(text))
                {
                    continue;
                }
                if !context_ok(text, toks, span, &t.context) {
                    continue;
                }
                if t.kind == Kind::Stop {
                    stops.push(span);
                } else {
                    cands.push((span, t));
                }
                break;
            }
        };
        match &self.rows {
            Some(rows) => rows.overlapping(s.as_bytes()).for_each(|(a, b, p)| hit(a, b, p)),
            None => Overlapping::new(&self.dfa, s.as_bytes()).for_each(|(a, b, p)| hit(a, b, p)),
        }
        if !sent.title_case {
            for (span, label) in named_by_pattern(text, toks, ents) {
                cands.push((span, self.name_trigger(label)));
            }
        }
        // No trigger inside a stop phrase ("prisoners of war") or inside
        // the name of an organisation, place or person ("Military Armistice
        // Commission", "Warsaw Pact").
        cands.retain(|(s, t)| {
            // Entities are sorted by start: only those starting at or
            // before the candidate can hold it.
            let ents = &ents[..ents.partition_point(|e| e.span.start <= s.start)];
            // A "name" that is an organisation's name ("Warsaw Pact").
            let org_name =
                t.kind == Kind::Name && ents.iter().any(|e| e.span == *s && e.label == "ORG");
            !org_name
                && !stops.iter().any(|st| st.contains(*s))
                && !ents.iter().any(|e| e.span.contains(*s) && e.span != *s && e.label != "NORP")
        });
        if cands.is_empty() {
            return cands;
        }
        // Longest first, then earliest, then named before common words.
        cands.sort_by_key(|(s, t)| (std::cmp::Reverse(s.len()), s.start, t.kind != Kind::Name));
        // Offsets from the sentence start keep the set as small as the
        // sentence.
        let base = sent.span.start;
        let mut taken = crate::resolve::Taken::with_end(sent.span.len());
        cands.retain(|(s, _)| taken.insert(Span::new(s.start - base, s.end - base)));
        cands.sort_by_key(|(s, _)| s.start);
        cands
    }

    fn name_trigger(&self, label: &'static str) -> &Trigger {
        let (i, j) = self
            .name_triggers
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, at)| *at)
            .or_else(|| self.find_name_trigger(label))
            .expect("every named-event label has a trigger in the lexicon");
        &self.triggers[i][j]
    }

    /// The first name trigger of `label` in the lexicon, else its first
    /// trigger that is not directed, as (pattern, index).
    fn find_name_trigger(&self, label: &str) -> Option<(usize, usize)> {
        let find = |ok: &dyn Fn(&Trigger) -> bool| {
            self.triggers.iter().enumerate().find_map(|(i, ts)| {
                ts.iter().position(|t| t.label == label && ok(t)).map(|j| (i, j))
            })
        };
        find(&|t| t.kind == Kind::Name).or_else(|| find(&|t| !t.context.directed))
    }
}

/// A sentence with triggers, from the first pass of
/// [`EventRecognizer::recognize`] to the later ones: its index, the ranges of the
/// entities and dates that start in it, its fallback time, and the range
/// of its triggers.
struct Pending {
    sentence: usize,
    ents: (usize, usize),
    dates: (usize, usize),
    fallback_time: Option<Span>,
    found: (usize, usize),
}

/// The `source` of an event found by a trigger of kind `k`.
fn source_name(k: Kind) -> &'static str {
    match k {
        Kind::Noun => "event:noun",
        Kind::Verb => "event:verb",
        Kind::Phrase => "event:phrase",
        Kind::Name => "event:name",
        Kind::Stop => "event:stop",
    }
}

fn word_index(toks: &[Token], pos: usize) -> Option<usize> {
    // Tokens are in text order: a binary search.
    let i = toks.partition_point(|t| t.span.start < pos);
    (i < toks.len()).then_some(i)
}

/// The token in lowercase, borrowed when it is ASCII without capitals
/// (most tokens: no allocation).
fn lower<'t>(text: &'t str, t: &Token) -> std::borrow::Cow<'t, str> {
    lowercase(t.span.of(text))
}

/// `w` in lowercase, borrowed when it is ASCII without capitals.
fn lowercase(w: &str) -> std::borrow::Cow<'_, str> {
    if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(w)
    } else {
        std::borrow::Cow::Owned(w.to_lowercase())
    }
}

/// One buffer for the lowercase forms of a few words at a time, reused
/// from one trigger to the next: no allocation per capitalized word.
#[derive(Debug, Default)]
struct LowerBuf {
    buf: String,
}

impl LowerBuf {
    /// The first `len` of `words` in lowercase, each equal to
    /// [`lowercase`] of it (borrowed when ASCII without capitals); the rest
    /// are empty.
    fn lower<'b, 't: 'b, const N: usize>(
        &'b mut self,
        words: &[&'t str; N],
        len: usize,
    ) -> [&'b str; N] {
        self.buf.clear();
        let mut at = [None; N];
        for (slot, &w) in at.iter_mut().zip(&words[..len]) {
            let start = self.buf.len();
            if !w.is_ascii() {
                self.buf.push_str(&w.to_lowercase());
            } else if w.bytes().any(|b| b.is_ascii_uppercase()) {
                self.buf.push_str(w);
                self.buf[start..].make_ascii_lowercase();
            } else {
                continue;
            }
            *slot = Some((start, self.buf.len()));
        }
        let buf = self.buf.as_str();
        std::array::from_fn(|i| match at[i] {
            Some((a, b)) => &buf[a..b],
            None if i < len => words[i],
            None => "",
        })
    }
}

/// Up to [`Words::CAP`] words, lowercased, in a fixed array: the few words
/// around a trigger that the tests look at, without a vector per trigger.
struct Words<'t, 'b> {
    words: [&'b str; Words::CAP],
    /// The same words as written (trimmed, not lowercased).
    raw: [&'t str; Words::CAP],
    len: usize,
}

impl<'t: 'b, 'b> Words<'t, 'b> {
    const CAP: usize = 6;

    /// The last words of `s`, nearest first, trimmed of what is not
    /// alphanumeric; lowercased in `buf`.
    fn before(s: &'t str, buf: &'b mut LowerBuf) -> Words<'t, 'b> {
        let mut raw = [""; Words::CAP];
        let mut len = 0;
        for w in RevWords::new(s).take(Words::CAP) {
            raw[len] = w.trim_matches(|c: char| !c.is_alphanumeric());
            len += 1;
        }
        Words { words: buf.lower(&raw, len), raw, len }
    }

    /// [`is_passive`] of these words.
    fn passive(&self) -> bool {
        is_passive(self.raw[..self.len].iter().copied())
    }
}

/// The words of a text from the last to the first: the same as
/// `split_whitespace().rev()`, testing ASCII bytes directly.
struct RevWords<'t> {
    s: &'t str,
    end: usize,
}

impl<'t> RevWords<'t> {
    fn new(s: &'t str) -> RevWords<'t> {
        RevWords { s, end: s.len() }
    }

    /// The start of the character that ends at `i`, and whether it is
    /// whitespace.
    fn char_before(&self, i: usize) -> (usize, bool) {
        let b = self.s.as_bytes();
        let c = b[i - 1];
        if c < 0x80 {
            return (i - 1, crate::segment::is_space_byte(c));
        }
        let mut j = i - 1;
        while !self.s.is_char_boundary(j) {
            j -= 1;
        }
        (j, self.s[j..i].chars().next().is_some_and(char::is_whitespace))
    }
}

impl<'t> Iterator for RevWords<'t> {
    type Item = &'t str;
    fn next(&mut self) -> Option<&'t str> {
        let mut end = self.end;
        loop {
            if end == 0 {
                self.end = 0;
                return None;
            }
            let (j, space) = self.char_before(end);
            if !space {
                break;
            }
            end = j;
        }
        let mut start = end;
        while start > 0 {
            let (j, space) = self.char_before(start);
            if space {
                break;
            }
            start = j;
        }
        self.end = start;
        Some(&self.s[start..end])
    }
}

impl<'b> std::ops::Deref for Words<'_, 'b> {
    type Target = [&'b str];
    fn deref(&self) -> &Self::Target {
        &self.words[..self.len]
    }
}

fn is_number(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

fn context_ok(text: &str, toks: &[Token], span: Span, c: &Context) -> bool {
    // Most triggers have no condition: nothing to look up.
    if c.next.is_empty()
        && c.next_not.is_empty()
        && c.prev.is_empty()
        && c.prev_not.is_empty()
        && c.near.is_empty()
        && c.near_not.is_empty()
    {
        return true;
    }
    let first = word_index(toks, span.start).filter(|&i| toks[i].span.start == span.start);
    let last = {
        // The last token ending at the span's end (tokens are in order).
        let i = toks.partition_point(|t| t.span.end <= span.end);
        i.checked_sub(1).filter(|&i| toks[i].span.end == span.end)
    };
    let next = last.and_then(|i| toks.get(i + 1)).map(|t| lower(text, t));
    let prev = first.and_then(|i| i.checked_sub(1)).map(|i| lower(text, &toks[i]));
    let in_list = |w: &Option<std::borrow::Cow<'_, str>>, list: &[String]| {
        w.as_deref().is_some_and(|w| list.iter().any(|l| l == w || (l == "#num" && is_number(w))))
    };
    if !c.next.is_empty() && !in_list(&next, &c.next) {
        return false;
    }
    if in_list(&next, &c.next_not) {
        return false;
    }
    if !c.prev.is_empty() && !in_list(&prev, &c.prev) {
        return false;
    }
    if in_list(&prev, &c.prev_not) {
        return false;
    }
    if !c.near.is_empty() || !c.near_not.is_empty() {
        let (Some(f), Some(l)) = (first, last) else { return false };
        let window = &toks[f.saturating_sub(5)..(l + 6).min(toks.len())];
        let has = |class: &[&str]| window.iter().any(|t| class.contains(&lower(text, t).as_ref()));
        if !c.near.iter().all(|class| has(class)) || c.near_not.iter().any(|class| has(class)) {
            return false;
        }
    }
    true
}

/// Named events by pattern: capitalized words (or entity names joined by
/// hyphens) before a capitalized head word ("Iran-Iraq War", "Camp David
/// Accords").
fn named_by_pattern(text: &str, toks: &[Token], ents: &[&Annotation]) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    // Every head word starts with an ASCII capital: one byte test skips
    // most tokens.
    let capital = |t: &Token| text.as_bytes().get(t.span.start).is_some_and(u8::is_ascii_uppercase);
    // The first token that may open a name ("Treaty of …"), for the
    // second pass.
    let mut first_head = None;
    for (i, t) in toks.iter().enumerate() {
        if !capital(t) {
            continue;
        }
        let w = t.span.of(text);
        if first_head.is_none() && name_head_first(w).is_some() {
            first_head = Some(i);
        }
        let Some(label) = name_head(w) else { continue };
        let mut j = i;
        let mut start = None;
        while j > 0 {
            let p = &toks[j - 1];
            let pw = p.span.of(text);
            let cap =
                p.kind == TokenKind::Word && pw.chars().next().is_some_and(char::is_uppercase);
            let hyphen = p.kind == TokenKind::Punct && matches!(pw, "-" | "–") && j >= 2;
            let adjacent = text[p.span.end..toks[j].span.start].chars().all(|c| c == ' ');
            if !adjacent {
                break;
            }
            if cap && !name_stop(pw) {
                start = Some(p.span.start);
                j -= 1;
            } else if hyphen {
                j -= 1;
            } else {
                break;
            }
        }
        let Some(start) = start else { continue };
        // An armistice or ceasefire agreement is a CEASEFIRE.
        let label = if toks[j..i]
            .iter()
            .any(|k| matches!(k.span.of(text), "Armistice" | "Ceasefire" | "Truce"))
        {
            "CEASEFIRE"
        } else {
            label
        };
        // A hyphen left dangling at the start is not part of the name.
        let start =
            toks[j..i].iter().find(|k| k.kind == TokenKind::Word).map_or(start, |k| k.span.start);
        let span = Span::new(start, t.span.end);
        // At least one part must be a known entity or a multiword name.
        let has_entity = ents.iter().any(|e| span.contains(e.span));
        if has_entity || i - j >= 2 {
            out.push((span, label));
        }
    }
    // "Treaty of Peace, Friendship and Cooperation", "Battle of Goose Green".
    let Some(first_head) = first_head else { return out };
    for (i, t) in toks.iter().enumerate().skip(first_head) {
        if !capital(t) {
            continue;
        }
        let w = t.span.of(text);
        let Some(label) = name_head_first(w) else { continue };
        if toks.get(i + 1).map(|k| k.span.of(text)) != Some("of") {
            continue;
        }
        let mut end = None;
        let mut j = i + 2;
        while let Some(k) = toks.get(j) {
            let kw = k.span.of(text);
            let cap = k.kind == TokenKind::Word && kw.starts_with(|c: char| c.is_uppercase());
            if cap && !name_stop(kw) {
                end = Some(k.span.end);
            } else if !(matches!(kw, "," | "and" | "-" | "the") && end.is_some()) {
                break;
            }
            j += 1;
        }
        if let Some(end) = end {
            out.push((Span::new(t.span.start, end), label));
        }
    }
    out
}

/// Drops triggers that repeat an event already counted: same-label words
/// right after each other ("debt owed"), and transfer words governed by a
/// sanction ("cut off arms exports").
fn suppress(text: &str, toks: &[Token], found: &mut Vec<(Span, &Trigger)>) {
    // One trigger repeats none.
    if found.len() < 2 {
        return;
    }
    let idx = |pos: usize| word_index(toks, pos).unwrap_or(toks.len());
    let mut drop = vec![false; found.len()];
    for i in 1..found.len() {
        let (ps, pt) = found[i - 1];
        let (s, t) = found[i];
        let gap = idx(s.start).saturating_sub(idx(ps.end));
        // " and " and " or " in ASCII case: no other character lowercases
        // to these letters or to a space.
        let between = &text[ps.end..s.start];
        let coordinated = between.contains(',')
            || find_spaced_ci(between.as_bytes(), "and").is_some()
            || find_spaced_ci(between.as_bytes(), "or").is_some();
        if pt.label == t.label && gap <= 1 && !coordinated && pt.kind != Kind::Name {
            // Keep the noun that names the event: "debt owed" keeps
            // "debt", "signed a treaty" keeps "treaty".
            if pt.kind == Kind::Verb && t.kind != Kind::Verb {
                drop[i - 1] = true;
            } else {
                drop[i] = true;
            }
        }
        if pt.label == "SANCTION"
            && matches!(t.label, "ARMS_TRANSFER" | "COOPERATION" | "AID")
            && gap <= 3
            && !coordinated
        {
            drop[i] = true;
        }
    }
    // A speech act or a signing that governs an event noun is not a second
    // event: "declared war" is WAR, "signed the Bratislava Declaration"
    // and "the treaty, signed in Moscow" are one AGREEMENT.
    for i in 0..found.len() {
        let (s, t) = found[i];
        let light_statement = t.label == "STATEMENT"
            && matches!(
                lowercase(s.of(text)).as_ref(),
                "declared" | "announced" | "proclaimed" | "declares" | "announces"
            );
        let signing = t.label == "AGREEMENT" && t.kind == Kind::Verb;
        if !(light_statement || signing) {
            continue;
        }
        // Only near neighbours can be governed (a few tokens away).
        let lo = i.saturating_sub(8);
        let hi = (i + 9).min(found.len());
        for (j, &(s2, t2)) in found.iter().enumerate().take(hi).skip(lo) {
            if i == j || t2.kind == Kind::Verb {
                continue;
            }
            let (a, b) = if s2.start > s.end { (s.end, s2.start) } else { (s2.end, s.start) };
            if a > b {
                continue;
            }
            let gap = idx(b).saturating_sub(idx(a));
            let between = &text[a..b];
            let governed = if light_statement {
                s2.start > s.end && gap <= 3 && !between.contains([',', ';'])
            } else {
                t2.label == "AGREEMENT" && gap <= 6 && !between.contains([';', '.'])
            };
            if governed {
                drop[i] = true;
            }
        }
    }
    // A verb whose subject is an event already counted: "a crackdown that
    // killed thousands", "sank the cruiser, killing 323", "a second
    // resolution urged member states".
    for i in 1..found.len() {
        let (s, t) = found[i];
        let w = lowercase(s.of(text));
        let consequence =
            matches!(w.as_ref(), "killed" | "killing" | "kills" | "urged" | "demanded" | "called");
        if !consequence || t.kind != Kind::Verb {
            continue;
        }
        let (ps, pt) = found[i - 1];
        let between = &text[ps.end..s.start];
        let gap = idx(s.start).saturating_sub(idx(ps.end));
        if pt.kind != Kind::Verb
            && gap <= 8
            && !between.contains([';', '.'])
            && find_spaced_ci(between.as_bytes(), "and").is_none()
        {
            drop[i] = true;
        }
        if pt.kind == Kind::Verb
            && pt.label == "ATTACK"
            && gap <= 6
            && between.trim_start().starts_with(',')
        {
            drop[i] = true;
        }
    }
    let mut k = 0;
    found.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

fn is_negator(w: &str) -> bool {
    matches!(w, "not" | "never" | "n't" | "no" | "without" | "refused" | "declined" | "failed")
}
fn is_hedge(w: &str) -> bool {
    matches!(
        w,
        "threatened"
            | "threatens"
            | "threaten"
            | "threat"
            | "possible"
            | "potential"
            | "planned"
            | "proposed"
            | "would"
            | "could"
            | "might"
            | "may"
            | "prevent"
            | "avoid"
            | "averted"
            | "plan"
            | "plans"
            | "considering"
            | "considered"
            | "if"
            | "hypothetical"
            | "feared"
            | "risk"
            | "prospect"
        // Demanded, pressed or called for, expected, due, options, fears and
        // dangers (4.3).
            | "demanding"
            | "demanded"
            | "demand"
            | "demands"
            | "pressed"
            | "urged"
            | "urging"
            | "expected"
            | "expects"
            | "expect"
            | "scheduled"
            | "due"
            | "options"
            | "fears"
            | "fear"
            | "danger"
    )
}

fn attributes(
    text: &str,
    toks: &[Token],
    span: Span,
    buf: &mut LowerBuf,
) -> (Option<&'static str>, Option<&'static str>) {
    let Some(i) = word_index(toks, span.start) else { return (None, None) };
    let lo = i.saturating_sub(4);
    // "May" with a capital is the month ("On 28 May: …"), not the modal.
    let mut raw = [""; 4];
    for (slot, t) in raw.iter_mut().zip(&toks[lo..i]) {
        let w = t.span.of(text);
        *slot = if w == "May" { "28" } else { w };
    }
    let before = buf.lower(&raw, i - lo);
    let before = &before[..i - lo];
    let stop = before.iter().rposition(|w| matches!(*w, "," | ";" | ":" | "." | "and" | "but"));
    let window = &before[stop.map_or(0, |p| p + 1)..];
    // "didn’t" is three tokens: "didn", an apostrophe, "t".
    let contracted =
        window.windows(3).any(|w| w[0].ends_with('n') && matches!(w[1], "'" | "’") && w[2] == "t");
    let neg = contracted || window.iter().any(|w| is_negator(w));
    // "called for a ceasefire", "the right to intervene" (not "so-called",
    // "right-wing").
    let bigram = window
        .windows(2)
        .any(|w| matches!((w[0], w[1]), ("called" | "calling" | "calls", "for") | ("right", "to")));
    let hyp = bigram || window.iter().any(|w| is_hedge(w));
    (neg.then_some("NEG"), hyp.then_some("HYPOTHETICAL"))
}

/// Clause boundaries inside a sentence: `;`, and commas before a
/// conjunction or relative word; and the non-restrictive relative clauses
/// that close before the main clause goes on ("The monarchies, which had
/// bankrolled Egypt after the 1973 war, cut off their aid": the main
/// clause is "The monarchies … cut off their aid").
#[derive(Debug, Clone, Default)]
struct Clauses {
    bounds: Vec<usize>,
    /// Relative clauses, from after the comma before "which" to the end of
    /// the comma that closes them (both are bounds).
    holes: Vec<Span>,
}

/// Fills `out` with the clauses of the sentence `sent` (the buffers are
/// reused from one sentence to the next).
fn clause_bounds(text: &str, toks: &[Token], sent: Span, out: &mut Clauses) {
    let Clauses { bounds, holes } = out;
    bounds.clear();
    holes.clear();
    bounds.push(sent.start);
    let mut skip_to = 0;
    for (i, t) in toks.iter().enumerate() {
        // Only punctuation (one character) ends a clause.
        if t.kind != TokenKind::Punct {
            continue;
        }
        // Only these four can do anything below: a byte test skips the rest.
        let b = &text.as_bytes()[t.span.start..t.span.end];
        if !matches!(b, b":" | b";" | b"," | [0xe2, 0x80, 0x94]) {
            continue;
        }
        let w = t.span.of(text);
        // A colon ends a clause ("…, went further: Premier Nikolai Bulganin
        // warned …"), but not a date label at the front ("• 21 May: British
        // troops landed …", which dates the line).
        let label = w == ":" && {
            let prefix = &text[sent.start..t.span.start];
            prefix.split_whitespace().take(5).count() <= 4
                && prefix.split_whitespace().all(|x| {
                    let x = x.trim_matches(|c: char| matches!(c, ',' | '.'));
                    x.chars().all(|c| c.is_ascii_digit() || matches!(c, '–' | '-' | '•' | '·'))
                        || MONTHS.iter().any(|m| x.eq_ignore_ascii_case(m))
                })
        };
        if w == ";" || w == "—" || (w == ":" && !label) {
            bounds.push(t.span.end);
        }
        if w == "," && t.span.end > skip_to {
            if let Some(n) = toks.get(i + 1) {
                let nw = lowercase(n.span.of(text));
                if matches!(
                    nw.as_ref(),
                    "and"
                        | "but"
                        | "while"
                        | "which"
                        | "although"
                        | "though"
                        | "whereas"
                        | "leading"
                        | "who"
                        | "when"
                        | "yet"
                        | "so"
                ) {
                    bounds.push(t.span.end);
                }
                if matches!(nw.as_ref(), "which" | "who" | "whose") {
                    // The comma that closes the relative clause, when a verb
                    // of the main clause follows it. The scan stops at the
                    // next comma, so the sentence is read once.
                    let close = toks[i + 1..]
                        .iter()
                        .take(60)
                        .enumerate()
                        .find(|(_, k)| matches!(k.span.of(text), "," | ";" | "—" | ":"));
                    if let Some((j, c)) = close {
                        let next = toks.get(i + 2 + j).map(|k| k.span.of(text)).unwrap_or("");
                        let verb_like = c.span.of(text) == ","
                            && next.starts_with(char::is_lowercase)
                            && !is_preposition(next)
                            && !matches!(
                                next,
                                "and"
                                    | "or"
                                    | "but"
                                    | "the"
                                    | "a"
                                    | "an"
                                    | "which"
                                    | "who"
                                    | "whose"
                                    | "while"
                                    | "when"
                                    | "although"
                                    | "though"
                            );
                        if verb_like {
                            holes.push(Span::new(t.span.end, c.span.end));
                            bounds.push(c.span.end);
                            skip_to = c.span.end;
                        }
                    }
                }
            }
        }
    }
    bounds.push(sent.end);
}

/// Month names and their abbreviations, for date labels ("• 21 May:").
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];

/// The clause holding `pos` (computed once per sentence by
/// [`clause_bounds`]), and the relative clause inside it, if any: after a
/// relative clause, the clause runs from the start of the one before it.
fn clause_at(clauses: &Clauses, sent: Span, pos: usize) -> (Span, Option<Span>) {
    let bounds = &clauses.bounds;
    let k = bounds.partition_point(|&b| b <= pos).saturating_sub(1);
    let end = bounds.get(k + 1).copied().unwrap_or(sent.end).max(bounds[k]);
    if let Some(h) = clauses.holes.iter().find(|h| h.end == bounds[k]) {
        let m = bounds.partition_point(|&b| b < h.start).saturating_sub(1);
        return (Span::new(bounds[m].min(h.start), end), Some(*h));
    }
    (Span::new(bounds[k], end), None)
}

/// The entities (sorted by start) that start in `lo..hi`.
fn starting_in<'s, 'a>(ents: &'s [&'a Annotation], lo: usize, hi: usize) -> &'s [&'a Annotation] {
    let a = ents.partition_point(|e| e.span.start < lo);
    let b = ents.partition_point(|e| e.span.start < hi);
    &ents[a..b.max(a)]
}

fn is_participant_entity(a: &Annotation) -> bool {
    matches!(a.label, "GPE" | "ORG" | "NORP" | "PERSON")
}

/// Skips over a determiner and "both sides, including" style words to the
/// next entity after `pos`, stopping at clause punctuation.
fn entity_after<'a>(
    text: &str,
    ents: &[&'a Annotation],
    pos: usize,
    limit: usize,
) -> Option<&'a Annotation> {
    // Entities are sorted by start: a binary search keeps this O(log n).
    let i = ents.partition_point(|e| e.span.start < pos);
    let e = ents[i..].iter().find(|e| is_participant_entity(e))?;
    let gap = &text[pos..e.span.start];
    // A comma or point inside a number ("some 100,000 Iraqi troops") does
    // not close the phrase.
    let b = gap.as_bytes();
    let clause_punct = b.iter().enumerate().any(|(i, &c)| match c {
        b';' | b':' => true,
        b'.' | b',' => {
            !(i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        }
        _ => false,
    });
    (gap.split_whitespace().count() <= limit && !clause_punct).then_some(*e)
}

/// A city or subdivision (GeoNames id, ISO 3166-2 code, project city id):
/// named bare before or inside an event ("the Simla Agreement", "the
/// Tehran agreement", "the Gdańsk Strike") it is where the event happened,
/// not a party. A possessive ("Washington's irritation") still is one.
fn is_place(a: &Annotation) -> bool {
    let Attrs::Entity { kb_id: Some(k), .. } = &a.attrs else { return false };
    let b = k.as_bytes();
    let subdivision = b.len() > 3 && b[2] == b'-' && b[..2].iter().all(u8::is_ascii_uppercase);
    a.label == "GPE" && (k.starts_with("geonames:") || k.starts_with("city:") || subdivision)
}

/// Lowercase title words between an adjective or possessor and a person:
/// "US ambassador Adlai Stevenson", "Britain’s prime minister, Tony Blair".
const TITLES: &[&str] = &[
    "president",
    "prime",
    "minister",
    "foreign",
    "defence",
    "defense",
    "ambassador",
    "envoy",
    "delegate",
    "leader",
    "premier",
    "chancellor",
    "general",
    "commander",
    "spokesman",
    "spokeswoman",
    "king",
    "queen",
    "dictator",
    "chief",
    "secretary",
    "official",
    "diplomat",
    "negotiator",
    "representative",
    "strongman",
    "ruler",
    "head",
    "former",
    "then",
    "new",
];

/// A place right before the trigger, not possessive: "the Tehran
/// agreement", "The Gdańsk Strike" (where, not who).
fn bare_place(text: &str, e: &Annotation, span: Span) -> bool {
    is_place(e) && e.span.end <= span.start && text[e.span.end..span.start].trim().is_empty()
}

/// Whether a possessive ending follows `e` ("Iraq’s", "Soviets'").
fn possessive(text: &str, e: &Annotation) -> bool {
    let after = &text[e.span.end..];
    after.starts_with("’s")
        || after.starts_with("'s")
        || after.starts_with('’')
        || after.starts_with('\'')
}

/// The head of a noun phrase that an entity only modifies: the possessed
/// entity of "South Africa’s Nelson Mandela", "Gaddafi’s Libya", "Bosnia’s
/// Muslims", and, when `persons`, the person an adjective or a title names
/// ("US ambassador Adlai Stevenson", "South Korean President Syngman Rhee",
/// "Britain’s prime minister, Tony Blair,", "the Soviet delegate, Yakov
/// Malik,").
fn np_head<'a>(
    text: &str,
    ents: &[&'a Annotation],
    e: &'a Annotation,
    persons: bool,
) -> &'a Annotation {
    let i = ents.partition_point(|x| x.span.start <= e.span.start);
    let Some(next) = ents[i..].iter().copied().find(|x| x.span.start >= e.span.end) else {
        return e;
    };
    if !is_participant_entity(next) {
        return e;
    }
    let gap = &text[e.span.end..next.span.start];
    // "the Rwandan Patriotic Front (RPF), …, invaded": the abbreviation,
    // nearer the trigger, is linked.
    let abbreviation = next.span.of(text).chars().all(|c| c.is_uppercase() || c == '.');
    if gap.trim() == "(" && abbreviation && text[next.span.end..].starts_with(')') {
        return next;
    }
    let g = gap.trim_start_matches(['’', '\'']).trim_start_matches('s');
    if possessive(text, e) && g.trim().is_empty() && !g.is_empty() {
        return next;
    }
    if !persons || next.label != "PERSON" || e.label == "PERSON" {
        return e;
    }
    // Title words only: "President", "prime minister", "ambassador".
    let (words, appos) = match g.trim_end().strip_suffix(',') {
        Some(w) => (w, true),
        None => (g, false),
    };
    let titled = !words.trim().is_empty()
        && words.split_whitespace().count() <= 3
        && words.split_whitespace().all(|w| {
            let capital = w.starts_with(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
                && !segment::FUNCTION_WORDS.contains(&w);
            capital || TITLES.contains(&w)
        });
    let closes = !appos || text[next.span.end..].trim_start().starts_with(',');
    if titled && closes {
        next
    } else {
        e
    }
}

/// Prepositions that make the entity after them a circumstance (place,
/// source, recipient), not the subject of a clause.
fn is_preposition(w: &str) -> bool {
    // A `match` tests the length first: cheaper than a scan of a list.
    matches!(
        w,
        "in" | "at"
            | "on"
            | "from"
            | "to"
            | "of"
            | "near"
            | "into"
            | "with"
            | "for"
            | "across"
            | "over"
            | "under"
            | "via"
            | "against"
            | "toward"
            | "towards"
            | "between"
            | "among"
            | "by"
            | "inside"
            | "outside"
    )
}

/// Verbs that take an event noun as their object: the subject of the
/// clause is then a party to the event ("Iran and Iraq signed a treaty").
fn is_light_verb(w: &str) -> bool {
    matches!(
        w,
        "signed"
            | "signs"
            | "sign"
            | "initialled"
            | "initialed"
            | "go"
            | "went"
            | "gone"
            | "accepted"
            | "accepts"
            | "held"
            | "holds"
            | "hold"
            | "formed"
            | "forms"
            | "concluded"
            | "reached"
            | "agreed"
            | "negotiated"
            | "began"
            | "begin"
            | "opened"
            | "resumed"
            | "maintained"
            | "kept"
            | "had"
            | "has"
            | "have"
            | "struck"
            | "forged"
            | "established"
            | "restored"
            | "launched"
            | "imposed"
            | "imposes"
            | "impose"
            | "declared"
            | "announced"
            | "fought"
            | "waged"
            | "started"
            | "joined"
            | "entered"
            | "ended"
            | "broke"
            | "severed"
            | "cut"
            | "lifted"
            | "extended"
            | "offered"
            | "provided"
            | "gave"
            | "sent"
            | "threatened"
            | "staged"
            | "carried"
            | "conducted"
            | "mounted"
    )
}

/// The word before `pos` (lowercased), looking past one determiner: "at
/// the UN Security Council" gives "at".
fn word_before(text: &str, lo: usize, pos: usize) -> std::borrow::Cow<'_, str> {
    let mut words = text[segment::back(text, lo, pos, 40)..pos]
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',');
    let w = words.next().unwrap_or("");
    // In ASCII case: nothing else lowercases to these letters.
    if ["the", "a", "an"].iter().any(|d| w.eq_ignore_ascii_case(d)) {
        if let Some(p) = words.next() {
            return lowercase(p);
        }
    }
    lowercase(w)
}

/// Whether `s` opens a relative clause ("which had bankrolled Egypt").
fn starts_relative(s: &str) -> bool {
    matches!(s.split_whitespace().next(), Some("which" | "who" | "whose" | "whom"))
}

/// Words that open an introductory phrase or clause ("In Washington, …",
/// "Instead of reinforcing UNAMIR, …", "After Kissinger's trip, …"): no
/// entity before its comma is the subject of the main clause.
fn is_introducer(w: &str) -> bool {
    matches!(
        w,
        "in" | "at"
            | "on"
            | "after"
            | "before"
            | "following"
            | "during"
            | "despite"
            | "instead"
            | "under"
            | "with"
            | "without"
            | "for"
            | "from"
            | "by"
            | "unlike"
            | "amid"
            | "until"
    )
}

/// Entities of the clause that can be its subject: before `pos`, not after
/// a preposition, not inside parentheses or a comma-delimited appositive
/// that closes before `pos`. The nearest one to `pos` comes first.
fn subjects<'a>(
    text: &str,
    clause: Span,
    ents: &[&'a Annotation],
    pos: usize,
) -> Vec<&'a Annotation> {
    // A subject stands within a few hundred bytes of its verb; looking no
    // further keeps very long sentences linear.
    let mut lo = clause.start.max(pos.saturating_sub(400));
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let clause = Span::new(lo.min(clause.end), clause.end);
    // An introductory phrase that closes with a comma before `pos`.
    let head = &text[clause.start..pos];
    let first_word =
        head.split_whitespace().next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric());
    let first_word = lowercase(first_word);
    let intro_end = match is_introducer(&first_word).then(|| head.find(", ")) {
        Some(Some(c)) if !starts_relative(&head[c + 2..]) => clause.start + c,
        _ => clause.start,
    };
    let mut out: Vec<&Annotation> = starting_in(ents, clause.start, pos)
        .iter()
        .copied()
        .filter(|e| clause.contains(e.span) && e.span.end <= pos && is_participant_entity(e))
        .filter(|e| !is_preposition(&word_before(text, clause.start, e.span.start)))
        .filter(|e| {
            let before = &text[clause.start..e.span.start];
            let after = &text[e.span.end..pos];
            let in_paren = memchr::memchr(b'(', before.as_bytes()).is_some()
                && before.matches('(').count() > before.matches(')').count();
            // "…, which had bankrolled Egypt …, cut off": inside a relative
            // clause that closes before the verb.
            let in_relative = before.rfind(',').is_some_and(|c| starts_relative(&before[c + 1..]))
                && after.find(", ").is_some_and(|c| {
                    // The relative clause closes and the main verb follows.
                    let w = after[c + 2..].split_whitespace().next().unwrap_or("");
                    w.starts_with(char::is_lowercase)
                        && !is_preposition(w)
                        && !matches!(w, "and" | "or" | "but" | "the" | "a" | "an" | "which" | "who")
                });
            if in_relative {
                return false;
            }
            // "Schabowski, a spokesman for the Party, told": the Party sits
            // in an appositive that closes before the verb.
            let in_apposition = before.trim_end().ends_with(|c: char| c.is_alphanumeric())
                && before
                    .rfind(',')
                    .is_some_and(|c| !text[clause.start + c..e.span.start].contains(" and "))
                && after.trim_start().starts_with(',')
                && before.contains(',');
            !in_paren && !in_apposition
        })
        .collect();
    // The introductory phrase is set aside only when the main clause has a
    // subject of its own after it ("In 1998 the Kosovo Liberation Army
    // (KLA), a guerrilla force, attacked": no introductory phrase).
    if out.iter().any(|e| e.span.start >= intro_end) {
        out.retain(|e| e.span.start >= intro_end);
    }
    out.reverse();
    out
}

/// Entities joined to `first` by "and", commas or hyphens, in order.
fn coordinated<'a>(
    text: &str,
    ents: &[&'a Annotation],
    first: &'a Annotation,
    limit: usize,
) -> Vec<&'a Annotation> {
    let mut out = vec![first];
    let mut cur = first;
    for e in ents[ents.partition_point(|e| e.span.start < first.span.end)..]
        .iter()
        .copied()
        .filter(|e| is_participant_entity(e))
    {
        if e.span.start > limit {
            break;
        }
        let gap = text[cur.span.end..e.span.start].trim();
        let gap = gap.trim_start_matches(['’', '\'']).trim_start_matches('s').trim();
        // "649 Argentine and 255 British servicemen": a number before the
        // conjunct.
        let gap = match gap.rsplit_once(' ') {
            Some((g, n)) if n.chars().all(|c| c.is_ascii_digit() || c == ',') => g.trim(),
            _ => gap,
        };
        // "the two German states, the United States, …": an adjective's
        // noun before the conjunction, a determiner after it.
        let gap = gap.strip_suffix(" the").map_or(gap, str::trim);
        let gap = match gap.split_once([' ', ',']) {
            Some((noun, _))
                if cur.label == "NORP"
                    && !noun.is_empty()
                    && !matches!(noun, "and" | "or")
                    && noun.chars().all(char::is_lowercase) =>
            {
                gap[noun.len()..].trim_start()
            }
            _ => gap,
        };
        if matches!(gap, "and" | "," | ", and" | "-" | "–" | "/" | "or") {
            out.push(e);
            cur = e;
        } else if e.label == "PERSON" && np_head(text, ents, cur, true).span == e.span {
            // "Egyptian President Anwar Sadat and Israeli Prime Minister
            // Menachem Begin": the person a title names, then on.
            cur = e;
        } else {
            break;
        }
    }
    out
}

/// The entities named right before the trigger as its modifiers:
/// "Soviet-Iraqi alliance", "Iraq’s invasion", "UN Security Council
/// resolutions", "US sanctions".
fn premodifiers<'a>(text: &str, ents: &[&'a Annotation], span: Span) -> Vec<&'a Annotation> {
    let mut out: Vec<&Annotation> = Vec::new();
    let mut pos = span.start;
    let hi = ents.partition_point(|e| e.span.start < span.start);
    for e in ents[..hi].iter().rev().copied().filter(|e| e.span.end <= span.start) {
        if !is_participant_entity(e) {
            continue;
        }
        // An entity that overlaps the one taken last (a surname inside a
        // name) stands in no gap before it.
        let Some(gap) = text.get(e.span.end..pos) else { continue };
        let g = gap.trim_start_matches(['’', '\'']).trim_start_matches('s');
        let joined = if out.is_empty() {
            // Only adjectives may stand between ("Soviet arms embargo").
            g.chars().all(|c| c == ' ' || c == '-' || c == '–')
                || (g.split_whitespace().take(3).count() <= 2
                    && !g.contains([',', '(', ')'])
                    && g.split_whitespace().all(|w| {
                        // "a French judge’s accusations": a possessive noun.
                        let w = w.trim_end_matches("’s").trim_end_matches("'s");
                        w.chars().all(|c| c.is_lowercase() || c == '-')
                            && !matches!(
                                w,
                                "and"
                                    | "the"
                                    | "of"
                                    | "in"
                                    | "to"
                                    | "by"
                                    | "with"
                                    | "a"
                                    | "an"
                                    | "on"
                                    | "for"
                            )
                    }))
        } else {
            matches!(g.trim(), "-" | "–" | "and" | "," | "/")
        };
        if !joined {
            break;
        }
        out.push(e);
        pos = e.span.start;
    }
    out.reverse();
    out
}

/// Members' votes in a clause about a resolution: entities followed by
/// "against", "abstaining", "abstained" or "voting against", with the
/// conjuncts before them ("with Cuba and Yemen against and China
/// abstaining"), and the agent of "vetoed by".
fn votes_in<'a>(
    text: &str,
    ents: &[&'a Annotation],
    clause: Span,
    span: Span,
) -> Vec<&'a Annotation> {
    let ents = starting_in(ents, clause.start, clause.end);
    let mut out: Vec<&Annotation> = Vec::new();
    for (i, e) in ents.iter().enumerate() {
        if !is_participant_entity(e) || e.span.overlaps(span) {
            continue;
        }
        let after = text[e.span.end..clause.end].trim_start().to_ascii_lowercase();
        let votes = ["against", "abstaining", "abstained", "voting against", "voted against"]
            .iter()
            .any(|w| after.starts_with(w) && !after[w.len()..].starts_with(char::is_alphabetic));
        let before = text[clause.start..e.span.start].to_ascii_lowercase();
        let vetoed_by = before.trim_end().ends_with("vetoed by")
            || before.trim_end().ends_with("vetoed by the");
        if !(votes || vetoed_by) {
            continue;
        }
        // The conjuncts before ("Cuba and Yemen against").
        let mut k = i;
        let mut group = vec![*e];
        while k > 0 {
            let p = ents[k - 1];
            if p.span.end > ents[k].span.start {
                break;
            }
            let gap = text[p.span.end..ents[k].span.start].trim();
            if !is_participant_entity(p) || !matches!(gap, "and" | "," | ", and") {
                break;
            }
            group.push(p);
            k -= 1;
        }
        for g in group.into_iter().rev() {
            if !out.iter().any(|x| x.span == g.span) {
                out.push(g);
            }
        }
    }
    out
}

/// Whether the words before a trigger (trimmed of what is not
/// alphanumeric, nearest first) make it passive: a form of "be", maybe
/// with an adverb ("was invaded", "were quietly backed", "is shot down",
/// "had been long opposed").
fn is_passive<'w>(mut words: impl Iterator<Item = &'w str>) -> bool {
    let be = |w: &str| matches!(w, "was" | "were" | "been" | "being" | "is" | "are" | "be");
    match words.next() {
        Some(w) if be(w) => true,
        Some(w)
            if w.ends_with("ly")
                || matches!(w, "long" | "later" | "then" | "also" | "first" | "soon") =>
        {
            words.next().is_some_and(be)
        }
        _ => false,
    }
}

/// Whether the first word between `pos` and `e` is a preposition ("signed
/// in Paris", "invaded by Iraq").
fn after_preposition(text: &str, pos: usize, e: &Annotation) -> bool {
    let first = text[pos..e.span.start].split_whitespace().next();
    first.is_some_and(|w| is_preposition(&lowercase(w)))
}

/// The entities after a preposition that follows the trigger closely:
/// "invasion of Kuwait", "sanctions on Libya", "treaty with Egypt".
fn after_prep<'a>(
    text: &str,
    ents: &[&'a Annotation],
    span: Span,
    clause: Span,
    close: &Close,
    preps: &[&str],
) -> Vec<&'a Annotation> {
    after_prep_in(text, ents, span, clause, close, preps, false)
}

/// The largest `off` such that `after[..off]` holds at most three words
/// and no comma or semicolon.
fn close_reach(after: &str) -> usize {
    let b = after.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    // ASCII bytes are tested directly; other characters are decoded.
    while let Some(&c) = b.get(i) {
        let (space, width) = if c < 0x80 {
            if c == b',' || c == b';' {
                return i;
            }
            (segment::is_space_byte(c), 1)
        } else {
            let ch = after[i..].chars().next().unwrap_or(' ');
            (ch.is_whitespace(), ch.len_utf8())
        };
        if !space && !in_word {
            words += 1;
            if words == 4 {
                return i;
            }
        }
        in_word = !space;
        i += width;
    }
    after.len()
}

/// The first offset of `" word "` in `hay`, ignoring ASCII case (`word`
/// is lowercase ASCII).
fn find_spaced_ci(hay: &[u8], word: &str) -> Option<usize> {
    // A plain scan: the searched stretches are a few words long, too short
    // for `memchr`'s set-up to pay.
    (0..(hay.len() + 1).saturating_sub(word.len() + 2)).find(|&i| spaced_at(hay, i, word))
}

/// Whether `" word "` stands at `i` in `hay`, ignoring ASCII case (`word`
/// is lowercase ASCII).
fn spaced_at(hay: &[u8], i: usize, word: &str) -> bool {
    let w = word.as_bytes();
    let n = w.len() + 2;
    hay.len() >= i + n
        && hay[i] == b' '
        && hay[i + n - 1] == b' '
        && hay[i + 1..i + n - 1].eq_ignore_ascii_case(w)
}

/// The words that stand close after a trigger, where a preposition that
/// governs its argument must be: those that start at a space within
/// [`close_reach`] and end at a space, with the offset just after that
/// space. Built once per trigger; every preposition list looks in it.
struct Close<'t> {
    words: Vec<(usize, &'t [u8])>,
}

impl<'t> Close<'t> {
    /// The close words of `after`, in `words` (a buffer to reuse: it is
    /// cleared first).
    fn after(after: &'t str, mut words: Vec<(usize, &'t [u8])>) -> Close<'t> {
        words.clear();
        let hay = after.as_bytes();
        let reach = close_reach(after);
        for i in memchr::memchr_iter(b' ', hay) {
            if i > reach {
                break;
            }
            let rest = &hay[i + 1..];
            // The word runs to the next space, which must be there.
            let Some(len) = memchr::memchr(b' ', rest) else { break };
            if len > 0 {
                words.push((i + len + 2, &rest[..len]));
            }
        }
        Close { words }
    }

    /// For each of `preps` (lowercase ASCII, no spaces) among the close
    /// words, ignoring ASCII case: the offset after its first occurrence,
    /// with the preposition (one listed twice gives two pairs). The same
    /// pairs, as a set, as
    /// `find_spaced_ci(&after[..(reach + p.len() + 2).min(after.len())], p)`
    /// for each `p`.
    fn first<'w>(&self, preps: &[&'w str]) -> Vec<(usize, &'w str)> {
        preps
            .iter()
            .filter_map(|&p| {
                let (end, _) =
                    self.words.iter().find(|(_, w)| w.eq_ignore_ascii_case(p.as_bytes()))?;
                Some((*end, p))
            })
            .collect()
    }
}

/// The first offset of `" word "` in `hay` for any of `words`, ignoring
/// ASCII case (the words are lowercase ASCII): the smallest of their
/// [`find_spaced_ci`] offsets, in one pass.
fn find_any_spaced_ci(hay: &[u8], words: &[&str]) -> Option<usize> {
    memchr::memchr_iter(b' ', hay).find(|&i| any_spaced_at(hay, i, words))
}

/// The last offset of `" word "` in `hay` for any of `words`, ignoring
/// ASCII case (the words are lowercase ASCII): the largest offset that
/// `rfind` gives for any of them in the ASCII-lowercased text.
fn rfind_any_spaced_ci(hay: &[u8], words: &[&str]) -> Option<usize> {
    memchr::memrchr_iter(b' ', hay).find(|&i| any_spaced_at(hay, i, words))
}

/// Whether `" word "` stands at the space at `i` for any of `words`
/// (lowercase ASCII, not empty): the byte after the space is compared
/// first, so most spaces cost one test per word.
fn any_spaced_at(hay: &[u8], i: usize, words: &[&str]) -> bool {
    let Some(&b) = hay.get(i + 1) else { return false };
    let b = b.to_ascii_lowercase();
    words.iter().any(|w| w.as_bytes()[0] == b && spaced_at(hay, i, w))
}

/// [`after_prep`]; a city after a locative preposition ("surrendered at
/// Stanley to Major General Jeremy Moore") is where, and the next
/// preposition is tried, unless `places` (an attack's place is its target:
/// "a crackdown in Dhaka").
#[allow(clippy::too_many_arguments)]
fn after_prep_in<'a>(
    text: &str,
    ents: &[&'a Annotation],
    span: Span,
    clause: Span,
    close: &Close,
    preps: &[&str],
    places: bool,
) -> Vec<&'a Annotation> {
    let after = &text[span.end..clause.end];
    // A preposition counts close to the trigger: at most three words and
    // no comma or semicolon before it. Its first occurrence decides (a
    // later one has as many words and commas before it, or more), so only
    // the text up to the fourth word or the first comma is searched, in
    // ASCII case (which keeps byte offsets).
    let mut found = close.first(preps);
    found.sort_unstable();
    let n = found.len();
    for (i, (o, p)) in found.into_iter().enumerate() {
        // "answered by firing Scud missiles at Israel": "by" with a gerund
        // names a means, not an agent.
        let next_word = after[o..].split_whitespace().next().unwrap_or("");
        if p == "by" && next_word.ends_with("ing") {
            return Vec::new();
        }
        let Some(first) = entity_after(text, ents, span.end + o, 4) else { return Vec::new() };
        // "passed on Monday with little ceremony in Egypt": the entity
        // belongs to a later preposition.
        if text[span.end + o..first.span.start].split_whitespace().any(|w| {
            ["in", "at", "near", "inside", "outside"].iter().any(|p| w.eq_ignore_ascii_case(p))
        }) {
            return Vec::new();
        }
        if first.span.end > clause.end {
            return Vec::new();
        }
        // A place is where when another preposition follows; an attack's
        // place in a country's adjective is no target ("the deadliest
        // attack in British history").
        if !places && is_place(first) && matches!(p, "at" | "in" | "near" | "over") && i + 1 < n {
            continue;
        }
        if p == "for" && is_place(first) {
            continue;
        }
        if places && p == "in" && first.label != "GPE" {
            continue;
        }
        return coordinated(text, ents, first, clause.end);
    }
    Vec::new()
}

/// Buffers that [`arguments`] reuses from one trigger to the next.
#[derive(Debug, Default)]
struct Scratch<'t> {
    lower: LowerBuf,
    close: Vec<(usize, &'t [u8])>,
    preps: Vec<&'static str>,
}

#[allow(clippy::too_many_arguments)]
fn arguments<'a, 't>(
    text: &'t str,
    sent: &Sentence,
    ents: &[&'a Annotation],
    span: Span,
    t: &Trigger,
    clauses: &Clauses,
    scratch: &mut Scratch<'t>,
) -> (Vec<Arg>, TimeCues) {
    let mut args: Vec<Arg> = Vec::new();
    let (clause, hole) = clause_at(clauses, sent.span, span.start);
    let in_hole = |s: Span| hole.is_some_and(|h| h.contains(s));
    let push = |args: &mut Vec<Arg>, role: Role, a: &Annotation| {
        if !args.iter().any(|x| x.span == a.span && x.layer == a.layer) {
            args.push(Arg { role, layer: a.layer, span: a.span });
        }
    };
    // An act of one side toward another ("severed relations with Cairo",
    // "visited Tripoli") has a direction even when its label usually has
    // none.
    let directed = t.context.directed;
    let symmetric = symmetric_sides(t);
    // The person a title names stands for the side, except for the parties
    // of an agreement (4.4: parties, not signers).
    let persons = !matches!(t.label, "AGREEMENT" | "CEASEFIRE");
    let head = |e: &'a Annotation| np_head(text, ents, e, persons);
    // Entities inside the trigger (a named event): a city or region named
    // bare is where the event took place ("Simla Agreement").
    let inside: Vec<&Annotation> = ents[ents.partition_point(|e| e.span.start < span.start)..]
        .iter()
        .take_while(|e| e.span.start < span.end)
        .copied()
        .filter(|e| span.contains(e.span) && is_participant_entity(e) && !is_place(e))
        .collect();
    let before = &text[clause.start..span.start];
    let close = Close::after(
        text.get(span.end..clause.end).unwrap_or(""),
        std::mem::take(&mut scratch.close),
    );
    // The six words before the trigger, nearest first; most tests look at
    // four.
    let wide = Words::before(before, &mut scratch.lower);
    let passive_before = wide.passive();
    let passive = t.kind != Kind::Noun && t.kind != Kind::Name && passive_before;
    // A participle followed by its agent ("long opposed by the Soviet
    // Union", "Talks mediated by the African Union").
    let by_agent = t.kind == Kind::Verb
        && text[span.end..clause.end]
            .trim_start()
            .as_bytes()
            .get(..3)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"by "));
    // The subjects of the clause, found only when a subject group is
    // wanted (at most once per trigger).
    let find_subjects = || -> Vec<&'a Annotation> {
        let mut subj = subjects(text, clause, ents, span.start);
        subj.retain(|e| !in_hole(e.span));
        // A relative pronoun subject stands for the noun before it ("Syria,
        // which had signed a treaty with Moscow" → Syria).
        if subj.is_empty()
            && starts_relative(&text[clause.start..span.start])
            && clause.start > sent.span.start
        {
            let lo = ents.partition_point(|e| e.span.end <= clause.start);
            if let Some(e) = lo.checked_sub(1).map(|i| ents[i]) {
                let gap = &text[e.span.end..clause.start];
                if is_participant_entity(e) && gap.trim() == "," && e.span.start >= sent.span.start
                {
                    subj = vec![e];
                }
            }
        }
        // A pronoun subject ("…, and on March 31, 1992, it adopted Resolution
        // 748") stands for the subject of the clause before it in the
        // sentence (4.4: the nearest mention for an implicit argument).
        if subj.is_empty() && clause.start > sent.span.start {
            // "it was signed in Paris": a passive "it" is the thing acted on.
            let passive_it = passive_before;
            let pronoun = text[clause.start..span.start].split_whitespace().any(|w| {
                match w.trim_matches(|c: char| !c.is_alphabetic()) {
                    "it" => !passive_it,
                    "they" | "he" | "she" | "his" | "her" => true,
                    _ => false,
                }
            });
            // The clauses before, nearest first (at most three).
            let mut at = clause.start;
            for _ in 0..3 {
                if !pronoun || at <= sent.span.start {
                    break;
                }
                let (prev, _) = clause_at(clauses, sent.span, at - 1);
                let mut end = at.min(prev.end);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let first = subjects(text, prev, ents, end);
                // Not from a clause whose own subject is a pronoun ("they
                // agreed to set up a hotline between the Kremlin and the White
                // House, and … they signed").
                let own_pronoun = |e: &Annotation| {
                    text[prev.start..e.span.start].split_whitespace().any(|w| {
                        matches!(
                            w.trim_matches(|c: char| !c.is_alphabetic()),
                            "it" | "they" | "he" | "she"
                        )
                    })
                };
                match first.last() {
                    Some(e) if !own_pronoun(e) => {
                        subj = vec![*e];
                        break;
                    }
                    Some(_) => break,
                    None => at = prev.start,
                }
            }
        }
        subj
    };
    let last_words = &wide[..wide.len().min(4)];
    let light = last_words.iter().any(|w| is_light_verb(w));
    // After a subordinator inside the clause ("… ever since Britain seized
    // them"), the subject is the one after it.
    // Searched only when a subject group is wanted and there is a subject.
    let sub_at = || {
        // Within the few hundred bytes a subject stands in (as in
        // `subjects`), so long sentences stay linear.
        let lo = segment::back(text, clause.start, span.start, 400);
        rfind_any_spaced_ci(
            &text.as_bytes()[lo..span.start],
            &["since", "because", "until", "after", "before", "when", "if", "that"],
        )
        .map(|p| lo + p)
    };
    // A noun in an adjunct phrase ("after the bloody food riots") does not
    // take the clause's subject.
    let adjunct_pp = t.kind != Kind::Verb
        && last_words.iter().take(3).any(|w| {
            matches!(
                *w,
                "after"
                    | "before"
                    | "since"
                    | "during"
                    | "despite"
                    | "amid"
                    | "following"
                    | "until"
            )
        });
    // The heads, each once, in the vector of the entities: the first `k`
    // slots hold the heads kept so far.
    let heads = |mut v: Vec<&'a Annotation>| -> Vec<&'a Annotation> {
        let mut k = 0;
        for i in 0..v.len() {
            let h = head(v[i]);
            if !v[..k].iter().any(|x| x.span == h.span) {
                v[k] = h;
                k += 1;
            }
        }
        v.truncate(k);
        v
    };
    let subject_group = |limit: usize| -> Vec<&Annotation> {
        if adjunct_pp {
            return Vec::new();
        }
        let subj = find_subjects();
        // The first subject of the clause with its conjuncts.
        let first = if subj.is_empty() { None } else { sub_at() }
            .and_then(|p| subj.iter().rev().find(|e| e.span.start > p))
            .or(subj.last());
        let group = first.map(|f| coordinated(text, ents, head(f), limit));
        heads(group.unwrap_or_default())
    };
    if !inside.is_empty() {
        for e in &inside {
            push(&mut args, if symmetric { Role::Participant } else { Role::Actor }, e);
        }
    } else if symmetric {
        let mut parts: Vec<&Annotation> = premodifiers(text, ents, span)
            .into_iter()
            .filter(|e| !bare_place(text, e, span))
            .collect();
        parts.extend(heads(after_prep(text, ents, span, clause, &close, &["between", "among"])));
        let of_like = matches!(t.label, "COLLAPSE" | "REGIME_CHANGE" | "ELECTION");
        let mut with = heads(after_prep(text, ents, span, clause, &close, &["with", "of"]));
        // "the streets of Seoul": a city after "of" is a place, except for
        // what happens to it ("the fall of Saigon").
        if !of_like {
            with.retain(|e| !(is_place(e) && word_before(text, span.end, e.span.start) == "of"));
        }
        if t.label == "ELECTION" {
            with.extend(after_prep(text, ents, span, clause, &close, &["in"]));
        }
        // A symmetric verb's direct object is the other side ("Nixon met
        // Mao", "Iran fought Iraq"), not an entity after a preposition
        // ("signed in Paris").
        if t.kind == Kind::Verb {
            if let Some(e) = entity_after(text, ents, span.end, 1)
                .filter(|e| clause.contains(e.span))
                .filter(|e| !after_preposition(text, span.end, e))
            {
                with.push(head(e));
            }
        }
        // The clause's subject is a party when it acts in the event (a verb,
        // a light verb, "with"), and for elections the state that holds
        // them or the party that wins them.
        if t.kind == Kind::Verb || light || !with.is_empty() || t.label == "ELECTION" {
            let limit = span.start;
            let group: Vec<&Annotation> =
                subject_group(limit).into_iter().filter(|e| e.span.end <= span.start).collect();
            parts.extend(group);
        }
        // A passive agent: "signed … by the two German states, the United
        // States, …".
        parts.extend(after_prep(text, ents, span, clause, &close, &["by"]));
        // An agreement "signed … by" its parties later in the clause: "The
        // accords were signed 40 years ago, …, at the White House by
        // Egyptian President Anwar Sadat and Israeli Prime Minister
        // Menachem Begin".
        if matches!(t.label, "AGREEMENT" | "CEASEFIRE") && t.kind != Kind::Verb {
            let after = &text.as_bytes()[span.end..clause.end];
            let signed = find_any_spaced_ci(
                after,
                &["signed", "concluded", "initialled", "initialed", "ratified"],
            );
            if let Some(p) = signed {
                if let Some(q) = find_spaced_ci(&after[p..], "by") {
                    let at = span.end + p + q + 4;
                    if let Some(e) =
                        entity_after(text, ents, at, 3).filter(|e| clause.contains(e.span))
                    {
                        parts.extend(coordinated(text, ents, e, clause.end));
                    }
                }
            }
        }
        if !with.is_empty() && (of_like || t.label != "ELECTION") {
            parts.extend(with);
        }
        if t.label == "REGIME_CHANGE" && span.of(text).to_lowercase().starts_with("newly") {
            if let Some(e) = entity_after(text, ents, span.end, 1) {
                parts.push(e);
            }
        }
        for e in parts {
            push(&mut args, Role::Participant, e);
        }
    } else {
        let premod: Vec<&Annotation> = premodifiers(text, ents, span)
            .into_iter()
            .filter(|e| !bare_place(text, e, span))
            .collect();
        let by = heads(after_prep(text, ents, span, clause, &close, &["by"]));
        let mut preps = std::mem::take(&mut scratch.preps);
        preps.clear();
        preps.extend([
            "of", "on", "against", "to", "into", "over", "at", "toward", "towards", "from",
        ]);
        if directed {
            // "severed relations with Cairo", "shuttle diplomacy between
            // London and Buenos Aires".
            preps.extend(["with", "between"]);
        }
        let attack = matches!(t.label, "ATTACK" | "INVASION");
        if t.label == "ATTACK" && t.kind != Kind::Verb {
            preps.push("in");
        }
        // A transfer, a statement or a protest comes from its source:
        // "criticism from Washington", "aid from Moscow"; aid is for its
        // recipient ("emergency aid for Israel").
        let sourced = t.kind != Kind::Verb
            && matches!(
                t.label,
                "DISAGREEMENT" | "STATEMENT" | "AID" | "ARMS_TRANSFER" | "PROTEST" | "SANCTION"
            );
        if sourced {
            preps.retain(|p| *p != "from");
        }
        if matches!(t.label, "AID" | "ARMS_TRANSFER") {
            preps.push("for");
        }
        // A statement is made to, at or against someone ("a joint statement
        // aimed squarely at Moscow"), not "on Radio Moscow".
        if t.label == "STATEMENT" {
            preps.retain(|p| matches!(*p, "to" | "at" | "against" | "toward" | "towards"));
        }
        let from = if sourced {
            heads(after_prep(text, ents, span, clause, &close, &["from"]))
        } else {
            Vec::new()
        };
        let targets = heads(after_prep_in(text, ents, span, clause, &close, &preps, attack));
        scratch.preps = preps;
        // The subject of a verb of undergoing is acted upon: "British troops
        // … endured days of air attacks", "Cuba … remained under the US
        // embargo", "Baghdad faced no sanctions", "Libya, which drew sharp
        // criticism from Washington".
        let undergoes = t.kind != Kind::Verb
            && last_words.iter().any(|w| {
                matches!(
                    *w,
                    "suffered"
                        | "suffers"
                        | "endured"
                        | "endures"
                        | "faced"
                        | "faces"
                        | "face"
                        | "received"
                        | "receives"
                        | "drew"
                        | "draws"
                        | "underwent"
                )
            })
            || (wide.contains(&"under")
                && wide.iter().any(|w| {
                    matches!(*w, "remained" | "remains" | "stayed" | "lived" | "came" | "fell")
                }));
        // An agent noun names the actor itself: in "Iraq’s main arms
        // supplier" the possessor is the recipient.
        let agent_noun = t.kind != Kind::Verb
            && span
                .of(text)
                .rsplit(' ')
                .next()
                .is_some_and(|w| matches!(lowercase(w).as_ref(), "supplier" | "suppliers"));
        let (actors, targets): (Vec<&Annotation>, Vec<&Annotation>) = if passive {
            (by, subject_group(span.start))
        } else if undergoes {
            let mut tg = subject_group(span.start);
            if tg.is_empty() {
                tg = targets;
            }
            let premod: Vec<&Annotation> =
                premod.into_iter().filter(|p| !tg.iter().any(|x| x.span == p.span)).collect();
            let actors = if !by.is_empty() {
                by
            } else if !from.is_empty() {
                from
            } else {
                heads(premod)
            };
            (actors, tg)
        } else if agent_noun {
            let mut tg = premod;
            tg.extend(targets);
            (subject_group(span.start), tg)
        } else {
            let actors = if !premod.is_empty() && t.kind != Kind::Verb {
                heads(premod)
            } else if !by.is_empty() && (t.kind != Kind::Verb || by_agent) {
                by
            } else if !from.is_empty() {
                from
            } else {
                subject_group(span.start)
            };
            // A verb's direct object ("Iraq invaded Kuwait", "condemned the
            // Soviet envoy") comes before a prepositional target.
            // A gerund takes an object like its verb ("began bombing
            // Egyptian airfields", "began killing Tutsi"), unless a
            // determiner makes it a plain noun ("the killing").
            let gerund = t.kind == Kind::Noun
                && span.of(text).ends_with("ing")
                && !last_words.first().is_some_and(|w| {
                    matches!(
                        *w,
                        "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that"
                    )
                });
            let object = if t.kind == Kind::Verb || gerund {
                entity_after(text, ents, span.end, 2)
                    .filter(|e| clause.contains(e.span))
                    .filter(|e| !after_preposition(text, span.end, e))
                    // "warned that China would intervene": the subject of a
                    // complement clause is not the object.
                    .filter(|e| {
                        !text[span.end..e.span.start].split_whitespace().any(|w| {
                            ["that", "whether", "if"].iter().any(|c| w.eq_ignore_ascii_case(c))
                        })
                    })
                    .map(|e| heads(coordinated(text, ents, head(e), clause.end)))
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            let targets = if !object.is_empty() { object } else { targets };
            (actors, targets)
        };
        let (mut actors, mut targets) = (actors, targets);
        let mut voters: Vec<&Annotation> = Vec::new();
        if t.label == "RESOLUTION" {
            // 4.4: the body that adopts a resolution is its actor ("draft
            // resolutions in the Security Council"); members that veto,
            // vote against or abstain are participants ("the Soviet Union
            // vetoed draft resolutions", "with Cuba and Yemen against and
            // China abstaining", "was vetoed by the Soviet Union").
            let bodies: Vec<&Annotation> =
                after_prep(text, ents, span, clause, &close, &["at", "in", "of"])
                    .into_iter()
                    .filter(|e| e.label == "ORG")
                    .collect();
            let vetoing = t.kind != Kind::Verb
                && last_words
                    .iter()
                    .any(|w| matches!(*w, "vetoed" | "veto" | "vetoes" | "blocked"));
            if vetoing {
                voters = std::mem::take(&mut actors);
            }
            if !bodies.is_empty() {
                targets.retain(|x| !bodies.iter().any(|b| b.span == x.span));
                actors = bodies;
            }
            voters.extend(votes_in(text, ents, clause, span));
        }
        for a in &actors {
            push(&mut args, Role::Actor, a);
        }
        for v in voters {
            push(&mut args, Role::Participant, v);
        }
        for tg in targets {
            if !actors.iter().any(|a| a.span == tg.span) {
                push(&mut args, Role::Target, tg);
            }
        }
    }
    // What the time of the event, found in a later pass, needs from the
    // words before the trigger (see [`event_time`]).
    let cues = TimeCues {
        // An adjunct phrase ("after the killing was over", "since the
        // treaty", "a halt to the fighting") or an event told as before it
        // ("had warned").
        adjunct: last_words.iter().take(3).any(|w| {
            matches!(
                *w,
                "after" | "since" | "before" | "during" | "until" | "despite" | "amid" | "had"
            )
        }) || last_words.windows(2).any(|w| w[0] == "to" && w[1] == "halt"),
        // The pluperfect ("had disputed").
        pluperfect: last_words.iter().take(3).any(|w| *w == "had"),
    };
    scratch.close = close.words;
    (args, cues)
}

/// What [`event_time`] needs from the words right before a trigger,
/// computed by [`arguments`] from the words it reads anyway.
#[derive(Debug, Clone, Copy, Default)]
struct TimeCues {
    /// The trigger is in an adjunct phrase or told as before it: no date
    /// at the front of the sentence dates it.
    adjunct: bool,
    /// The trigger is in the pluperfect: the heading's date does not date it.
    pluperfect: bool,
}

/// The time argument of the event at `span`: the date nearest the trigger
/// in its clause; else a date of the sentence whose clause holds no other
/// event; else the heading's date (`fallback_time`). Kept apart from
/// [`arguments`] so that [`EventRecognizer::recognize`] can run it in a
/// pass of its own, with its code in the instruction cache.
#[allow(clippy::too_many_arguments)]
fn event_time(
    text: &str,
    sent: &Sentence,
    dates: &[&Annotation],
    span: Span,
    t: &Trigger,
    fallback_time: Option<Span>,
    other_triggers: &[Span],
    hypothetical: bool,
    clauses: &Clauses,
    cues: TimeCues,
) -> Option<Span> {
    let (clause, hole) = clause_at(clauses, sent.span, span.start);
    let in_hole = |s: Span| hole.is_some_and(|h| h.contains(s));
    // Time: the date nearest the trigger in its clause; else a date of the
    // sentence whose clause holds no other event; else the heading's date.
    // A hypothetical event takes a date only from its own clause.
    let dist = |d: &Annotation| {
        if d.span.start >= span.end {
            d.span.start - span.end
        } else {
            span.start.saturating_sub(d.span.end)
        }
    };
    // A duration dates an event only when it measures it ("thirteen days
    // of fighting", "talks lasted a month"), not when it offsets it ("six
    // months later"); a DATE wins over a TIME that names the same moment.
    let measures = |d: &Annotation| {
        let (a, b) = if d.span.end <= span.start {
            (d.span.end, span.start)
        } else {
            (span.end, d.span.start)
        };
        // The words are compared in ASCII case: no other character
        // lowercases to a letter of these words.
        let between = &text[a.min(b)..b.max(a)];
        let mut words = 0;
        let mut measuring = false;
        for w in between.split_whitespace() {
            words += 1;
            if words > 3 {
                return false;
            }
            measuring |= ["of", "for", "lasted", "lasting", "long"]
                .iter()
                .any(|m| w.eq_ignore_ascii_case(m));
        }
        !between.contains([',', ';', ':']) && (words == 0 || measuring)
    };
    let rank = |d: &Annotation| match d.label {
        "DATE" => 0,
        "TIME" => 1,
        "SET" => 2,
        _ => 3,
    };
    // A date right beside the trigger modifies it ("marched every Monday
    // evening", "an eight-year war", "signed on 2 July 1972").
    let adjacent = |d: &Annotation| {
        let (a, b) = if d.span.end <= span.start {
            (d.span.end, span.start)
        } else {
            (span.end, d.span.start)
        };
        let between = &text[a.min(b)..b.max(a)];
        between.split_whitespace().take(2).count() <= 1
            && !between.contains([',', ';', ':', '(', ')'])
            && (d.label != "DURATION" || (measures(d) && !sent.heading))
    };
    // A date and a trigger on either side of a subordinate clause
    // ("lifted only after his government was toppled in 2003"; "dismissed
    // MacArthur on April 11, 1951, after the general publicly criticized")
    // belong to different events; a when-clause is the exception (4.5).
    let separated = |d: &Annotation| {
        let (a, b, trigger_after) = if d.span.end <= span.start {
            (d.span.end, span.start, true)
        } else {
            (span.end, d.span.start, false)
        };
        // Far apart, the clause rules have already decided.
        if a > b || b - a > 400 {
            return false;
        }
        let between = &text[a..b];
        find_any_spaced_ci(between.as_bytes(), &["after", "before", "since", "until", "because"])
            .is_some_and(|p| {
                between[p..].split_whitespace().skip(1).any(|w| {
                    let w = w.trim_matches(|c: char| !c.is_alphabetic()).as_bytes();
                    w.len() >= 2 && w[w.len() - 2..].eq_ignore_ascii_case(b"ed")
                }) || (trigger_after && t.kind == Kind::Verb)
            })
    };
    // A date in a participial phrase that closes before the trigger
    // modifies its noun: "The Simla Agreement, signed on 2 July 1972,
    // committed both countries to resolve their differences" →
    // `differences` is not dated by it; "Eisenhower, elected in November
    // 1952, had promised to end the war".
    let participial = |d: &Annotation| {
        d.span.end <= span.start
            && d.span.start >= clause.start
            && span.start - d.span.end < 400
            && text[d.span.end..span.start].contains(',')
            && {
                let lo = segment::back(text, clause.start, d.span.start, 200);
                text[lo..d.span.start].rfind(',').is_some_and(|c| {
                    let w = text[lo + c + 1..d.span.start].split_whitespace().next().unwrap_or("");
                    w.ends_with("ed") && w.starts_with(char::is_lowercase)
                })
            }
    };
    // An agreement's term is not its time ("a twenty-year Treaty of
    // Peace"): a duration beside it does not win.
    let term =
        |d: &Annotation| d.label == "DURATION" && matches!(t.label, "AGREEMENT" | "ALLIANCE");
    // A duration that opens the sentence measures what it tells ("In
    // roughly 100 days, Hutu extremist militias … murdered …"); "within
    // hours" is an offset.
    let fronted_duration = |d: &Annotation| {
        d.label == "DURATION" && d.span.end <= span.start && {
            let mut words = text[sent.span.start..d.span.start].split_whitespace();
            let first = words.next().map(str::to_ascii_lowercase);
            matches!(first.as_deref(), Some("in" | "for" | "over"))
                && words.count() <= 1
                && text[d.span.end..].trim_start().starts_with(',')
        }
    };
    // The pools are filtered as they are read: no vector per pool.
    let pick = |pool: &mut dyn Iterator<Item = &&Annotation>| {
        pool.filter(|d| d.label != "DURATION" || measures(d) || fronted_duration(d))
            .filter(|d| !term(d) && !separated(d) && !participial(d))
            .min_by_key(|d| (!adjacent(d), rank(d), dist(d), d.span.start))
            .map(|d| d.span)
    };
    let in_clause = || dates.iter().filter(|d| clause.contains(d.span) && !in_hole(d.span));
    // An event in a when-clause happens at the time of the clause it is
    // attached to ("The Korean War began before dawn on 25 June 1950, when
    // South Korea was invaded").
    let when_clause = clause.start > sent.span.start
        && text[clause.start..span.start].split_whitespace().next() == Some("when");
    let time = if hypothetical {
        pick(&mut in_clause())
    } else {
        pick(&mut in_clause()).or_else(|| {
            if when_clause {
                let (prev, _) = clause_at(clauses, sent.span, clause.start - 1);
                let mut pool = dates.iter().filter(|d| prev.contains(d.span) && d.label == "DATE");
                if let Some(found) = pick(&mut pool) {
                    return Some(found);
                }
            }
            // A date at the front of the sentence dates the clauses and
            // conjuncts after it that have none of their own ("In August
            // 2003 Libya told …, and it agreed to pay"); a date at the end
            // of one conjunct does not reach the others (4.5).
            let (first, _) = clause_at(clauses, sent.span, sent.span.start);
            // …but not events in an adjunct phrase ("after the killing was
            // over", "since the treaty", "a halt to the fighting") or told
            // as before it ("had warned").
            let mut free = dates
                .iter()
                .filter(|d| d.label == "DATE" || d.label == "TIME" || fronted_duration(d))
                .filter(|d| {
                    !cues.adjunct
                        && first.contains(d.span)
                        && d.span.end <= span.start
                        && text[sent.span.start..d.span.start].split_whitespace().take(4).count()
                            <= 3
                        && !text[d.span.end..span.start].contains([';', '—'])
                })
                .filter(|d| {
                    // Across another event's clause only when no other date
                    // stands between ("On 7 December …, but the Soviet Union
                    // vetoed draft resolutions"; not "On August 2, 1990, …
                    // invaded …, and within two days … was overrun").
                    let (c, _) = clause_at(clauses, sent.span, d.span.start);
                    !other_triggers.iter().any(|o| *o != span && c.contains(*o))
                        || !dates
                            .iter()
                            .any(|x| x.span.start >= d.span.end && x.span.end <= span.start)
                });
            // Step 3: the heading's date, not for an event told in the
            // pluperfect, before the heading's period ("had disputed").
            pick(&mut free).or(if cues.pluperfect { None } else { fallback_time })
        })
    };
    time
}

/// `into` gets the annotations of `anns` that lie inside `span`.
fn inside<'a>(anns: &'a [Annotation], span: Span, into: &mut Vec<&'a Annotation>) {
    into.clear();
    into.extend(anns.iter().filter(|a| span.contains(a.span)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each trigger kind's shared source name is the kind's name.
    #[test]
    fn shared_sources_by_kind() {
        let r = EventRecognizer::bundled();
        for k in [Kind::Noun, Kind::Verb, Kind::Phrase, Kind::Name, Kind::Stop] {
            assert_eq!(&*r.sources[k as usize], source_name(k));
        }
    }

    /// `lowercase` is `to_lowercase`, and borrows plain ASCII words.
    #[test]
    fn lowercase_borrows_only_what_is_already_lowercase() {
        for (w, borrowed) in [
            ("under", true),
            ("", true),
            ("3,000", true),
            ("Under", false),
            ("UN", false),
            ("égypte", false),
            ("ÉGYPTE", false),
            ("Москва", false),
            ("مصر", false),
        ] {
            let got = lowercase(w);
            assert_eq!(got, w.to_lowercase(), "{w:?}");
            assert_eq!(matches!(got, std::borrow::Cow::Borrowed(_)), borrowed, "{w:?}");
        }
    }

    /// The one-pass searches for any of several `" word "`s agree with
    /// searching the lowercased text for each word and taking the
    /// smallest (or largest) offset, including with non-ASCII text,
    /// upper case and words that overlap or touch the ends.
    #[test]
    fn spaced_searches_agree_with_per_word_search() {
        let words = ["since", "after", "that", "by"];
        let cases = [
            "",
            " ",
            " by ",
            "war after peace",
            "the War AFTER  the treaty that Since then ",
            " since after that by ",
            "Élysée since 1990 — Москва AFTER الحرب by 😀 that",
            "sinceafter that",
            "ends with by",
        ];
        for hay in cases {
            let lower = hay.to_ascii_lowercase();
            let each = words.iter().filter_map(|w| lower.find(&format!(" {w} ")));
            assert_eq!(find_any_spaced_ci(hay.as_bytes(), &words), each.min(), "find in {hay:?}");
            let each = words.iter().filter_map(|w| lower.rfind(&format!(" {w} ")));
            assert_eq!(rfind_any_spaced_ci(hay.as_bytes(), &words), each.max(), "rfind in {hay:?}");
            for w in words {
                assert_eq!(
                    find_spaced_ci(hay.as_bytes(), w),
                    lower.find(&format!(" {w} ")),
                    "{w:?} in {hay:?}"
                );
            }
        }
    }

    /// The reverse word split agrees with `split_whitespace().rev()`, and
    /// the passive test on the collected words with the test on all the
    /// words of the text.
    #[test]
    fn reverse_words_agree_with_split_whitespace() {
        let cases = [
            "",
            " ",
            "was",
            "  was  invaded ",
            "it was quietly",
            "had been long",
            "Élysée\u{a0}was\u{3000}Москва\tis\nbe",
            "الحرب 😀 were\u{2009}later",
            "x\u{0b}y\u{0c}z\u{85}w",
            "They were , later",
            "(was)",
        ];
        for s in cases {
            let want: Vec<&str> = s.split_whitespace().rev().collect();
            assert_eq!(RevWords::new(s).collect::<Vec<_>>(), want, "{s:?}");
            let all =
                s.split_whitespace().rev().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
            let mut buf = LowerBuf::default();
            assert_eq!(Words::before(s, &mut buf).passive(), is_passive(all), "{s:?}");
        }
    }

    /// The lowercase forms written in one buffer equal [`lowercase`] of
    /// each word, whatever the script, and slots past `len` are empty.
    #[test]
    fn buffered_lowercase_agrees_with_lowercase() {
        let words = [
            ["", "was", "Was", "WAS", "Élysée", "ΟΔΟΣ"],
            ["Москва", "الحرب", "😀", "€5", "İstanbul", "\u{212a}ept"],
            ["Had", "n't", "’", "28", "MiG-21s", "x"],
        ];
        let mut buf = LowerBuf::default();
        for w in &words {
            for len in 0..=w.len() {
                let got = buf.lower(w, len);
                for (i, g) in got.iter().enumerate() {
                    let want = if i < len { lowercase(w[i]).into_owned() } else { String::new() };
                    assert_eq!(*g, want, "{w:?} {len} {i}");
                }
            }
        }
    }

    /// The ASCII-case search for " and " and " or " between triggers
    /// agrees with searching the Unicode-lowercased text.
    #[test]
    fn spaced_conjunctions_agree_with_lowercased_search() {
        let cases = [
            "",
            " ",
            " and ",
            " AND ",
            " Or ",
            "war and peace",
            "band or",
            " İand ",
            "Élysée AND Москва or الحرب 😀",
            " \u{212A}and ",
            "and ",
        ];
        for hay in cases {
            let lower = hay.to_lowercase();
            for w in ["and", "or"] {
                assert_eq!(
                    find_spaced_ci(hay.as_bytes(), w).is_some(),
                    lower.contains(&format!(" {w} ")),
                    "{w:?} in {hay:?}"
                );
            }
        }
    }

    /// Overlapping entities before a trigger (a surname inside a name) do
    /// not break the search for premodifiers (it sliced backwards once).
    #[test]
    fn premodifiers_with_overlapping_entities() {
        use crate::span::Attrs;
        let text = "Marc Fournier Fournier sanctions";
        let ent = |s: usize, e: usize, label: &'static str| Annotation {
            span: Span::new(s, e),
            layer: Layer::Entity,
            label,
            source: "t".into(),
            attrs: Attrs::Entity { kb_id: None, canonical: None },
        };
        let (a, b, c) = (ent(0, 13, "PERSON"), ent(5, 22, "ORG"), ent(14, 22, "PERSON"));
        let ents = [&a, &b, &c];
        let trigger = Span::new(23, 32);
        let got: Vec<&str> =
            premodifiers(text, &ents, trigger).iter().map(|e| e.span.of(text)).collect();
        assert!(got.iter().all(|g| text.contains(g)), "{got:?}");
    }

    /// The bounded search finds what a search of the whole lowercased
    /// rest of the clause, checked for words and commas before it, finds.
    #[test]
    fn close_prepositions() {
        let slow = |after: &str, p: &str| {
            let off = after.to_ascii_lowercase().find(&format!(" {p} "))?;
            (after[..off].split_whitespace().count() <= 3 && !after[..off].contains([',', ';']))
                .then_some(off)
        };
        let cases = [
            " exports TO Iraq and to Iran",
            "’s ports on Lebanon’s coast",
            " on the “Soviet” side to Cuba",
            " of arms, to Iraq",
            " one two three to Iraq",
            " one two three four to Iraq",
            "\u{a0}déjà vu to Kyiv to",
            " to",
            "  to  TO by",
            " by to,  to Iraq",
            " Москва on  — to 😀 of",
            "",
        ];
        for after in cases {
            for p in ["to", "on", "of"] {
                let end = (close_reach(after) + p.len() + 2).min(after.len());
                assert_eq!(
                    find_spaced_ci(&after.as_bytes()[..end], p),
                    slow(after, p),
                    "{after:?} {p}"
                );
            }
            // The close words give, for a list of prepositions, what one
            // search per preposition does (one listed twice, twice).
            let listed = ["to", "on", "of", "to", "by"];
            let mut per_prep: Vec<(usize, &str)> = listed
                .iter()
                .filter_map(|&p| {
                    let end = (close_reach(after) + p.len() + 2).min(after.len());
                    find_spaced_ci(&after.as_bytes()[..end], p).map(|o| (o + p.len() + 2, p))
                })
                .collect();
            let mut close = Close::after(after, Vec::new()).first(&listed);
            per_prep.sort_unstable();
            close.sort_unstable();
            assert_eq!(close, per_prep, "{after:?}");
        }
    }

    #[test]
    fn lexicon_errors_name_file_and_line() {
        let e = EventRecognizer::from_tsv("WAR\t-\tnoun\n", "ev.tsv").unwrap_err();
        assert!(e.to_string().starts_with("ev.tsv:1:"), "{e}");
        let e = EventRecognizer::from_tsv("BATTLE\t-\tnoun\tbattle\n", "ev.tsv").unwrap_err();
        assert!(e.to_string().contains("unknown event label"), "{e}");
        let e = EventRecognizer::from_tsv("WAR\t-\tnoun\twar\tsoon=x\n", "ev.tsv").unwrap_err();
        assert!(e.to_string().contains("unknown context"), "{e}");
    }

    /// The plain DFA loop reports the same overlapping matches, in the same
    /// order, as the library's overlapping iterator over the same forms.
    #[test]
    fn overlapping_matches_agree_with_aho_corasick() {
        let ev = EventRecognizer::bundled();
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&ev.surfaces)
            .unwrap();
        let cases = [
            "",
            "war",
            "WAR AND PEACE, warfare, toward the award",
            "signed a treaty; the Treaty of Versailles was signed",
            "cease-fire ceasefire Cease Fire",
            "Élysée invaded Москва, الحرب 😀 attacked € sanctions",
            "aid said raid paid",
            "the Iran-Iraq War ended",
            "Iraq’s invasion, the 9/11 attacks, 1991 Gulf War, Café détente",
        ];
        let far =
            format!("{}the ceasefire was broken; the Treaty was signed", "é€😀 x".repeat(3000));
        for s in cases.into_iter().chain([far.as_str()]) {
            let want: Vec<(usize, usize, usize)> = ac
                .find_overlapping_iter(s)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            let got: Vec<_> = Overlapping::new(&ev.dfa, s.as_bytes()).collect();
            assert_eq!(got, want, "{s:?}");
            let rows: Vec<_> = ev
                .rows
                .as_ref()
                .expect("the bundled lexicon fits in rows")
                .overlapping(s.as_bytes())
                .collect();
            assert_eq!(rows, want, "rows: {s:?}");
        }
    }

    /// The byte-wise close reach agrees with a scan of the characters.
    #[test]
    fn close_reach_agrees_with_char_scan() {
        fn by_chars(after: &str) -> usize {
            let mut words = 0;
            let mut in_word = false;
            for (i, c) in after.char_indices() {
                if c == ',' || c == ';' {
                    return i;
                }
                let space = c.is_whitespace();
                if !space && !in_word {
                    words += 1;
                    if words == 4 {
                        return i;
                    }
                }
                in_word = !space;
            }
            after.len()
        }
        for b in 0u8..0x80 {
            assert_eq!(segment::is_space_byte(b), char::from(b).is_whitespace(), "{b:#x}");
        }
        let cases = [
            "",
            " ",
            " of Kuwait",
            " with Egypt, and",
            " on the Soviet Union in 1987",
            "\u{a0}é\u{3000}Москва\u{2009}x y",
            " x\u{0b}y\u{0c}z\u{85}w v",
            " 😀 € الحرب ; then",
            "a  b\n\tc d",
            "Élysée",
        ];
        for a in cases {
            assert_eq!(close_reach(a), by_chars(a), "{a:?}");
        }
    }
}
