//! Segment: sentences and tokens with byte offsets, plus the boundary tests
//! every recognizer shares.
//!
//! Scraped text breaks the usual assumptions, so segmentation is line-aware:
//! every line end closes a sentence, a short line ending in `:` is a
//! *heading* (its date anchors the sentences under it), boilerplate is left
//! out, and a title glued to its teaser ("…Iran-Iraq WarThe USSR…") is split
//! at the glued join. [`is_boundary`] is the one word-boundary test the
//! recognizers use: it accepts hyphens, apostrophes and glued joins
//! ([`word_end_at`] answers its end half for one position, cheaply).

use crate::span::Span;

/// A sentence (or a heading line) of content text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span, trimmed of surrounding whitespace.
    pub span: Span,
    /// True for a heading: a short line that ends with `:`.
    pub heading: bool,
    /// True when every word of four letters or more starts with a capital
    /// (a title-case line, where capitals say nothing about names).
    pub title_case: bool,
}

/// Kinds of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (may contain digits).
    Word,
    /// Digits only.
    Number,
    /// Any other single non-space character.
    Punct,
}

/// A token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte span.
    pub span: Span,
    /// Kind.
    pub kind: TokenKind,
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Capt", "Maj", "Gov", "Sen", "Rep",
    "Pres", "Prof", "Adm", "Brig", "Cmdr", "Rev", "Hon", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Vol", "vs", "etc", "approx", "Inc",
    "Corp", "Ltd", "Co", "Mt", "Ft", "Gens", "Amb", "Min",
];

/// Words that start a sentence after a glued join ("…WarThe USSR…").
const GLUED_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "These",
    "That",
    "Those",
    "In",
    "On",
    "At",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "For",
    "From",
    "By",
    "With",
    "During",
    "Since",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "His",
    "Her",
    "Their",
    "Our",
    "But",
    "Despite",
    "Although",
    "Following",
    "Under",
    "Over",
    "Today",
    "Now",
    "How",
    "Why",
    "What",
    "Who",
    "Read",
    "Here",
];

/// Capitalized function words: they start sentences, not names ("The
/// Military Armistice Commission" is a name from "Military" on).
pub const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "After",
    "Before",
    "During",
    "Since",
    "By",
    "From",
    "For",
    "With",
    "This",
    "That",
    "These",
    "Those",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "When",
    "While",
    "As",
    "Despite",
    "Following",
    "Under",
    "Both",
    "Each",
    "Every",
    "If",
    "But",
    "And",
    "Or",
    "Then",
    "Later",
    "Meanwhile",
];

/// Lowercase prefixes of names that contain an inner capital (McDonald).
const INNER_CAPITAL_PREFIXES: &[&str] =
    &["Mc", "Mac", "De", "Di", "Da", "Le", "La", "Van", "Von", "Al", "El", "Du", "Fitz"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Class bits of a character: what the scans below ask of it (a word may
/// end before any character that is `NONWORD`).
const NONWORD: u8 = 2;
const WORD: u8 = 4;
const SPACE: u8 = 8;
/// Uppercase; `LOWER >> 1`, so that `(prev >> 1) & this & UPPER` tests a
/// lowercase letter before a capital (a possible glued join) at once.
const UPPER: u8 = 16;
const LOWER: u8 = 32;
/// An ASCII digit (never set for other characters).
const DIGIT: u8 = 64;
/// A sentence mark: `.`, `!` or `?`.
const MARK: u8 = 128;

/// The classes of the ASCII characters, looked up instead of asked of a
/// decoded `char` (news text is mostly ASCII).
static ASCII_CLASS: [u8; 128] = ascii_classes();

const fn ascii_classes() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        let mut k = if b.is_ascii_alphanumeric() { WORD } else { NONWORD };
        // `char::is_whitespace` on ASCII (with U+000B, unlike
        // `u8::is_ascii_whitespace`).
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            k |= SPACE;
        }
        if b.is_ascii_uppercase() {
            k |= UPPER;
        }
        if b.is_ascii_lowercase() {
            k |= LOWER;
        }
        if b.is_ascii_digit() {
            k |= DIGIT;
        }
        if matches!(b, b'.' | b'!' | b'?') {
            k |= MARK;
        }
        t[i] = k;
        i += 1;
    }
    t
}

/// For each byte, true when no word ends before it whatever surrounds it
/// ([`word_end_at`] says so): an ASCII letter or digit that is not a
/// capital (no glued join starts there), or an inner byte of a character.
/// For walks that ask many positions and can skip these without a call.
pub static NO_WORD_END: [bool; 256] = {
    let classes = ascii_classes();
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if i < 128 { classes[i] & WORD != 0 && classes[i] & UPPER == 0 } else { i < 0xc0 };
        i += 1;
    }
    t
};

/// `char::is_whitespace` of an ASCII byte (U+000B included, unlike
/// `u8::is_ascii_whitespace`); false for other bytes.
#[inline]
pub fn is_space_byte(b: u8) -> bool {
    b < 0x80 && ASCII_CLASS[b as usize] & SPACE != 0
}

/// The class bits of `c`.
fn char_class(c: char) -> u8 {
    if c.is_ascii() {
        return ASCII_CLASS[c as usize];
    }
    // Dashes, curly quotes, the ellipsis (most of news's non-ASCII
    // characters): punctuation, no space, no case.
    if ('\u{2010}'..='\u{2027}').contains(&c) {
        return NONWORD;
    }
    class_by_properties(c)
}

/// The class bits of `c` from its Unicode properties.
fn class_by_properties(c: char) -> u8 {
    let bit = |yes: bool, b: u8| if yes { b } else { 0 };
    (if is_word_char(c) { WORD } else { NONWORD })
        | bit(c.is_whitespace(), SPACE)
        | bit(c.is_uppercase(), UPPER)
        | bit(c.is_lowercase(), LOWER)
}

/// The class bits of the character at byte `i` of `s` (a char boundary)
/// and its length: ASCII by table, the rest decoded.
#[inline(always)]
fn class_at(s: &str, i: usize) -> (u8, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        (ASCII_CLASS[b as usize], 1)
    } else {
        class_at_non_ascii(s, i)
    }
}

/// [`class_at`] for a non-ASCII character, kept out of the loops.
#[inline(never)]
fn class_at_non_ascii(s: &str, i: usize) -> (u8, usize) {
    let c = s[i..].chars().next().unwrap_or_default();
    (char_class(c), c.len_utf8())
}

/// True when `pos` (a char boundary inside a run of letters) is a glued
/// join: a lowercase letter followed by a capital and a lowercase letter, as
/// in "WarThe", and the letters before it are not a name prefix like "Mc".
pub fn is_glued_join(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let after = &text[pos..];
    let mut a = after.chars();
    let (Some(c1), Some(c2)) = (a.next(), a.next()) else { return false };
    let Some(p) = before.chars().next_back() else { return false };
    if !(p.is_lowercase() && c1.is_uppercase() && c2.is_lowercase()) {
        return false;
    }
    // Only the last few letters matter (at least two, and not a name
    // prefix like "Mc"): look back at most five, so a long run of letters
    // costs no more than a short one.
    let mut left_start = pos;
    let mut n = 0;
    for (i, c) in before.char_indices().rev() {
        if !c.is_alphabetic() || n == 5 {
            break;
        }
        left_start = i;
        n += 1;
    }
    let left = &before[left_start..];
    n >= 2 && !INNER_CAPITAL_PREFIXES.contains(&left)
}

/// The byte offset at most `n` bytes before `pos` (not before `lo`), on a
/// char boundary: a bounded look-back window.
pub fn back(text: &str, lo: usize, pos: usize, n: usize) -> usize {
    let mut b = pos.saturating_sub(n).max(lo);
    while !text.is_char_boundary(b) {
        b += 1;
    }
    b
}

/// True when a word may start at `pos`: at the text start, after a
/// non-alphanumeric character, or at a glued join.
pub fn is_start_boundary(text: &str, pos: usize) -> bool {
    match text[..pos].chars().next_back() {
        None => true,
        Some(c) if !is_word_char(c) => true,
        Some(_) => is_glued_join(text, pos),
    }
}

/// True when a word may end at `pos`: at the text end, before a
/// non-alphanumeric character, or at a glued join.
pub fn is_end_boundary(text: &str, pos: usize) -> bool {
    match text[pos..].chars().next() {
        None => true,
        Some(c) if !is_word_char(c) => true,
        Some(_) => is_glued_join(text, pos),
    }
}

/// True when `span` starts and ends on word boundaries.
pub fn is_boundary(text: &str, span: Span) -> bool {
    is_start_boundary(text, span.start) && is_end_boundary(text, span.end)
}

/// What the boundary tests say of one position, for walks that visit a
/// few: whether a word may end at `pos` ([`is_end_boundary`]: the
/// character there is not alphanumeric, or a glued join starts there) and
/// whether the character there is alphanumeric. Positions inside a
/// character are neither.
#[inline]
pub fn word_end_at(text: &str, pos: usize) -> (bool, bool) {
    let Some(&b) = text.as_bytes().get(pos) else { return (true, false) };
    let k = if b < 0x80 {
        ASCII_CLASS[b as usize]
    } else if (b as i8) < -0x40 {
        return (false, false);
    } else {
        class_at_non_ascii(text, pos).0
    };
    if k & WORD == 0 {
        return (true, false);
    }
    // Only a capital can start a glued join.
    (k & UPPER != 0 && is_glued_join(text, pos), true)
}

/// Splits the content of `text` (everything outside `skip`, which must be
/// sorted and non-overlapping) into sentences.
pub fn sentences(text: &str, skip: &[Span]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut skip_i = 0;
    for (ls, line) in crate::clean::lines(text) {
        let le = ls + line.len();
        // Content parts of the line between skipped spans.
        let mut cursor = ls;
        while skip_i < skip.len() && skip[skip_i].end <= ls {
            skip_i += 1;
        }
        let mut k = skip_i;
        while k < skip.len() && skip[k].start < le {
            if skip[k].start > cursor {
                split_line(text, Span::new(cursor, skip[k].start), &mut out);
            }
            cursor = cursor.max(skip[k].end);
            k += 1;
        }
        if cursor < le {
            split_line(text, Span::new(cursor, le), &mut out);
        }
    }
    out
}

fn trim(text: &str, span: Span) -> Option<Span> {
    let s = span.of(text);
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(Span::new(span.start + lead, span.start + lead + t.len()))
    }
}

/// Whether any of the eight bytes of `w` is not ASCII, a capital or a
/// sentence mark (`MARK`): the bytes where [`split_line`] may cut a line.
/// Exact: each test below ("some byte is zero", "some byte lies between")
/// has no false answer for the word as a whole.
#[inline]
fn may_cut(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI != 0;
    // Some byte in 'A'..='Z' (for words of ASCII bytes).
    let seven = w & (LO * 0x7f);
    let capital =
        (LO * (127 + u64::from(b'Z') + 1) - seven) & !w & (seven + LO * (127 - 0x40)) & HI;
    w & HI != 0
        || capital != 0
        || zero(w ^ (LO * u64::from(b'.')))
        || zero(w ^ (LO * u64::from(b'!')))
        || zero(w ^ (LO * u64::from(b'?')))
}

fn split_line(text: &str, part: Span, out: &mut Vec<Sentence>) {
    let Some(part) = trim(text, part) else { return };
    let s = part.of(text);
    let heading = s.ends_with(':') && s.chars().count() <= 100;
    let mut start = 0;
    let mut cuts = Vec::new();
    let mut prev = 0u8;
    let mut pos = 0;
    while pos < s.len() {
        // Only marks and capitals after a lowercase letter (a possible
        // glued join) can cut: eight ASCII bytes with neither go at once.
        if let Some(chunk) = s.as_bytes().get(pos..pos + 8) {
            if !may_cut(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                prev = ASCII_CLASS[chunk[7] as usize];
                pos += 8;
                continue;
            }
        }
        let (k, w) = class_at(s, pos);
        if (k & MARK) | ((prev >> 1) & k & UPPER) == 0 {
        } else if k & MARK != 0 {
            if let Some(cut) = mark_cut(s, pos) {
                cuts.push(cut);
            }
        } else if is_glued_join(s, pos) {
            // Starters are short words: look at most 12 characters ahead.
            let mut word_end = None;
            for (n, (e, ch)) in s[pos..].char_indices().enumerate() {
                if !ch.is_alphabetic() {
                    word_end = Some(pos + e);
                    break;
                }
                if n >= 12 {
                    break;
                }
            }
            if word_end.is_none() && s[pos..].chars().nth(12).is_none() {
                word_end = Some(s.len());
            }
            if word_end.is_some_and(|we| GLUED_STARTERS.contains(&&s[pos..we])) {
                cuts.push((pos, pos));
            }
        }
        prev = k;
        pos += w;
    }
    for (end, next) in cuts {
        push(text, Span::new(part.start + start, part.start + end), false, out);
        start = next;
    }
    push(text, Span::new(part.start + start, part.end), heading, out);
}

/// The cut after the sentence mark at `pos` of the line `s`, if it ends a
/// sentence: the end of the sentence (after closing quotes and brackets)
/// and the start of the next.
fn mark_cut(s: &str, pos: usize) -> Option<(usize, usize)> {
    let c = char::from(s.as_bytes()[pos]);
    // Skip closing quotes and brackets after the mark (one byte).
    let after = pos + 1;
    let mut rest = s[after..].char_indices();
    let (j, cj) = rest.find(|&(_, ch)| !matches!(ch, '"' | '”' | '’' | '\'' | ')'))?;
    if !cj.is_whitespace() {
        return None;
    }
    let (k, next) = rest.find(|&(_, ch)| !ch.is_whitespace())?;
    if !(next.is_uppercase() || next.is_numeric() || matches!(next, '"' | '“' | '(' | '‘')) {
        return None;
    }
    let number_abbrev =
        next.is_ascii_digit() && (s[..pos].ends_with("No") || s[..pos].ends_with("Nos"));
    if c == '.' && (is_abbreviation(&s[..pos]) || number_abbrev) {
        return None;
    }
    Some((after + j, after + k))
}

fn push(text: &str, span: Span, heading: bool, out: &mut Vec<Sentence>) {
    if let Some(span) = trim(text, span) {
        let title_case = is_title_case(span.of(text));
        out.push(Sentence { span, heading, title_case });
    }
}

fn is_abbreviation(before: &str) -> bool {
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // Initials and dotted acronyms: "J.", "U.S", "U.N".
    let letters: Vec<&str> = word.split('.').collect();
    if letters.iter().all(|l| l.chars().count() == 1 && l.chars().all(char::is_uppercase)) {
        return true;
    }
    ABBREVIATIONS.contains(&word)
}

fn is_title_case(s: &str) -> bool {
    // Headline style: every word capitalized except short function words.
    const LOWER_OK: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as", "and",
        "or", "but", "nor", "vs", "via", "per", "into", "onto", "over", "than", "up",
    ];
    let mut capitalized = 0;
    for w in s.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        if w.chars().next().is_some_and(char::is_uppercase) {
            capitalized += 1;
        } else if !LOWER_OK.contains(&w) && w.chars().count() >= 2 {
            return false;
        }
    }
    capitalized >= 2
}

/// Tokens of `span`: runs of letters and digits (split at glued joins) and
/// single punctuation characters.
pub fn tokens(text: &str, span: Span) -> Vec<Token> {
    let s = span.of(text);
    let n = s.len();
    // News prose has a token every five bytes or so: one allocation.
    let mut out = Vec::with_capacity(n / 4 + 1);
    let at = |st: usize, end: usize| Span::new(span.start + st, span.start + end);
    let mut pos = 0;
    while pos < n {
        let (k, w) = class_at(s, pos);
        if k & WORD == 0 {
            if k & SPACE == 0 {
                out.push(Token { span: at(pos, pos + w), kind: TokenKind::Punct });
            }
            pos += w;
            continue;
        }
        // A run of letters and digits, up to a glued join; `all` keeps
        // the bits every character of it has (`DIGIT`: a number).
        let st = pos;
        let (mut all, mut prev) = (k, k);
        pos += w;
        while pos < n {
            let (k, w) = class_at(s, pos);
            if k & WORD == 0 || ((prev >> 1) & k & UPPER != 0 && is_glued_join(s, pos)) {
                break;
            }
            all &= k;
            prev = k;
            pos += w;
        }
        let kind = if all & DIGIT != 0 { TokenKind::Number } else { TokenKind::Word };
        out.push(Token { span: at(st, pos), kind });
    }
    out
}

/// The starts of `tokens` (the tokens of one span, in order, as
/// [`tokens`] gives them) where a word may start and the character is
/// not a space ([`is_start_boundary`] of the span's text): every word and
/// number, and every punctuation mark but one right after a word or a
/// number ("(" starts a word in "Paris (AFP)", not in "Paris(AFP)").
pub fn word_starts(tokens: &[Token]) -> impl Iterator<Item = usize> + '_ {
    let mut prev_word_end = None;
    tokens.iter().filter_map(move |t| {
        let glued_to_word = t.kind == TokenKind::Punct && prev_word_end == Some(t.span.start);
        prev_word_end = (t.kind != TokenKind::Punct).then_some(t.span.end);
        (!glued_to_word).then_some(t.span.start)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `NO_WORD_END` holds only bytes before which `word_end_at` finds no
    /// word end, in every context tried (after capitals, lowercase letters,
    /// spaces, marks, non-ASCII letters; at the end of the text).
    #[test]
    fn no_word_end_bytes_end_no_word() {
        let befores =
            ["", "a", "A", "ab", "AB", "Mc", "war", "Iraq", " ", ".", "é", "Ж", "😀", "1"];
        let afters = ["", "a", "A", "he", "The", " ", ".", "é", "Ж", "😀", "1"];
        for byte in 0..=255u8 {
            if !NO_WORD_END[usize::from(byte)] {
                continue;
            }
            for before in befores {
                for after in afters {
                    let text: Vec<u8> = if byte >= 0x80 {
                        // An inner byte of "é", "Ж", "€" or "😀".
                        for ch in ["é", "Ж", "€", "😀"] {
                            let t = format!("{before}{ch}{after}");
                            for i in before.len() + 1..before.len() + ch.len() {
                                if t.as_bytes()[i] == byte {
                                    assert!(!word_end_at(&t, i).0, "{t:?} {i}");
                                }
                            }
                        }
                        continue;
                    } else {
                        [before.as_bytes(), &[byte], after.as_bytes()].concat()
                    };
                    let t = String::from_utf8(text).unwrap();
                    assert!(!word_end_at(&t, before.len()).0, "{t:?}");
                }
            }
        }
        // The table holds the letters, the digits and every inner byte.
        let held = (0..=255u8).filter(|&b| NO_WORD_END[usize::from(b)]).count();
        assert_eq!(held, 26 + 10 + 64);
    }

    fn sents(text: &str) -> Vec<&str> {
        sentences(text, &[]).iter().map(|s| s.span.of(text)).collect()
    }

    /// The punctuation shortcut of `char_class` gives what the character
    /// tests give.
    #[test]
    fn general_punctuation_classes() {
        for c in '\u{2000}'..='\u{206f}' {
            assert_eq!(char_class(c), class_by_properties(c), "{c:?}");
        }
    }

    #[test]
    fn may_cut_is_exact() {
        let naive = |w: [u8; 8]| {
            w.iter()
                .any(|&b| b >= 0x80 || b.is_ascii_uppercase() || matches!(b, b'.' | b'!' | b'?'))
        };
        // Every byte value at every position, among fillers next to the
        // ranges' edges.
        for fill in [b'a', b' ', b'@', b'[', b'Z' + 1, b'A' - 1, 0, 0x7f, b'-', b'/'] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut w = [fill; 8];
                    w[at] = b;
                    assert_eq!(may_cut(u64::from_le_bytes(w)), naive(w), "{w:?}");
                }
            }
        }
    }

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            (
                "Mr. Smith met Gen. Lee. Then he left.",
                &["Mr. Smith met Gen. Lee.", "Then he left."],
            ),
            ("The U.S. Army came. It won.", &["The U.S. Army came.", "It won."]),
            (
                "Iran-Iraq WarThe USSR was a supplier.",
                &["Iran-Iraq War", "The USSR was a supplier."],
            ),
            ("McDonald and YouTube stay.", &["McDonald and YouTube stay."]),
            ("Heading (1987-88):\nBody line\r\nNext", &["Heading (1987-88):", "Body line", "Next"]),
            ("He said “No.” Then quiet.", &["He said “No.”", "Then quiet."]),
            ("Prices rose 3.5 percent in 1990.", &["Prices rose 3.5 percent in 1990."]),
        ];
        for (text, want) in cases {
            assert_eq!(&sents(text), want, "{text:?}");
        }
    }

    #[test]
    fn headings_and_skips() {
        let text = "ONCE//Title\nSoviet Arms Embargo (1987-88):\nText.";
        let s = sentences(text, &[Span::new(0, 6)]);
        assert_eq!(s[0].span.of(text), "Title");
        assert!(s[1].heading && s[1].title_case);
        assert!(!s[2].heading);
    }

    #[test]
    fn boundaries() {
        let t = "Iran-Iraq WarThe Iraqi’s";
        assert!(is_boundary(t, Span::new(0, 4)));
        assert!(is_boundary(t, Span::new(5, 9)));
        assert!(is_boundary(t, Span::new(10, 13)), "glued join after War");
        assert!(is_boundary(t, Span::new(13, 16)), "glued join before The");
        assert!(!is_boundary(t, Span::new(17, 21)), "Iraq inside Iraqi");
    }

    #[test]
    fn tokens_split_glued_and_punct() {
        let t = "x WarThe 1987-88, é€";
        let toks: Vec<&str> =
            tokens(t, Span::new(0, t.len())).iter().map(|k| k.span.of(t)).collect();
        assert_eq!(toks, vec!["x", "War", "The", "1987", "-", "88", ",", "é", "€"]);
    }

    /// Boundary flags: a word may start at the position, end there.
    const START: u8 = 1;
    const END: u8 = NONWORD;

    /// The boundary flags of every position (with `WORD` and `SPACE` of
    /// the character there), from the per-`char` scan that came before
    /// the character-class table.
    fn old_flags(text: &str) -> Vec<u8> {
        let mut flags = vec![0u8; text.len() + 1];
        let mut prev_word = false;
        let mut prev_lower = false;
        for (i, c) in text.char_indices() {
            let (word, upper, lower) = (is_word_char(c), c.is_uppercase(), c.is_lowercase());
            let glued = prev_lower && upper && is_glued_join(text, i);
            flags[i] = if !prev_word || glued { START } else { 0 }
                | if !word || glued { END } else { 0 }
                | if word { WORD } else { 0 }
                | if c.is_whitespace() { SPACE } else { 0 };
            prev_word = word;
            prev_lower = lower;
        }
        flags[text.len()] = END;
        flags
    }

    fn old_tokens(text: &str, span: Span) -> Vec<Token> {
        let s = span.of(text);
        let mut out = Vec::new();
        let mut run: Option<usize> = None;
        let flush = |run: &mut Option<usize>, end: usize, out: &mut Vec<Token>| {
            if let Some(st) = run.take() {
                let w = &s[st..end];
                let kind = if w.chars().all(|c| c.is_ascii_digit()) {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                };
                out.push(Token { span: Span::new(span.start + st, span.start + end), kind });
            }
        };
        for (pos, c) in s.char_indices() {
            if is_word_char(c) {
                if run.is_some() && c.is_uppercase() && is_glued_join(s, pos) {
                    flush(&mut run, pos, &mut out);
                }
                if run.is_none() {
                    run = Some(pos);
                }
            } else {
                flush(&mut run, pos, &mut out);
                if !c.is_whitespace() {
                    let e = pos + c.len_utf8();
                    out.push(Token {
                        span: Span::new(span.start + pos, span.start + e),
                        kind: TokenKind::Punct,
                    });
                }
            }
        }
        flush(&mut run, s.len(), &mut out);
        out
    }

    fn old_push(text: &str, span: Span, heading: bool, out: &mut Vec<Sentence>) {
        push(text, span, heading, out);
    }

    fn old_split_line(text: &str, part: Span, out: &mut Vec<Sentence>) {
        let Some(part) = trim(text, part) else { return };
        let s = part.of(text);
        let heading = s.ends_with(':') && s.chars().count() <= 100;
        let mut start = 0;
        let mut cuts = Vec::new();
        for (pos, c) in s.char_indices() {
            if matches!(c, '.' | '!' | '?') {
                // Skip closing quotes and brackets after the mark (one byte).
                let after = pos + 1;
                let mut rest = s[after..].char_indices();
                let Some((j, cj)) =
                    rest.find(|&(_, ch)| !matches!(ch, '"' | '”' | '’' | '\'' | ')'))
                else {
                    continue;
                };
                if !cj.is_whitespace() {
                    continue;
                }
                let Some((k, next)) = rest.find(|&(_, ch)| !ch.is_whitespace()) else { continue };
                if !(next.is_uppercase()
                    || next.is_numeric()
                    || matches!(next, '"' | '“' | '(' | '‘'))
                {
                    continue;
                }
                let number_abbrev = next.is_ascii_digit()
                    && (s[..pos].ends_with("No") || s[..pos].ends_with("Nos"));
                if c == '.' && (is_abbreviation(&s[..pos]) || number_abbrev) {
                    continue;
                }
                cuts.push((after + j, after + k));
            } else if c.is_uppercase() && pos > 0 && is_glued_join(s, pos) {
                // Starters are short words: look at most 12 characters ahead.
                let mut word_end = None;
                for (n, (e, ch)) in s[pos..].char_indices().enumerate() {
                    if !ch.is_alphabetic() {
                        word_end = Some(pos + e);
                        break;
                    }
                    if n >= 12 {
                        break;
                    }
                }
                if word_end.is_none() && s[pos..].chars().nth(12).is_none() {
                    word_end = Some(s.len());
                }
                if word_end.is_some_and(|we| GLUED_STARTERS.contains(&&s[pos..we])) {
                    cuts.push((pos, pos));
                }
            }
        }
        for (end, next) in cuts {
            old_push(text, Span::new(part.start + start, part.start + end), false, out);
            start = next;
        }
        old_push(text, Span::new(part.start + start, part.end), heading, out);
    }

    /// The table-driven scans give what the per-`char` ones gave, on
    /// ASCII and non-ASCII text (é, €, emoji, Cyrillic, Arabic, Greek
    /// capitals, U+000B and other spaces), glued joins, marks at the end.
    #[test]
    fn class_table_scans_match_char_scans() {
        let texts = [
            "",
            "a",
            "É",
            "x WarThe 1987-88, é€",
            "Iran-Iraq WarThe USSR. Mr. Smith! Really? Yes.",
            "McDonald MacArthur DeVito warThe aÉcole éÉtat étatÉcole",
            "Москва МоскваПариж москваПариж, Αθήνα ΑθήναΣ",
            "القاهرة، مصر. 😀Emoji😀 WarThe😀 endsWithCapitalA",
            "tab\tvt\u{b}ff\u{c}nbsp\u{a0}em\u{2003}line\u{2028}end",
            "He said “No.” Then quiet. (AFP) — The end.",
            "No. 5 and Nos. 6 on U.S. soil. J. R. R. Tolkien wrote it.",
            "1990s 3.5 ٣٤ Ⅻ ½ x²",
            "endsInGluedTheEnd",
            "aB",
            "aBc",
            "ends with a mark.",
            "WarThe",
            "Paris(AFP) (AFP) x-(y) 1987-88 a.b.c U.S.-led ,,",
            "(start",
        ];
        for t in texts {
            let flags = old_flags(t);
            for (pos, f) in flags.iter().enumerate() {
                let one = word_end_at(t, pos);
                assert_eq!(one, (f & END != 0, f & WORD != 0), "{t:?} at {pos}");
            }
            // The word starts among the token starts are the positions
            // where a word may start (the gazetteer walks from them).
            let starts: Vec<usize> =
                (0..t.len()).filter(|&p| flags[p] & (START | SPACE) == START).collect();
            let toks = tokens(t, Span::new(0, t.len()));
            assert_eq!(word_starts(&toks).collect::<Vec<_>>(), starts, "{t:?}");
            for span in [Span::new(0, t.len()), trim(t, Span::new(0, t.len())).unwrap_or_default()]
            {
                assert_eq!(tokens(t, span), old_tokens(t, span), "{t:?}");
            }
            if let Some(part) = trim(t, Span::new(0, t.len())) {
                let (mut got, mut want) = (Vec::new(), Vec::new());
                split_line(t, part, &mut got);
                old_split_line(t, part, &mut want);
                assert_eq!(got, want, "{t:?}");
            }
        }
    }
}
