//! Entity recognition from gazetteers: TSV lists indexed once by hash,
//! looked up at word boundaries, checked for case, then filtered for
//! ambiguous names.
//!
//! File format (UTF-8, `#` comments):
//! `surface<TAB>label<TAB>kb_id<TAB>canonical[<TAB>case[<TAB>…]]`.
//! `case` is empty (every capital of the surface must be a capital in the
//! text, other letters may be either case: "UN" matches only "UN", "Soviet
//! Union" also matches "SOVIET UNION" but not "soviet union"), `exact` or
//! `any`. A sixth column, when numeric, is the place's population (used
//! to ask small places for a locative cue); further columns are ignored.
//!
//! Matching is a hash look-up at every word start: surfaces are indexed
//! by a hash of their ASCII-lowercased bytes, and from each position where
//! a word may start the text is hashed forward, byte by byte, and looked up
//! at every position where a word may end. The same table says whether
//! some surface goes on past that point with a space or a punctuation
//! mark, so the walk stops after the first word that no surface starts
//! with, and most words cost one look-up.
//! Every span on word boundaries whose lowercased text is a surface is a
//! candidate (the set an overlapping Aho-Corasick scan checked for
//! boundaries would give), so a candidate that fails its case check never
//! hides a shorter valid one; the resolver then keeps the longest
//! non-overlapping candidates. Building the table costs a hash per
//! entry and per space or punctuation mark inside it, so start-up and
//! users' million-entry lists stay cheap.

use crate::error::{Error, Result};
use crate::segment;
use crate::span::{Annotation, Attrs, Layer, Span};
use std::collections::HashMap;
use std::sync::Arc;

/// How the case of the text must agree with the surface form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRule {
    /// Capitals of the surface must be capitals in the text.
    Capitals,
    /// Exact case.
    Exact,
    /// Any case.
    Any,
}

/// Why a name is ambiguous (from `gazetteers/ambiguous.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ambiguity {
    /// Also an ordinary English word ("Nice", "Reading", "Turkey").
    CommonWord,
    /// Also a person's name ("Jordan", "Chad").
    PersonName,
    /// Both.
    Both,
}

/// One gazetteer entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The surface form.
    pub surface: String,
    /// Entity label.
    pub label: &'static str,
    /// Knowledge-base id.
    pub kb_id: Arc<str>,
    /// Preferred name.
    pub canonical: Arc<str>,
    /// Case rule.
    pub case: CaseRule,
    /// Index of the list it came from (lower wins ties).
    pub list: usize,
    /// Population, when the list gives one (6th column of cities.tsv);
    /// small places need a locative cue.
    pub population: Option<u64>,
}

/// A named list of entries, as loaded from one file.
#[derive(Debug, Clone, Default)]
pub struct List {
    /// Name used in `source` (`gazetteer:<name>`).
    pub name: String,
    /// Entries.
    pub entries: Vec<Entry>,
}

impl List {
    /// Parses a TSV list. `name` becomes the `source` of its annotations;
    /// `origin` names the file in errors.
    ///
    /// # Errors
    /// A line with fewer than four columns, an unknown label or case rule,
    /// or an empty surface is an error naming the file and line.
    pub fn from_tsv(name: &str, src: &str, origin: &str) -> Result<List> {
        let mut entries = Vec::new();
        for (i, line) in src.lines().enumerate() {
            let at = |m: String| Error::msg(m).with_path(origin).with_line(i + 1);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                return Err(at(format!(
                    "expected 4 tab-separated columns (surface, label, kb_id, canonical), found {}",
                    cols.len()
                )));
            }
            let surface = cols[0].trim();
            if surface.is_empty() {
                return Err(at("empty surface".into()));
            }
            let label = Layer::Entity.label(cols[1].trim()).ok_or_else(|| {
                at(format!(
                    "unknown entity label {:?} (expected PERSON, ORG, GPE, LOC or NORP)",
                    cols[1]
                ))
            })?;
            let case = match cols.get(4).map(|c| c.trim()).unwrap_or("") {
                "" => CaseRule::Capitals,
                "exact" => CaseRule::Exact,
                "any" => CaseRule::Any,
                other => {
                    return Err(at(format!("unknown case rule {other:?} (expected exact or any)")))
                }
            };
            entries.push(Entry {
                surface: surface.to_string(),
                label,
                kb_id: cols[2].trim().into(),
                canonical: cols[3].trim().into(),
                case,
                list: 0,
                population: cols.get(5).and_then(|p| p.trim().parse().ok()),
            });
        }
        Ok(List { name: name.to_string(), entries })
    }
}

/// Parses `gazetteers/ambiguous.tsv`: `surface<TAB>reason`.
///
/// # Errors
/// Unknown reasons and short lines name the file and line.
pub fn parse_ambiguous(src: &str, origin: &str) -> Result<HashMap<String, Ambiguity>> {
    let mut out = HashMap::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |m: String| Error::msg(m).with_path(origin).with_line(i + 1);
        let mut cols = line.split('\t');
        let (Some(s), Some(r)) = (cols.next(), cols.next()) else {
            return Err(at("expected surface<TAB>reason".into()));
        };
        let a = match r.trim() {
            "common-word" => Ambiguity::CommonWord,
            "person-name" => Ambiguity::PersonName,
            "both" => Ambiguity::Both,
            other => return Err(at(format!("unknown reason {other:?}"))),
        };
        out.insert(s.trim().to_string(), a);
    }
    Ok(out)
}

/// The compiled gazetteer.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// The surfaces (distinct ASCII-lowercased keys) and their look-up
    /// tables.
    index: SurfaceIndex,
    /// Entry indices per key (pattern), in priority order.
    by_pattern: Vec<Vec<u32>>,
    /// Which words may start a candidate, by their first two bytes.
    starts: StartFilter,
    entries: Vec<Entry>,
    names: Vec<String>,
    /// `gazetteer:<name>` per list, the `source` of its annotations.
    sources: Vec<Arc<str>>,
    ambiguous: FnvMap<String, Ambiguity>,
}

/// A gazetteer match before overlap resolution.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Byte span.
    pub span: Span,
    /// Entry index.
    pub entry: u32,
}

impl Gazetteer {
    /// Indexes lists (earlier lists win ties) and the ambiguity table.
    pub fn build(lists: Vec<List>, ambiguous: HashMap<String, Ambiguity>) -> Gazetteer {
        use rayon::prelude::*;
        let mut entries = Vec::new();
        let mut names = Vec::new();
        for (li, list) in lists.into_iter().enumerate() {
            names.push(list.name);
            entries.extend(list.entries.into_iter().map(|mut e| {
                e.list = li;
                e
            }));
        }
        // One pattern per ASCII-lowercased surface, in order of first
        // appearance; entries sharing it are tried in list order. Case
        // rules are checked on the original text afterwards.
        let hashes: Vec<u64> = entries.par_iter().map(|e| key_hash(e.surface.as_bytes())).collect();
        let mut index = SurfaceIndex::with_capacity(entries.len());
        let mut by_pattern: Vec<Vec<u32>> = Vec::new();
        for (i, (e, &h)) in entries.iter().zip(&hashes).enumerate() {
            let p = index.insert(&e.surface, h);
            if p == by_pattern.len() {
                by_pattern.push(Vec::new());
            }
            by_pattern[p].push(i as u32);
        }
        for (p, ents) in by_pattern.iter().enumerate() {
            index.keys[p].set_entry(ents[0], &entries[ents[0] as usize]);
        }
        index.freeze();
        let starts = StartFilter::new(&entries);
        let sources = names.iter().map(|n| format!("gazetteer:{n}").into()).collect();
        let ambiguous = ambiguous.into_iter().collect();
        Gazetteer { index, by_pattern, starts, entries, names, sources, ambiguous }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry behind a candidate.
    pub fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }

    /// All entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The name of the list an entry came from.
    pub fn list_name(&self, e: &Entry) -> &str {
        &self.names[e.list]
    }

    /// All valid candidates in `text`: on word boundaries, with the case the
    /// entry requires. Several entries may share a span (lists in priority
    /// order); only the first valid one is kept per span.
    pub fn candidates(&self, text: &str) -> Vec<Candidate> {
        let tokens = segment::tokens(text, Span::new(0, text.len()));
        self.candidates_at(text, segment::word_starts(&tokens))
    }

    /// [`Gazetteer::candidates`] of `text` given its word starts, in order:
    /// the positions where a word may start and the character is not a
    /// space, which [`segment::word_starts`] finds among the tokens of all
    /// of `text`.
    /// Callers that have the tokens already pass those.
    pub fn candidates_at(
        &self,
        text: &str,
        starts: impl IntoIterator<Item = usize>,
    ) -> Vec<Candidate> {
        let mut out = Vec::new();
        self.candidates_into(text, starts, &mut out);
        out
    }

    /// [`Gazetteer::candidates_at`], adding to `out` (a buffer kept from
    /// one sentence to the next). Not inlined, so that the walk keeps its
    /// values in registers.
    #[inline(never)]
    pub fn candidates_into(
        &self,
        text: &str,
        starts: impl IntoIterator<Item = usize>,
        out: &mut Vec<Candidate>,
    ) {
        if self.index.is_empty() {
            return;
        }
        let b = text.as_bytes();
        for p in starts {
            // Most words start no surface (a lowercase word almost never
            // does): two bytes say so before any hashing.
            if !self.starts.may_start(b, p) {
                continue;
            }
            // Walk forward from the start, hashing; at each word end look
            // the span up. Before a character that is not alphanumeric the
            // walk goes on only if some surface goes on there too (a word
            // end inside a run of letters, a glued join, never stops it).
            let mut h = FNV_OFFSET;
            // No key is longer than `max_len`: a long run of glued words
            // ("HomeWorldPolitics…", every join a word start) stays linear.
            let end = b.len().min(p + self.index.max_len);
            for (e, &byte) in (p + 1..).zip(&b[p..end]) {
                h = fnv1a(h, FOLD[usize::from(byte)]);
                // Most bytes are inside a word: the table answers for them
                // without the boundary test.
                if b.get(e).is_some_and(|&next| segment::NO_WORD_END[usize::from(next)]) {
                    continue;
                }
                // (Asked here, of the positions the walk reaches, rather
                // than of every position of the sentence beforehand.)
                let (is_end, is_word) = segment::word_end_at(text, e);
                if !is_end {
                    continue;
                }
                // Most spans are in no slot: the filter says so before a
                // probe (which, with the matches, stays out of this loop,
                // so that the loop keeps its values in registers).
                let m = mix(h);
                let mut goes_on = false;
                if self.index.may_hold(m) {
                    let slot = self.index.probe(m);
                    if slot.head != u32::MAX {
                        self.push_matches(text, Span::new(p, e), slot.head, out);
                    }
                    goes_on = slot.goes_on;
                }
                if !is_word && !goes_on {
                    break;
                }
            }
        }
    }

    /// Pushes, for each key equal to the lowercased `span` of `text` in the
    /// hash chain from `head`, the first entry whose case rule the text
    /// meets.
    #[inline(never)]
    fn push_matches(&self, text: &str, span: Span, head: u32, out: &mut Vec<Candidate>) {
        let got = span.of(text);
        for pat in self.index.chain(head, got.as_bytes()) {
            // Most keys have one entry, whose case rule the record answers.
            let key = &self.index.keys[pat as usize];
            if key.case_ok(got.as_bytes()) == Some(true) {
                out.push(Candidate { span, entry: key.entry });
                continue;
            }
            if let Some(&ent) = self.by_pattern[pat as usize]
                .iter()
                .find(|&&ent| case_ok_folded(&self.entries[ent as usize], got))
            {
                out.push(Candidate { span, entry: ent });
            }
        }
    }

    /// How ambiguous the surface is, if listed.
    pub fn ambiguity(&self, surface: &str) -> Option<Ambiguity> {
        self.ambiguous.get(surface).copied()
    }

    /// The `source` of a candidate's annotation.
    pub fn source(&self, c: &Candidate) -> &str {
        &self.sources[self.entries[c.entry as usize].list]
    }

    /// The annotation for a candidate.
    pub fn annotation(&self, c: &Candidate) -> Annotation {
        let e = &self.entries[c.entry as usize];
        Annotation {
            span: c.span,
            layer: Layer::Entity,
            label: e.label,
            source: self.sources[e.list].clone(),
            attrs: Attrs::Entity {
                kb_id: (!e.kb_id.is_empty()).then(|| e.kb_id.clone()),
                canonical: (!e.canonical.is_empty()).then(|| e.canonical.clone()),
            },
        }
    }
}

/// The first two ASCII-lowercased bytes of every key, in two bit sets of
/// 65,536 pairs: one of all keys, one of the keys with an entry that text
/// starting with a lowercase ASCII letter may match (its case rule is
/// `any`, or its surface does not start with a capital; the rules ask
/// the other surfaces' first capital of the text). A key of one byte
/// marks every second byte; the end of the text is second byte 0. The
/// set of lowercase starts comes second, so that a pair's bit is
/// [`start_row`]`(first) << 8 | FOLD[second]`.
#[derive(Debug, Clone)]
struct StartFilter {
    bits: Box<[u64; 2048]>,
}

/// The row of a first byte in [`StartFilter`]'s bits: the byte
/// ASCII-lowercased, in the second set (row 256 on) if it was a
/// lowercase letter.
static START_ROW: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.to_ascii_lowercase() as u16 | if b.is_ascii_lowercase() { 256 } else { 0 };
        i += 1;
    }
    t
};

impl StartFilter {
    fn new(entries: &[Entry]) -> StartFilter {
        let mut f = StartFilter { bits: Box::new([0; 2048]) };
        let mut set = |i: usize| f.bits[i >> 6] |= 1 << (i & 63);
        for e in entries {
            let s = e.surface.as_bytes();
            let Some(&first) = s.first() else { continue };
            let lower_ok = e.case == CaseRule::Any || !first.is_ascii_uppercase();
            let b0 = usize::from(first.to_ascii_lowercase()) << 8;
            let seconds = match s.get(1) {
                Some(&b1) => {
                    let b1 = usize::from(b1.to_ascii_lowercase());
                    b1..b1 + 1
                }
                None => 0..256,
            };
            for i in seconds.map(|b1| b0 | b1) {
                set(i);
                if lower_ok {
                    set(1 << 16 | i);
                }
            }
        }
        f
    }

    /// False when no candidate can start at `p` of `b`.
    #[inline]
    fn may_start(&self, b: &[u8], p: usize) -> bool {
        let Some(&b0) = b.get(p) else { return false };
        let b1 = b.get(p + 1).map_or(0, |&c| FOLD[usize::from(c)]);
        let i = usize::from(START_ROW[usize::from(b0)]) << 8 | usize::from(b1);
        self.bits[i >> 6] & (1 << (i & 63)) != 0
    }
}

/// Each byte ASCII-lowercased.
static FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).to_ascii_lowercase();
        i += 1;
    }
    t
};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One step of FNV-1a over the ASCII-lowercased byte: the hash of a span
/// grows with the span, so every end position costs one step.
#[inline]
fn fnv_step(h: u64, byte: u8) -> u64 {
    fnv1a(h, byte.to_ascii_lowercase())
}

/// One step of FNV-1a.
#[inline]
fn fnv1a(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

/// The FNV-1a hash of the ASCII-lowercased bytes.
fn key_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| fnv_step(h, b))
}

/// Mixes an FNV hash for the table (FNV's high bits are weak).
#[inline]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// Bits of the gazetteer's Bloom filter per table slot.
const FILTER_BITS: usize = 8;

/// The two bits a mixed hash sets in its word of the Bloom filter (from
/// its low bits; the word comes from its high ones).
#[inline]
fn filter_bits(m: u64) -> u64 {
    1 << (m & 63) | 1 << ((m >> 6) & 63)
}

/// A hasher that passes an already mixed `u64` through.
#[derive(Default, Clone, Copy)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashTable<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

/// FNV-1a over the bytes written, mixed: a fast hasher for the tables of
/// names that the gazetteers fill when the pipeline is built (the bundled
/// ones and the user's own `--gazetteer` files). Texts only look keys
/// up, never insert them, so SipHash's defence against flooding buys
/// nothing there.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| fnv1a(h, b));
    }
}

/// A string-keyed map with the [`Fnv`] hasher.
pub(crate) type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;
/// A string set with the [`Fnv`] hasher.
pub(crate) type FnvSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<Fnv>>;

/// The distinct lowercased surfaces, found by hash. One table holds, per
/// hash of a lowercased string, the first key with that hash (equal hashes
/// chain through `next`, and the bytes are compared) and whether some key
/// continues with a character that is not alphanumeric right after that
/// string: "new" in "new york" (a collision there only lengthens a walk).
#[derive(Debug, Clone, Default)]
struct SurfaceIndex {
    /// One record per key, with its first entry: a look-up that finds its
    /// key reads one record and the key's bytes, not a chain of boxes.
    keys: Vec<Key>,
    /// The keys' bytes, one after another.
    bytes: Vec<u8>,
    /// The slots while keys are added; [`SurfaceIndex::freeze`] moves
    /// them to `slots`.
    table: HashTable<Slot>,
    /// The slots once frozen, by open addressing from the mixed hash's low
    /// bits: per slot the hash's high 32 bits, `goes_on` and the head plus
    /// one, in eight bytes (0 is an empty slot; a slot always has a head or
    /// goes on, so none is 0). Eight bytes a slot where a general hash map
    /// takes seventeen, and a look-up reads one cache line, not a control
    /// group and a bucket.
    /// Equal high bits in one run of slots share a slot: its chain then
    /// holds the keys of both hashes, compared byte by byte, and `goes_on`
    /// only lengthens a walk.
    slots: Box<[u64]>,
    /// The longest key, in bytes.
    max_len: usize,
    /// A blocked Bloom filter over the table's mixed hashes: the mixed
    /// hash `m` sets two bits ([`filter_bits`]) of word `m >> filter_shift`,
    /// FILTER_BITS bits per slot in all. Most spans of a text are in no
    /// slot, and a clear bit says so in a few instructions and one cache
    /// line, before any probe of the table. Empty (and not asked) until
    /// [`SurfaceIndex::freeze`].
    filter: Vec<u64>,
    filter_shift: u32,
}

/// A key of [`SurfaceIndex`] and what the gazetteer needs of its first
/// entry to decide most matches without reading the entry.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// Next key with the same hash, or `u32::MAX`.
    next: u32,
    /// The key's bytes in `SurfaceIndex::bytes`.
    off: u32,
    len: u32,
    /// The key's first entry (in list order).
    entry: u32,
    /// Whether text with the key's letters in any case meets that entry's
    /// case rule once the ASCII capitals of `caps` are capitals in it:
    /// false when the rule must be asked of the entry itself (an exact
    /// rule, capitals past the 64th byte).
    by_caps: bool,
    /// Bit `i`: byte `i` of the entry's surface is an ASCII capital that
    /// the case rule asks of the text.
    caps: u64,
}

impl Key {
    /// The entry's case rule on `got` (the key's bytes in some case), when
    /// the record can answer it.
    #[inline]
    fn case_ok(&self, got: &[u8]) -> Option<bool> {
        if !self.by_caps {
            return None;
        }
        let mut m = self.caps;
        while m != 0 {
            if !got[m.trailing_zeros() as usize].is_ascii_uppercase() {
                return Some(false);
            }
            m &= m - 1;
        }
        Some(true)
    }

    /// The record's first-entry fields for `e`.
    fn set_entry(&mut self, i: u32, e: &Entry) {
        let caps_at: Vec<usize> = match e.case {
            CaseRule::Any => Vec::new(),
            _ => e
                .surface
                .bytes()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .map(|(i, _)| i)
                .collect(),
        };
        self.entry = i;
        self.by_caps = e.case != CaseRule::Exact && caps_at.iter().all(|&i| i < 64);
        self.caps = if self.by_caps { caps_at.iter().fold(0, |m, &i| m | 1 << i) } else { 0 };
    }
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// First key with this hash, or `u32::MAX`.
    head: u32,
    /// Some key goes on after this string with a non-alphanumeric character.
    goes_on: bool,
}

impl Slot {
    /// The compact slot (see `SurfaceIndex::slots`).
    fn pack(self, tag: u64) -> u64 {
        debug_assert!(self.head == u32::MAX || self.head < 1 << 31);
        tag << 32 | u64::from(self.goes_on) << 31 | u64::from(self.head.wrapping_add(1))
    }

    fn unpack(s: u64) -> Slot {
        Slot { head: ((s & 0x7fff_ffff) as u32).wrapping_sub(1), goes_on: s & 1 << 31 != 0 }
    }
}

impl Default for Slot {
    fn default() -> Slot {
        Slot { head: u32::MAX, goes_on: false }
    }
}

impl SurfaceIndex {
    fn with_capacity(n: usize) -> SurfaceIndex {
        SurfaceIndex {
            keys: Vec::with_capacity(n),
            bytes: Vec::new(),
            table: HashTable::with_capacity_and_hasher(n, Default::default()),
            slots: Box::default(),
            max_len: 0,
            filter: Vec::new(),
            filter_shift: 0,
        }
    }

    /// Moves the slots to their compact table and builds the Bloom filter
    /// over them: no key is added after.
    fn freeze(&mut self) {
        let table = std::mem::take(&mut self.table);
        let words = (table.len() * FILTER_BITS / 64).next_power_of_two().max(2);
        self.filter_shift = 64 - words.trailing_zeros();
        self.filter = vec![0u64; words];
        // Load at most three quarters.
        let mut slots = vec![0u64; (table.len() * 4 / 3 + 1).next_power_of_two()];
        let mask = slots.len() - 1;
        for (&m, slot) in &table {
            self.filter[(m >> self.filter_shift) as usize] |= filter_bits(m);
            let tag = m >> 32;
            let mut i = m as usize & mask;
            while slots[i] != 0 && slots[i] >> 32 != tag {
                i = (i + 1) & mask;
            }
            let old = Slot::unpack(slots[i]);
            let head = if slot.head == u32::MAX {
                old.head
            } else {
                // Equal tags: one chain through both hashes' keys.
                let mut last = slot.head;
                while self.keys[last as usize].next != u32::MAX {
                    last = self.keys[last as usize].next;
                }
                self.keys[last as usize].next = old.head;
                slot.head
            };
            slots[i] = Slot { head, goes_on: slot.goes_on || old.goes_on }.pack(tag);
        }
        self.slots = slots.into_boxed_slice();
    }

    fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The pattern id of `surface` (its hash is `h`), added if new.
    fn insert(&mut self, surface: &str, h: u64) -> usize {
        assert!(self.slots.is_empty(), "no key is added to a frozen index");
        let bytes = surface.as_bytes();
        if let Some(p) = self.lookup(h, bytes).0.next() {
            return p as usize;
        }
        // The frozen slots keep a head in 31 bits.
        let id = u32::try_from(self.keys.len())
            .ok()
            .filter(|&id| id < (1 << 31) - 1)
            .expect("fewer than 2^31 gazetteer keys");
        let slot = self.table.entry(mix(h)).or_default();
        let next = slot.head;
        slot.head = id;
        // The key goes on past each prefix that a non-alphanumeric
        // character follows; `ph` is the prefix's hash.
        let key = surface.to_ascii_lowercase();
        let mut ph = FNV_OFFSET;
        for (i, &byte) in key.as_bytes().iter().enumerate() {
            if i > 0 && key.is_char_boundary(i) && !key[i..].starts_with(char::is_alphanumeric) {
                self.table.entry(mix(ph)).or_default().goes_on = true;
            }
            ph = fnv_step(ph, byte);
        }
        debug_assert_eq!(ph, h, "the key's hash is the surface's");
        self.max_len = self.max_len.max(key.len());
        let off = u32::try_from(self.bytes.len()).expect("keys under 4 GiB");
        self.bytes.extend_from_slice(key.as_bytes());
        self.keys.push(Key {
            next,
            off,
            len: key.len() as u32,
            entry: u32::MAX,
            by_caps: false,
            caps: 0,
        });
        id as usize
    }

    /// The keys equal to the lowercased `bytes` (whose hash is `h`), and
    /// whether some key goes on after them with a non-alphanumeric
    /// character.
    #[inline]
    fn lookup<'a>(&'a self, h: u64, bytes: &'a [u8]) -> (impl Iterator<Item = u32> + 'a, bool) {
        let slot = self.slot(h);
        (self.chain(slot.head, bytes), slot.goes_on)
    }

    /// The table's slot for the hash `h` (empty if none).
    #[inline]
    fn slot(&self, h: u64) -> Slot {
        let m = mix(h);
        if self.may_hold(m) {
            self.probe(m)
        } else {
            Slot::default()
        }
    }

    /// False when the table has no slot for the mixed hash `m` (the
    /// filter's bit is clear); true when it may.
    #[inline]
    fn may_hold(&self, m: u64) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let bits = filter_bits(m);
        self.filter[(m >> self.filter_shift) as usize] & bits == bits
    }

    /// The table's slot for the mixed hash `m` (empty if none).
    #[inline(never)]
    fn probe(&self, m: u64) -> Slot {
        if self.slots.is_empty() {
            return self.table.get(&m).copied().unwrap_or_default();
        }
        let mask = self.slots.len() - 1;
        let tag = m >> 32;
        let mut i = m as usize & mask;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return Slot::default();
            }
            if s >> 32 == tag {
                return Slot::unpack(s);
            }
            i = (i + 1) & mask;
        }
    }

    /// The bytes of key `p`.
    #[inline]
    fn key_bytes(&self, p: u32) -> &[u8] {
        let k = &self.keys[p as usize];
        &self.bytes[k.off as usize..(k.off + k.len) as usize]
    }

    /// The keys equal to the lowercased `bytes` in the hash chain from
    /// `head`.
    #[inline]
    fn chain<'a>(&'a self, head: u32, bytes: &'a [u8]) -> impl Iterator<Item = u32> + 'a {
        let mut at = head;
        std::iter::from_fn(move || {
            while at != u32::MAX {
                let p = at;
                at = self.keys[p as usize].next;
                if self.key_bytes(p).eq_ignore_ascii_case(bytes) {
                    return Some(p);
                }
            }
            None
        })
    }
}

/// Whether `got`, whose bytes are the surface's but for the case of ASCII
/// letters (a key's match), meets the entry's case rule. Byte by byte:
/// the two split into the same characters, and those that are not ASCII
/// are equal, so [`capitals_match`] asks only of the ASCII capitals.
fn case_ok_folded(e: &Entry, got: &str) -> bool {
    debug_assert!(e.surface.eq_ignore_ascii_case(got));
    match e.case {
        CaseRule::Any => true,
        CaseRule::Exact => got == e.surface,
        CaseRule::Capitals => {
            e.surface.bytes().zip(got.bytes()).all(|(s, g)| !s.is_ascii_uppercase() || s == g)
        }
    }
}

/// The default case rule: every capital of `surface` is the same capital in
/// `got`; other letters may be either case ("UN" only as "UN", "Soviet
/// Union" also as "SOVIET UNION"). Named events use it too.
pub fn capitals_match(surface: &str, got: &str) -> bool {
    surface.chars().zip(got.chars()).all(|(s, g)| !s.is_uppercase() || s == g)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaz(tsv: &str) -> Gazetteer {
        Gazetteer::build(vec![List::from_tsv("t", tsv, "t.tsv").unwrap()], HashMap::new())
    }

    /// A key record answers the case rule as the entry does, or defers:
    /// every rule, capitals early and late, non-ASCII letters, a surface
    /// with capitals past the 64th byte.
    #[test]
    fn key_record_case_rule_is_the_entrys() {
        let long = format!("{}Xy", "a".repeat(70));
        let surfaces =
            ["UN", "Soviet Union", "al-Qaeda", "Côte d'Ivoire", "iPhone", "МИД", "x", &long];
        let mut deferred = 0;
        for surface in surfaces {
            for case in [CaseRule::Any, CaseRule::Capitals, CaseRule::Exact] {
                let e = Entry {
                    surface: surface.to_string(),
                    label: "GPE",
                    kb_id: "X".into(),
                    canonical: "X".into(),
                    case,
                    list: 0,
                    population: None,
                };
                let mut k = Key { next: 0, off: 0, len: 0, entry: 0, by_caps: false, caps: 0 };
                k.set_entry(7, &e);
                assert_eq!(k.entry, 7);
                let variants = [
                    surface.to_string(),
                    surface.to_ascii_lowercase(),
                    surface.to_ascii_uppercase(),
                    surface
                        .chars()
                        .enumerate()
                        .map(|(i, c)| {
                            if i % 2 == 0 {
                                c.to_ascii_uppercase()
                            } else {
                                c.to_ascii_lowercase()
                            }
                        })
                        .collect(),
                ];
                for got in &variants {
                    match k.case_ok(got.as_bytes()) {
                        Some(ok) => {
                            assert_eq!(ok, case_ok_folded(&e, got), "{surface:?} {case:?} {got:?}")
                        }
                        None => deferred += 1,
                    }
                }
            }
        }
        // Exact rules, and the long surface's capital at byte 70, defer.
        assert_eq!(deferred, 4 * (surfaces.len() + 1));
    }

    #[test]
    fn case_and_boundaries() {
        let g = gaz("UN\tORG\torg:un\tUnited Nations\nIraq\tGPE\tIRQ\tIraq\nSoviet Union\tGPE\tSUN\tSoviet Union\n");
        let text = "un Iraqi IRAQ Iraq’s UN soviet union SOVIET UNION Iran-Iraq";
        let got: Vec<&str> = g.candidates(text).iter().map(|c| c.span.of(text)).collect();
        assert_eq!(got, vec!["IRAQ", "Iraq", "UN", "SOVIET UNION", "Iraq"]);
    }

    /// The look-up finds what an overlapping scan checked for word
    /// boundaries finds: nested and overlapping names, glued joins
    /// ("IraqThe"), a longer first word past a glued join, surfaces that
    /// start with punctuation, non-ASCII letters, names far into a text.
    #[test]
    fn lookup_table() {
        let g = gaz(concat!(
            "New York\tGPE\t1\tNew York\nYork\tGPE\t2\tYork\nNew York City\tGPE\t3\tNYC\n",
            "Iraq\tGPE\tIRQ\tIraq\nPetroChina\tORG\t4\tPetroChina\n",
            "(AFP)\tORG\t5\tAFP\nCôte d'Ivoire\tGPE\tCIV\tCôte d'Ivoire\n",
            "Москва\tGPE\t6\tMoscow\nU.S.\tGPE\tUSA\tUnited States\n",
        ));
        let pad = "é€😀 ".repeat(3000);
        let cases: &[(&str, &[&str])] = &[
            ("in New York City now", &["New York", "York", "New York City"]),
            ("WarIraqThe end", &["Iraq"]),
            ("PetroChina and PETROCHINA", &["PetroChina", "PETROCHINA"]),
            ("Paris (AFP) — Côte d'Ivoire’s", &["(AFP)", "Côte d'Ivoire"]),
            // No word starts at a mark right after a letter.
            ("Paris(AFP) x,(AFP)", &["(AFP)"]),
            ("в Москва, U.S. troops", &["Москва", "U.S."]),
            ("Newark Yorkshire Iraqi", &[]),
            // A glued join starts a word ("NewYork" as scraped "New York").
            ("NewYork", &["York"]),
        ];
        for (text, want) in cases {
            for t in [text.to_string(), format!("{pad}{text}")] {
                let mut got: Vec<&str> = g.candidates(&t).iter().map(|c| c.span.of(&t)).collect();
                got.sort();
                let mut want = want.to_vec();
                want.sort();
                assert_eq!(got, want, "{text}");
            }
        }
    }

    /// Two hashes with the same high bits share a compact slot: each
    /// still finds its key (and `goes_on`), through one chain.
    #[test]
    fn compact_slots_share_equal_tags() {
        for flip in [1u64 << 31, 1 << 40] {
            let mut ix = SurfaceIndex::with_capacity(4);
            let a = ix.insert("alpha", key_hash(b"alpha")) as u32;
            let b = ix.insert("beta", key_hash(b"beta")) as u32;
            let (ma, mb) = (mix(key_hash(b"alpha")), mix(key_hash(b"beta")));
            // Beta's slot moved to a hash with alpha's home and, for the
            // first flip, alpha's high bits too.
            let slot = ix.table.remove(&mb).unwrap();
            let m2 = ma ^ flip;
            ix.table.insert(m2, Slot { goes_on: true, ..slot });
            ix.freeze();
            assert_eq!(ix.chain(ix.probe(ma).head, b"alpha").next(), Some(a));
            assert_eq!(ix.chain(ix.probe(m2).head, b"beta").next(), Some(b));
            assert!(ix.probe(m2).goes_on);
            assert_eq!(ix.probe(ma).goes_on, flip == 1 << 31, "shared only when the tags agree");
        }
    }

    /// The Bloom filter holds every slot of the table (a clear bit must
    /// mean "no slot"), and turns most other hashes away.
    #[test]
    fn surface_filter_holds_every_slot() {
        let tsv: String =
            (0..5000).map(|i| format!("Place{i} Town\tGPE\t{i}\tPlace{i}\n")).collect();
        let g = gaz(&tsv);
        let ix = &g.index;
        assert!(ix.keys.len() >= 5000 && ix.table.is_empty());
        for p in 0..ix.keys.len() {
            let key = ix.key_bytes(p as u32);
            let m = mix(key_hash(key));
            assert!(ix.may_hold(m));
            assert_eq!(ix.chain(ix.probe(m).head, key).next(), Some(p as u32));
        }
        let others = (0..20_000u64).map(|i| mix(key_hash(format!("word{i}").as_bytes())));
        let passed = others.filter(|&m| g.index.may_hold(m)).count();
        assert!(passed < 20_000 / 5, "{passed} of 20000 unknown hashes pass");
    }

    /// The start filter drops no candidate: the same texts give the same
    /// candidates with every pair let through. Lowercase surfaces, `any`
    /// and `exact` rules, one-byte keys, non-ASCII first letters, names
    /// at the end of the text.
    #[test]
    fn start_filter_keeps_every_candidate() {
        let mut g = gaz(concat!(
            "el Raval\tGPE\t1\tel Raval\nIraq\tGPE\tIRQ\tIraq\nbasra\tGPE\t2\tBasra\tany\n",
            "X\tORG\t3\tX\nUN\tORG\t4\tUN\texact\nÉvian\tGPE\t5\tÉvian\n",
            "eMkhomazi\tGPE\t6\teMkhomazi\n'Afrin\tGPE\t7\t'Afrin\n",
            "Москва\tGPE\t8\tMoscow\nx\tORG\t9\tx\texact\n",
        ));
        let texts = [
            "in el Raval, EL RAVAL and El Raval",
            "iraq Iraq IRAQ basra Basra BASRA",
            "X x un UN Un",
            "évian Évian ÉVIAN emkhomazi eMkhomazi EMKHOMAZI",
            "'afrin 'Afrin москва Москва",
            "",
            "x",
            "X",
            "Iraq",
            "basra",
            "😀 €x",
        ];
        let filtered: Vec<Vec<(Span, u32)>> = texts
            .iter()
            .map(|t| g.candidates(t).iter().map(|c| (c.span, c.entry)).collect())
            .collect();
        g.starts.bits.fill(u64::MAX);
        for (t, want) in texts.iter().zip(filtered) {
            let all: Vec<(Span, u32)> = g.candidates(t).iter().map(|c| (c.span, c.entry)).collect();
            assert_eq!(want, all, "{t:?}");
        }
    }

    /// The byte test of `case_ok_folded` gives what `capitals_match`
    /// gives, for texts that match the surface but for ASCII case.
    #[test]
    fn folded_case_test_is_capitals_match() {
        let surfaces = [
            "UN",
            "Soviet Union",
            "eMkhomazi",
            "Évian",
            "ÉVIAN-les-Bains",
            "Москва",
            "São Paulo",
            "x",
            "A1 Ring",
            "😀 Party",
            "",
        ];
        for surface in surfaces {
            // Every choice of ASCII case, for the first eight ASCII letters.
            let letters: Vec<usize> = surface
                .char_indices()
                .filter(|(_, c)| c.is_ascii_alphabetic())
                .map(|(i, _)| i)
                .take(8)
                .collect();
            for mask in 0..1u32 << letters.len() {
                let mut got = surface.as_bytes().to_vec();
                for (k, &i) in letters.iter().enumerate() {
                    if mask & (1 << k) != 0 {
                        got[i] ^= 0x20;
                    }
                }
                let got = String::from_utf8(got).unwrap();
                let e = Entry {
                    surface: surface.to_string(),
                    label: "GPE",
                    kb_id: "".into(),
                    canonical: "".into(),
                    case: CaseRule::Capitals,
                    list: 0,
                    population: None,
                };
                assert_eq!(
                    case_ok_folded(&e, &got),
                    capitals_match(surface, &got),
                    "{surface:?} {got:?}"
                );
            }
        }
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = List::from_tsv("t", "# c\nIraq\tGPE\n", "my.tsv").unwrap_err();
        assert_eq!(e.to_string(), "my.tsv:2: expected 4 tab-separated columns (surface, label, kb_id, canonical), found 2");
        let e = List::from_tsv("t", "Iraq\tCOUNTRY\tIRQ\tIraq\n", "my.tsv").unwrap_err();
        assert!(e.to_string().starts_with("my.tsv:1: unknown entity label"), "{e}");
        let e = List::from_tsv("t", "Iraq\tGPE\tIRQ\tIraq\tloud\n", "my.tsv").unwrap_err();
        assert!(e.to_string().contains("unknown case rule"), "{e}");
    }
}
