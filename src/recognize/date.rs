//! Date recognition and TIMEX3 normalization.
//!
//! Rules are patterns with *named* placeholders (`{month}`, `{year}`, …,
//! HeidelTime's `%reMonth` without its numbered groups) and one
//! normalization kind each; every rule carries examples (text → value) that
//! the tests run. All rules are compiled once into one alternation that
//! finds candidate spans in a single pass; the rule that produced a span is
//! then found by re-matching only that span with the rules' anchored
//! regexes (a `RegexSet` cannot give spans, regex `regexset/string.rs`).
//!
//! Values follow TimeBank/TempEval-3. Deictic expressions ("yesterday",
//! "last year") resolve against the document creation time; anaphoric ones
//! ("two years later", "the following year", "that month") against the last
//! explicit date, else the creation time; what cannot be resolved stays
//! underspecified (`XXXX`, `PAST_REF`).

use crate::segment;
use crate::span::{Annotation, Attrs, Layer, Span};
use crate::timex::{self, Ymd};
use regex::{Captures, Regex};

/// Placeholders usable in rule patterns.
const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "month",
        r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Jan\b|Feb\.|Feb\b|Mar\.|Apr\.|Apr\b|Jun\.|Jul\.|Aug\.|Aug\b|Sept\.|Sept\b|Sep\.|Oct\.|Oct\b|Nov\.|Nov\b|Dec\.|Dec\b)",
    ),
    (
        "month2",
        r"(?P<month2>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)",
    ),
    ("day", r"(?P<day>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b"),
    ("day2", r"(?P<day2>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b"),
    ("year", r"(?P<year>1[0-9]{3}|20[0-9]{2})"),
    ("year2", r"(?P<year2>1[0-9]{3}|20[0-9]{2}|[0-9]{2})"),
    ("weekday", r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"),
    ("the", r"(?:[Tt]he )"),
    (
        "qual",
        r"(?P<qual>[Ee]arly|[Mm]id|[Ll]ate|[Tt]he (?:start|beginning|middle|end|close) of|[Tt]he (?:early|mid|late) ?-? ?part of)",
    ),
    ("season", r"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)"),
    (
        "num",
        r"(?P<num>\d+(?:\.\d+)?|(?:[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven|[Tt]welve|[Tt]hirteen|[Ff]ourteen|[Ff]ifteen|[Ss]ixteen|[Ss]eventeen|[Ee]ighteen|[Nn]ineteen|[Aa] hundred|[Aa]n?|[Aa] few|[Ff]ew|[Ss]everal|[Mm]any|[Aa] couple of|[Cc]ouple of|[Ss]ome|[Hh]alf an?|[Aa] half)",
    ),
    (
        "unit",
        r"(?P<unit>centur(?:y|ies)|decades?|years?|months?|weeks?|days?|hours?|minutes?|seconds?)",
    ),
    (
        "dmod",
        r"(?P<dmod>[Mm]ore than|[Ll]ess than|[Aa]t least|[Nn]o more than|[Aa]t most|[Nn]early|[Aa]lmost|[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately|[Oo]ver|[Uu]nder|[Uu]p to|[Ss]ome)",
    ),
    (
        "ordinal",
        r"(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|1st|2nd|3rd|[4-9]th|1[0-9]th|20th|21st)",
    ),
    ("rel", r"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Pp]revious)"),
    (
        "anaph",
        r"(?P<anaph>[Tt]he following|[Tt]he next|[Tt]he previous|[Tt]he preceding|[Tt]he same|[Tt]hat)",
    ),
    ("dir", r"(?P<dir>later|earlier|ago|before|after|afterwards?|on)"),
    ("pod", r"(?P<pod>morning|afternoon|evening|night)"),
    ("ampm", r"(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)"),
];

/// How a rule's match becomes a TIMEX3 type and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Norm {
    /// `{month} {day}, {year}` and friends; year from the anchor if absent.
    FullDate,
    /// `{month} {day}-{day2}, {year}`.
    DayRange,
    /// `{month}-{month2} {year}`.
    MonthRange,
    /// `{month} {year}`, optionally qualified.
    MonthYear,
    /// `{year}-{year2}`.
    YearRange,
    /// `the 1970s`, `the mid-1970s`, `the '80s`, `the eighties`.
    Decade,
    /// `the 20th century`.
    Century,
    /// `spring 1968`.
    Season,
    /// `the first quarter of 2019`, `Q1 2019`.
    Quarter,
    /// `the first half of 1990`.
    Half,
    /// `early 1991`, `the end of 1991`.
    QualYear,
    /// `fiscal 1990`.
    Fiscal,
    /// A bare year, with guards against numbers.
    Year,
    /// `today`, `yesterday`, `tomorrow`, `tonight`.
    Deictic,
    /// `now`, `currently`, `recently`, …: REF values.
    Reference,
    /// `last year`, `this month`, `next week`.
    RelativeUnit,
    /// `last Friday`, `on Tuesday`, `Tuesday`.
    Weekday,
    /// `Tuesday morning`, `this morning`.
    PartOfDay,
    /// `two years later`, `three years ago`.
    Offset,
    /// `the following year`, `that month`.
    Anaphoric,
    /// `10:30 a.m.`, `noon`.
    Time,
    /// `three years`, `more than a decade`, `the following decades`.
    Duration,
    /// `decades`, `years` (bare plural after a preposition).
    VagueDuration,
    /// `every year`, `annually`.
    Set,
}

/// A date rule as written in the table.
struct RuleDef {
    id: &'static str,
    pattern: &'static str,
    norm: Norm,
    /// Examples: (text containing the expression, expected span text,
    /// expected value), resolved with DCT 1998-08-07 (a Friday).
    examples: &'static [(&'static str, &'static str, &'static str)],
}

/// The rule table, in priority order: when two rules match at the same
/// position the earlier one wins, so longer forms come first.
const RULES: &[RuleDef] = &[
    RuleDef {
        id: "date:day-range",
        pattern: r"{month} {day}\s?[-–]\s?{day2},? {year}",
        norm: Norm::DayRange,
        examples: &[(
            "on August 20–21, 1968 troops",
            "August 20–21, 1968",
            "1968-08-20/1968-08-21",
        )],
    },
    RuleDef {
        id: "date:full-mdy",
        pattern: r"(?:{weekday},? )?{month} {day}(?:,? {year}\b)?",
        norm: Norm::FullDate,
        examples: &[
            ("on August 2, 1990, Iraq", "August 2, 1990", "1990-08-02"),
            ("on Tuesday, Aug. 4, 1998 in", "Tuesday, Aug. 4, 1998", "1998-08-04"),
            ("MOSCOW, March 3 (Reuters)", "March 3", "1998-03-03"),
        ],
    },
    RuleDef {
        id: "date:full-dmy",
        pattern: r"(?:{weekday},? )?(?:{the})?{day} (?:of )?{month},? {year}\b",
        norm: Norm::FullDate,
        examples: &[
            ("on 2 August 1990 Iraq", "2 August 1990", "1990-08-02"),
            ("the 14th of June, 1982", "the 14th of June, 1982", "1982-06-14"),
        ],
    },
    RuleDef {
        id: "date:dm",
        pattern: r"(?:{weekday},? )?{day} {month}\b",
        norm: Norm::FullDate,
        examples: &[("from 20 August the", "20 August", "1998-08-20")],
    },
    RuleDef {
        id: "date:month-range",
        pattern: r"{month}\s?[-–]\s?{month2},? {year}",
        norm: Norm::MonthRange,
        examples: &[("from March–June 1999 NATO", "March–June 1999", "1999-03/1999-06")],
    },
    RuleDef {
        id: "date:month-year",
        pattern: r"(?:(?:{qual})[- ]?)?{month},? (?:of )?{year}\b",
        norm: Norm::MonthYear,
        examples: &[
            ("in August 1990 Iraq", "August 1990", "1990-08"),
            ("by late March 2003", "late March 2003", "2003-03"),
        ],
    },
    RuleDef {
        id: "date:month-alone",
        pattern: r"(?:{qual}[- ]?)?{month}\b",
        norm: Norm::MonthYear,
        examples: &[
            ("in May the talks", "May", "1998-05"),
            ("by late March the", "late March", "1998-03"),
        ],
    },
    RuleDef {
        id: "date:year-range",
        pattern: r"{year}\s?[-–/]\s?{year2}\b",
        norm: Norm::YearRange,
        examples: &[
            ("in 1987-88 the", "1987-88", "1987/1988"),
            ("(1990-1991):", "1990-1991", "1990/1991"),
            ("1999–2000", "1999–2000", "1999/2000"),
        ],
    },
    RuleDef {
        id: "date:decade",
        pattern: r"(?:{the})?(?:{qual}[- ]?)?(?:(?P<decade>1[0-9]{2}0|20[0-9]0)'?s|'(?P<decade2>[0-9]0)s|(?P<decadeword>[Tt]wenties|[Tt]hirties|[Ff]orties|[Ff]ifties|[Ss]ixties|[Ss]eventies|[Ee]ighties|[Nn]ineties)\b)",
        norm: Norm::Decade,
        examples: &[
            ("in the 1970s.", "the 1970s", "197"),
            ("in the mid-1970s as", "the mid-1970s", "197"),
            ("the early 1990s:", "the early 1990s", "199"),
            ("in the '80s", "the '80s", "198"),
            ("the late sixties", "the late sixties", "196"),
        ],
    },
    RuleDef {
        id: "date:century",
        pattern: r"(?:{the})?(?:{qual}[- ]?)?{ordinal}[- ]century\b",
        norm: Norm::Century,
        examples: &[
            ("in the 20th century", "the 20th century", "19"),
            ("the early twenty-first century", "the early twenty-first century", "20"),
        ],
    },
    RuleDef {
        id: "date:season",
        pattern: r"(?:{the})?(?:(?P<squal>[Ee]arly|[Ll]ate) )?{season},? (?:of )?{year}\b",
        norm: Norm::Season,
        examples: &[
            ("in spring 1968 the", "spring 1968", "1968-SP"),
            ("the summer of 1990 ", "the summer of 1990", "1990-SU"),
        ],
    },
    RuleDef {
        id: "date:quarter",
        pattern: r"(?:(?:{the})?(?P<qn>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th) quarter,? (?:of )?|Q(?P<qd>[1-4]) ){year}\b",
        norm: Norm::Quarter,
        examples: &[("in the first quarter of 2019", "the first quarter of 2019", "2019-Q1")],
    },
    RuleDef {
        id: "date:half",
        pattern: r"(?:{the})?(?P<hn>[Ff]irst|[Ss]econd) half of {year}\b",
        norm: Norm::Half,
        examples: &[("in the second half of 1990", "the second half of 1990", "1990-H2")],
    },
    RuleDef {
        id: "date:qualified-year",
        pattern: r"{qual}[- ]?{year}\b",
        norm: Norm::QualYear,
        examples: &[
            ("in late 1991 the", "late 1991", "1991"),
            ("by the end of 1991", "the end of 1991", "1991"),
            ("in mid-1982", "mid-1982", "1982"),
        ],
    },
    RuleDef {
        id: "date:fiscal",
        pattern: r"(?:[Ff]iscal(?: year)? |FY ?){year}\b",
        norm: Norm::Fiscal,
        examples: &[("in fiscal 1990", "fiscal 1990", "FY1990")],
    },
    RuleDef {
        id: "date:time",
        pattern: r"(?P<hour>1[0-2]|0?[1-9])(?::(?P<minute>[0-5][0-9]))? ?{ampm}(?: (?P<tz>[A-Z]{2,4}T|GMT|UTC|local time))?|(?P<hour24>[01][0-9]|2[0-3]):(?P<minute24>[0-5][0-9]) (?P<tz2>GMT|UTC|[A-Z]{2,4}T)|(?P<noon>noon|midnight)",
        norm: Norm::Time,
        examples: &[
            ("at 10:30 a.m. EST", "10:30 a.m. EST", "1998-08-07T10:30"),
            ("at 9 p.m. the", "9 p.m.", "1998-08-07T21:00"),
            ("at noon", "noon", "1998-08-07T12:00"),
        ],
    },
    RuleDef {
        id: "date:part-of-day",
        pattern: r"(?:{weekday}|[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]his|[Ll]ast) {pod}|[Tt]onight",
        norm: Norm::PartOfDay,
        examples: &[
            ("on Tuesday morning the", "Tuesday morning", "1998-08-04TMO"),
            ("said this morning", "this morning", "1998-08-07TMO"),
            ("tonight", "tonight", "1998-08-07TNI"),
        ],
    },
    RuleDef {
        id: "date:offset",
        pattern: r"(?:{dmod} )?{num}[- ]{unit} {dir}\b",
        norm: Norm::Offset,
        examples: &[
            ("two years later, Iraq", "two years later", "2000"),
            ("three years ago", "three years ago", "1995"),
            ("a week earlier", "a week earlier", "1998-W31"),
        ],
    },
    RuleDef {
        id: "date:anaphoric",
        pattern: r"{anaph} (?P<aunit>year|month|week|day|decade|spring|summer|autumn|fall|winter)\b",
        norm: Norm::Anaphoric,
        examples: &[
            ("In 1990, Iraq invaded. The following year", "The following year", "1991"),
            ("that month", "that month", "1998-08"),
        ],
    },
    RuleDef {
        id: "date:relative-unit",
        pattern: r"{rel} (?P<runit>year|month|week|weekend|decade|century|spring|summer|autumn|fall|winter|quarter)\b",
        norm: Norm::RelativeUnit,
        examples: &[
            ("last year the", "last year", "1997"),
            ("this month", "this month", "1998-08"),
            ("next week", "next week", "1998-W33"),
        ],
    },
    RuleDef {
        id: "date:weekday",
        pattern: r"(?:(?P<wrel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast) )?{weekday}\b",
        norm: Norm::Weekday,
        examples: &[
            ("said on Tuesday that", "Tuesday", "1998-08-04"),
            ("on Friday", "Friday", "1998-08-07"),
            ("next Monday", "next Monday", "1998-08-10"),
        ],
    },
    RuleDef {
        id: "date:deictic",
        pattern: r"[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]he day before yesterday",
        norm: Norm::Deictic,
        examples: &[
            ("said yesterday", "yesterday", "1998-08-06"),
            ("today", "today", "1998-08-07"),
        ],
    },
    RuleDef {
        id: "date:reference",
        pattern: r"[Nn]ow|[Cc]urrently|[Aa]t present|[Nn]owadays|[Rr]ecently|[Rr]ecent years|[Tt]he past|[Ff]ormerly|[Tt]he future|[Tt]hese days",
        norm: Norm::Reference,
        examples: &[
            ("is now at war", "now", "PRESENT_REF"),
            ("recently", "recently", "PAST_REF"),
            ("in the future", "the future", "FUTURE_REF"),
        ],
    },
    RuleDef {
        id: "date:duration",
        pattern: r"(?:{dmod} )?(?:(?P<dthe>[Tt]he (?:past|last|next|previous|following|first|final|coming|ensuing|preceding)) )?{num}[- ]{unit}(?:[- ]long|[- ]old)?\b|(?P<pthe>[Tt]he (?:past|last|next|previous|following|coming|ensuing|preceding)(?: few)?) (?P<punit>decades|years|months|weeks|days|centuries)\b",
        norm: Norm::Duration,
        examples: &[
            ("for three years", "three years", "P3Y"),
            ("more than a decade", "more than a decade", "P1DE"),
            ("in the following decades.", "the following decades", "PXDE"),
            ("the five-day war", "five-day", "P5D"),
            ("34 days", "34 days", "P34D"),
            ("a few months", "a few months", "PXM"),
        ],
    },
    RuleDef {
        id: "date:vague-duration",
        pattern: r"(?:[Ff]or|[Oo]ver|[Ii]n|[Ww]ithin|[Aa]fter|[Ll]asted|[Tt]ook) (?P<vunit>decades|years|months|weeks|centuries)\b|(?P<vdec>[Dd]ecades)\b",
        norm: Norm::VagueDuration,
        examples: &[
            ("for decades", "decades", "PXDE"),
            ("over years of talks", "years", "PXY"),
            ("Decades of conflict", "Decades", "PXDE"),
        ],
    },
    RuleDef {
        id: "date:set",
        pattern: r"(?:[Ee]very|[Ee]ach) (?P<sunit>year|month|week|day|decade|morning|evening|night|summer|winter|spring|autumn)\b|(?P<sadv>[Aa]nnually|[Yy]early|[Ww]eekly|[Dd]aily|[Mm]onthly)\b|(?P<freq>[Oo]nce|[Tt]wice|[Tt]hree times) an? (?P<funit>year|month|week|day)\b",
        norm: Norm::Set,
        examples: &[
            ("every year the", "every year", "P1Y"),
            ("meets annually", "annually", "P1Y"),
            ("twice a year", "twice a year", "P1Y"),
        ],
    },
    RuleDef {
        id: "date:year",
        pattern: r"{year}\b",
        norm: Norm::Year,
        examples: &[("in 1972 Iraq", "1972", "1972"), ("a 1972 friendship treaty", "1972", "1972")],
    },
];

/// Expressions that must not be taken as the bare-year rule (context
/// guards): the text before, the text after.
const YEAR_BLOCK_BEFORE: &[&str] = &[
    "$",
    "€",
    "£",
    "#",
    "No.",
    "no.",
    "Resolution ",
    "resolution ",
    "Resolutions ",
    "Flight ",
    "flight ",
    "number ",
    "Number ",
    "Route ",
    "route ",
    "page ",
    "pp. ",
    "p. ",
    "Article ",
    "article ",
    "Chapter ",
    "chapter ",
    "Section ",
    "Highway ",
    "Room ",
    "code ",
    "Code ",
    "model ",
    "Model ",
    "Boeing ",
    "Airbus ",
    "T-",
    "MiG-",
    "Su-",
    "Mi-",
    "F-",
    "about ",
    "some ",
    "nearly ",
    "almost ",
    "roughly ",
    "approximately ",
];
const YEAR_BLOCK_AFTER: &[&str] = &[
    "%",
    " percent",
    " per cent",
    " troops",
    " soldiers",
    " people",
    " men",
    " women",
    " km",
    " kilometers",
    " kilometres",
    " miles",
    " tons",
    " tonnes",
    " dollars",
    " euros",
    " barrels",
    " tanks",
    " aircraft",
    " casualties",
    " deaths",
    " refugees",
    " votes",
    " seats",
    " members",
    " metres",
    " meters",
    " feet",
    " civilians",
    " prisoners",
    " rockets",
    " missiles",
    " killed",
    " dead",
    " wounded",
    " hostages",
    " pages",
    " employees",
    " workers",
    " students",
    " residents",
    " families",
    " vehicles",
    " units",
    " officers",
    " fighters",
    " delegates",
    " troops",
    " sq",
    " square",
    " hectares",
    " acres",
    " years",
    " km²",
    "-member",
    "-strong",
    ",000",
    ".",
];

struct Rule {
    id: &'static str,
    norm: Norm,
    re: Regex,
}

/// The compiled date recognizer.
#[derive(Clone)]
pub struct DateRecognizer {
    all: Regex,
    rules: std::sync::Arc<Vec<Rule>>,
}

impl std::fmt::Debug for DateRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DateRecognizer({} rules)", self.rules.len())
    }
}

fn expand(pattern: &str) -> String {
    let mut out = pattern.to_string();
    for (name, re) in PLACEHOLDERS {
        out = out.replace(&format!("{{{name}}}"), re);
    }
    debug_assert!(!out.contains("{month}") && !out.contains("{year}"), "{out}");
    out
}

/// Turns named groups into non-capturing ones, so patterns can be joined
/// into one alternation.
fn uncapture(pattern: &str) -> String {
    let re = Regex::new(r"\(\?P<[a-z0-9]+>").expect("static regex");
    re.replace_all(pattern, "(?:").into_owned()
}

impl DateRecognizer {
    /// Compiles the rule table.
    pub fn new() -> DateRecognizer {
        let mut rules = Vec::new();
        let mut alts = Vec::new();
        for def in RULES {
            let p = expand(def.pattern);
            alts.push(format!("(?:{})", uncapture(&p)));
            let re = Regex::new(&format!("^(?:{p})$"))
                .unwrap_or_else(|e| panic!("date rule {} does not compile: {e}", def.id));
            rules.push(Rule { id: def.id, norm: def.norm, re });
        }
        let all = Regex::new(&alts.join("|")).expect("date alternation compiles");
        DateRecognizer { all, rules: std::sync::Arc::new(rules) }
    }

    /// Finds and normalizes the date expressions of `text` that lie inside
    /// `regions` (content sentences), given the document creation time.
    pub fn recognize(&self, text: &str, regions: &[Span], dct: Option<Ymd>) -> Vec<Annotation> {
        let mut out = Vec::new();
        let mut anchor = Anchor { dct, last: dct.map(Granular::day) };
        for region in regions {
            let s = region.of(text);
            for m in self.all.find_iter(s) {
                let span = Span::new(region.start + m.start(), region.start + m.end());
                if !segment::is_boundary(text, span) && !ends_with_dot(m.as_str()) {
                    continue;
                }
                if let Some(a) = self.normalize(text, span, &mut anchor) {
                    out.push(a);
                }
            }
        }
        out
    }

    fn normalize(&self, text: &str, span: Span, anchor: &mut Anchor) -> Option<Annotation> {
        let s = span.of(text);
        for rule in self.rules.iter() {
            let Some(c) = rule.re.captures(s) else { continue };
            if rule.norm == Norm::Year && !year_allowed(text, span) {
                return None;
            }
            if rule.id == "date:month-alone" && !month_alone_allowed(text, span) {
                return None;
            }
            let n = normalize(rule.norm, &c, anchor)?;
            let (span, _trimmed) = trim_span(text, span, &c, rule.norm);
            let interval = if n.label == "DATE" { timex::interval_of(&n.value) } else { None };
            if let Some(g) = n.sets_anchor {
                anchor.last = Some(g);
            }
            return Some(Annotation {
                span,
                layer: Layer::Date,
                label: n.label,
                source: rule.id.to_string(),
                attrs: Attrs::Date { value: n.value, modifier: n.modifier, interval },
            });
        }
        None
    }
}

impl Default for DateRecognizer {
    fn default() -> Self {
        DateRecognizer::new()
    }
}

fn ends_with_dot(s: &str) -> bool {
    s.ends_with('.')
}

/// Some rules match a leading preposition for context ("in May"); the span
/// starts at the expression itself.
fn trim_span(text: &str, span: Span, c: &Captures<'_>, norm: Norm) -> (Span, bool) {
    let start = match norm {
        Norm::VagueDuration => c.name("vunit").or(c.name("vdec")).map(|m| m.start()),
        _ => None,
    };
    let _ = text;
    match start {
        Some(off) if off > 0 => {
            // Keep a qualifier like "late" in "by late March".
            let s = span.of(text);
            let before = s[..off].trim_end();
            let q = ["early", "late", "Early", "Late", "mid-", "Mid-"]
                .iter()
                .find(|q| before.ends_with(**q))
                .map(|q| before.len() - q.len());
            let off = q.unwrap_or(off);
            (Span::new(span.start + off, span.end), true)
        }
        _ => (span, false),
    }
}

/// A month name without day or year is a date only after a word that
/// introduces a time ("in May", "since March", "last June"), which keeps
/// "May" the verb and "March" the noun out.
fn month_alone_allowed(text: &str, span: Span) -> bool {
    let prev = text[..span.start].trim_end().rsplit([' ', '\n', '(']).next().unwrap_or("");
    let s = span.of(text);
    let qualified = !s.starts_with(|c: char| c.is_uppercase())
        || s.starts_with("Early")
        || s.starts_with("Late")
        || s.starts_with("Mid");
    qualified
        || matches!(
            prev.to_ascii_lowercase().as_str(),
            "in" | "since"
                | "by"
                | "until"
                | "till"
                | "during"
                | "last"
                | "next"
                | "this"
                | "early"
                | "late"
                | "mid"
                | "from"
                | "through"
                | "before"
                | "after"
        )
}

fn year_allowed(text: &str, span: Span) -> bool {
    let before = &text[..span.start];
    let after = &text[span.end..];
    if YEAR_BLOCK_BEFORE.iter().any(|b| before.ends_with(b)) {
        return false;
    }
    if YEAR_BLOCK_AFTER.iter().any(|a| {
        after.starts_with(a) && (*a != "." || after[1..].starts_with(|c: char| c.is_ascii_digit()))
    }) {
        return false;
    }
    // Part of a longer number ("1,990" or "12.1990").
    !before.ends_with([',', '.'])
        || !before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
}

/// The granularity of the last date the text set, for anaphora.
#[derive(Debug, Clone, Copy)]
struct Granular {
    date: Ymd,
    /// 0 year, 1 month, 2 day.
    level: u8,
}

impl Granular {
    fn day(d: Ymd) -> Granular {
        Granular { date: d, level: 2 }
    }
}

struct Anchor {
    dct: Option<Ymd>,
    last: Option<Granular>,
}

struct Normalized {
    label: &'static str,
    value: String,
    modifier: Option<&'static str>,
    sets_anchor: Option<Granular>,
}

fn date(
    value: String,
    modifier: Option<&'static str>,
    anchor: Option<Granular>,
) -> Option<Normalized> {
    Some(Normalized { label: "DATE", value, modifier, sets_anchor: anchor })
}

fn month_num(s: &str) -> Option<u32> {
    let k = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match k.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn word_number(s: &str) -> Option<i64> {
    let l = s.to_ascii_lowercase();
    if let Ok(n) = l.parse::<i64>() {
        return Some(n);
    }
    let unit = |w: &str| -> Option<i64> {
        Some(match w {
            "a" | "an" | "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "thirteen" => 13,
            "fourteen" => 14,
            "fifteen" => 15,
            "sixteen" => 16,
            "seventeen" => 17,
            "eighteen" => 18,
            "nineteen" => 19,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            "a hundred" => 100,
            _ => return None,
        })
    };
    if let Some(n) = unit(&l) {
        return Some(n);
    }
    let (a, b) = l.split_once(['-', ' '])?;
    Some(unit(a)? + unit(b)?)
}

fn ordinal_number(s: &str) -> Option<i32> {
    let l = s.to_ascii_lowercase();
    let digits: String = l.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    const WORDS: &[&str] = &[
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "twenty-first",
    ];
    WORDS.iter().position(|w| *w == l).map(|i| i as i32 + 1)
}

fn qual_mod(q: Option<&str>) -> Option<&'static str> {
    let q = q?.to_ascii_lowercase();
    if q.contains("early") || q.contains("start") || q.contains("beginning") {
        Some("START")
    } else if q.contains("mid") || q.contains("middle") {
        Some("MID")
    } else if q.contains("late") || q.contains("end") || q.contains("close") {
        Some("END")
    } else {
        None
    }
}

fn unit_code(u: &str) -> (&'static str, bool) {
    let u = u.to_ascii_lowercase();
    let u = u.trim_end_matches('s');
    match u {
        "centurie" | "century" => ("CE", false),
        "decade" => ("DE", false),
        "year" => ("Y", false),
        "month" => ("M", false),
        "week" => ("W", false),
        "day" => ("D", false),
        "hour" => ("H", true),
        "minute" => ("M", true),
        _ => ("S", true),
    }
}

fn duration_value(n: Option<i64>, unit: &str) -> String {
    let (code, time) = unit_code(unit);
    let n = n.map_or("X".to_string(), |n| n.to_string());
    if time {
        format!("PT{n}{code}")
    } else {
        format!("P{n}{code}")
    }
}

fn dmod_mod(m: Option<&str>) -> Option<&'static str> {
    Some(match m?.to_ascii_lowercase().as_str() {
        "more than" | "over" => "MORE_THAN",
        "less than" | "under" => "LESS_THAN",
        "at least" => "EQUAL_OR_MORE",
        "no more than" | "at most" | "up to" => "EQUAL_OR_LESS",
        _ => "APPROX",
    })
}

fn weekday_num(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|w| l.starts_with(w))
        .map(|i| i as u32 + 1)
}

/// The weekday nearest to `dct` in the given direction (0: the most recent
/// one, or `dct` itself; 1: the next; -1: the previous week's).
fn weekday_near(dct: Ymd, wd: u32, dir: i32) -> Ymd {
    let cur = dct.weekday() as i64;
    let wd = wd as i64;
    match dir {
        1 => {
            let d = (wd - cur).rem_euclid(7);
            dct.add_days(if d == 0 { 7 } else { d })
        }
        _ => {
            let d = (cur - wd).rem_euclid(7);
            dct.add_days(-if dir < 0 && d == 0 { 7 } else { d })
        }
    }
}

fn g(m: Option<regex::Match<'_>>) -> Option<&str> {
    m.map(|m| m.as_str())
}

fn normalize(norm: Norm, c: &Captures<'_>, anchor: &Anchor) -> Option<Normalized> {
    let year = g(c.name("year")).and_then(|y| y.parse::<i32>().ok());
    let ref_year = || anchor.last.map(|g| g.date.y).or(anchor.dct.map(|d| d.y));
    let yfmt = |y: Option<i32>| y.map_or("XXXX".to_string(), |y| format!("{y:04}"));
    match norm {
        Norm::FullDate => {
            let m = month_num(g(c.name("month"))?)?;
            let d: u32 = g(c.name("day"))?.parse().ok()?;
            let y = year.or_else(ref_year);
            if let Some(y) = y {
                let day = Ymd::new(y, m, d)?;
                date(day.iso(), None, year.map(|_| Granular::day(day)))
            } else {
                (d <= 31).then_some(())?;
                date(format!("XXXX-{m:02}-{d:02}"), None, None)
            }
        }
        Norm::DayRange => {
            let m = month_num(g(c.name("month"))?)?;
            let y = year?;
            let d1 = Ymd::new(y, m, g(c.name("day"))?.parse().ok()?)?;
            let d2 = Ymd::new(y, m, g(c.name("day2"))?.parse().ok()?)?;
            (d1 < d2).then_some(())?;
            date(format!("{}/{}", d1.iso(), d2.iso()), None, Some(Granular::day(d1)))
        }
        Norm::MonthRange => {
            let m1 = month_num(g(c.name("month"))?)?;
            let m2 = month_num(g(c.name("month2"))?)?;
            let y = year?;
            (m1 < m2).then_some(())?;
            date(
                format!("{y:04}-{m1:02}/{y:04}-{m2:02}"),
                None,
                Some(Granular { date: Ymd { y, m: m1, d: 1 }, level: 1 }),
            )
        }
        Norm::MonthYear => {
            let m = month_num(g(c.name("month"))?)?;
            let y = year.or_else(ref_year);
            let modifier = qual_mod(g(c.name("qual")));
            match y {
                Some(y) => date(
                    format!("{y:04}-{m:02}"),
                    modifier,
                    year.map(|_| Granular { date: Ymd { y, m, d: 1 }, level: 1 }),
                ),
                None => date(format!("XXXX-{m:02}"), modifier, None),
            }
        }
        Norm::YearRange => {
            let y1 = year?;
            let y2s = g(c.name("year2"))?;
            let y2: i32 = if y2s.len() == 2 {
                let base = y1 / 100 * 100 + y2s.parse::<i32>().ok()?;
                if base <= y1 {
                    base + 100
                } else {
                    base
                }
            } else {
                y2s.parse().ok()?
            };
            (y1 < y2 && y2 - y1 <= 100).then_some(())?;
            date(
                format!("{y1:04}/{y2:04}"),
                None,
                Some(Granular { date: Ymd { y: y1, m: 1, d: 1 }, level: 0 }),
            )
        }
        Norm::Decade => {
            let modifier = qual_mod(g(c.name("qual")));
            let dec = if let Some(d) = g(c.name("decade")) {
                d[..3].to_string()
            } else if let Some(d) = g(c.name("decade2")) {
                format!("19{}", &d[..1])
            } else {
                let w = g(c.name("decadeword"))?.to_ascii_lowercase();
                let idx = [
                    "twenties",
                    "thirties",
                    "forties",
                    "fifties",
                    "sixties",
                    "seventies",
                    "eighties",
                    "nineties",
                ]
                .iter()
                .position(|x| *x == w)?;
                format!("19{}", idx + 2)
            };
            date(dec, modifier, None)
        }
        Norm::Century => {
            let n = ordinal_number(g(c.name("ordinal"))?)?;
            (1..=21).contains(&n).then_some(())?;
            date(format!("{:02}", n - 1), qual_mod(g(c.name("qual"))), None)
        }
        Norm::Season => {
            let s = match g(c.name("season"))?.to_ascii_lowercase().as_str() {
                "spring" => "SP",
                "summer" => "SU",
                "winter" => "WI",
                _ => "FA",
            };
            let q = g(c.name("squal")).map(|q| {
                if q.eq_ignore_ascii_case("early") {
                    "START"
                } else {
                    "END"
                }
            });
            date(format!("{}-{s}", yfmt(year)), q, None)
        }
        Norm::Quarter => {
            let q = match g(c.name("qn")).or(g(c.name("qd")))?.to_ascii_lowercase().as_str() {
                "first" | "1st" | "1" => 1,
                "second" | "2nd" | "2" => 2,
                "third" | "3rd" | "3" => 3,
                _ => 4,
            };
            date(format!("{}-Q{q}", yfmt(year)), None, None)
        }
        Norm::Half => {
            let h = if g(c.name("hn"))?.eq_ignore_ascii_case("first") { 1 } else { 2 };
            date(format!("{}-H{h}", yfmt(year)), None, None)
        }
        Norm::QualYear => {
            let y = year?;
            date(
                format!("{y:04}"),
                qual_mod(g(c.name("qual"))),
                Some(Granular { date: Ymd { y, m: 1, d: 1 }, level: 0 }),
            )
        }
        Norm::Fiscal => date(format!("FY{}", yfmt(year)), None, None),
        Norm::Year => {
            let y = year?;
            date(format!("{y:04}"), None, Some(Granular { date: Ymd { y, m: 1, d: 1 }, level: 0 }))
        }
        Norm::Deictic => {
            let w = c.get(0)?.as_str().to_ascii_lowercase();
            let off = if w.contains("before") {
                -2
            } else if w == "yesterday" {
                -1
            } else if w == "tomorrow" {
                1
            } else {
                0
            };
            match anchor.dct {
                Some(d) => date(d.add_days(off).iso(), None, None),
                None if off == 0 => date("PRESENT_REF".into(), None, None),
                None => date("XXXX-XX-XX".into(), None, None),
            }
        }
        Norm::Reference => {
            let w = c.get(0)?.as_str().to_ascii_lowercase();
            let v = if w.contains("recent") || w.contains("past") || w.contains("formerly") {
                "PAST_REF"
            } else if w.contains("future") {
                "FUTURE_REF"
            } else {
                "PRESENT_REF"
            };
            date(v.into(), None, None)
        }
        Norm::RelativeUnit => {
            let rel = g(c.name("rel"))?.to_ascii_lowercase();
            let off: i32 = match rel.as_str() {
                "last" | "past" | "previous" => -1,
                "next" | "coming" => 1,
                _ => 0,
            };
            let unit = g(c.name("runit"))?.to_ascii_lowercase();
            let Some(d) = anchor.dct else {
                return date(
                    if off < 0 {
                        "PAST_REF"
                    } else if off > 0 {
                        "FUTURE_REF"
                    } else {
                        "PRESENT_REF"
                    }
                    .into(),
                    None,
                    None,
                );
            };
            let v = match unit.as_str() {
                "year" => format!("{:04}", d.y + off),
                "decade" => format!("{:03}", (d.y / 10) + off),
                "century" => format!("{:02}", (d.y / 100) + off),
                "month" => {
                    let idx = d.y * 12 + d.m as i32 - 1 + off;
                    format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1)
                }
                "week" | "weekend" => {
                    let (y, w) = d.add_days(7 * i64::from(off)).iso_week();
                    if unit == "weekend" {
                        format!("{y:04}-W{w:02}-WE")
                    } else {
                        format!("{y:04}-W{w:02}")
                    }
                }
                "quarter" => {
                    let idx = d.y * 4 + (d.m as i32 - 1) / 3 + off;
                    format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1)
                }
                season => {
                    let code = match season {
                        "spring" => "SP",
                        "summer" => "SU",
                        "winter" => "WI",
                        _ => "FA",
                    };
                    format!("{:04}-{code}", d.y + off)
                }
            };
            date(v, None, None)
        }
        Norm::Weekday => {
            let wd = weekday_num(g(c.name("weekday"))?)?;
            let dir = match g(c.name("wrel")).map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("next") => 1,
                Some("last") | Some("past") => -1,
                _ => 0,
            };
            match anchor.dct {
                Some(d) => date(weekday_near(d, wd, dir).iso(), None, None),
                None => date(format!("XXXX-WXX-{wd}"), None, None),
            }
        }
        Norm::PartOfDay => {
            let whole = c.get(0)?.as_str().to_ascii_lowercase();
            let pod = if whole == "tonight" {
                "NI"
            } else {
                match g(c.name("pod"))? {
                    "morning" => "MO",
                    "afternoon" => "AF",
                    "evening" => "EV",
                    _ => "NI",
                }
            };
            let base = anchor.dct.map(|d| {
                if let Some(wd) = g(c.name("weekday")).and_then(weekday_num) {
                    weekday_near(d, wd, 0)
                } else if whole.starts_with("yesterday") || whole.starts_with("last") {
                    d.add_days(-1)
                } else if whole.starts_with("tomorrow") {
                    d.add_days(1)
                } else {
                    d
                }
            });
            let day = base.map_or("XXXX-XX-XX".to_string(), |d| d.iso());
            Some(Normalized {
                label: "TIME",
                value: format!("{day}T{pod}"),
                modifier: None,
                sets_anchor: None,
            })
        }
        Norm::Offset => {
            let n = word_number(g(c.name("num"))?);
            let unit = g(c.name("unit"))?;
            let dir = g(c.name("dir"))?.to_ascii_lowercase();
            let sign: i64 =
                if matches!(dir.as_str(), "earlier" | "ago" | "before") { -1 } else { 1 };
            let base = if dir == "ago" {
                anchor.dct.map(Granular::day)
            } else {
                anchor.last.or(anchor.dct.map(Granular::day))
            };
            let (code, _) = unit_code(unit);
            let value = match (base, n) {
                (Some(b), Some(n)) => {
                    let d = b.date;
                    match code {
                        "Y" => format!("{:04}", i64::from(d.y) + sign * n),
                        "DE" => format!("{:03}", (i64::from(d.y) + sign * 10 * n) / 10),
                        "CE" => format!("{:02}", (i64::from(d.y) + sign * 100 * n) / 100),
                        "M" => {
                            let idx = i64::from(d.y) * 12 + i64::from(d.m) - 1 + sign * n;
                            format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1)
                        }
                        "W" => {
                            let (y, w) = d.add_days(sign * 7 * n).iso_week();
                            format!("{y:04}-W{w:02}")
                        }
                        "D" if b.level == 2 => d.add_days(sign * n).iso(),
                        _ => {
                            if sign < 0 {
                                "PAST_REF".into()
                            } else {
                                "FUTURE_REF".into()
                            }
                        }
                    }
                }
                _ => {
                    if sign < 0 {
                        "PAST_REF".into()
                    } else {
                        "FUTURE_REF".into()
                    }
                }
            };
            date(value, None, None)
        }
        Norm::Anaphoric => {
            let a = g(c.name("anaph"))?.to_ascii_lowercase();
            let off: i64 = if a.contains("following") || a.contains("next") {
                1
            } else if a.contains("previous") || a.contains("preceding") {
                -1
            } else {
                0
            };
            let unit = g(c.name("aunit"))?.to_ascii_lowercase();
            let Some(b) = anchor.last.or(anchor.dct.map(Granular::day)) else {
                return date("XXXX".into(), None, None);
            };
            let d = b.date;
            let v = match unit.as_str() {
                "year" => format!("{:04}", i64::from(d.y) + off),
                "decade" => format!("{:03}", i64::from(d.y) / 10 + off),
                "month" if b.level >= 1 => {
                    let idx = i64::from(d.y) * 12 + i64::from(d.m) - 1 + off;
                    format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1)
                }
                "week" if b.level >= 2 => {
                    let (y, w) = d.add_days(7 * off).iso_week();
                    format!("{y:04}-W{w:02}")
                }
                "day" if b.level >= 2 => d.add_days(off).iso(),
                "spring" | "summer" | "autumn" | "fall" | "winter" => {
                    let code = match unit.as_str() {
                        "spring" => "SP",
                        "summer" => "SU",
                        "winter" => "WI",
                        _ => "FA",
                    };
                    format!("{:04}-{code}", i64::from(d.y) + off)
                }
                _ => return date("XXXX".into(), None, None),
            };
            date(v, None, None)
        }
        Norm::Time => {
            let day = anchor.dct.map_or("XXXX-XX-XX".to_string(), |d| d.iso());
            let (h, m) = if let Some(n) = g(c.name("noon")) {
                (if n == "noon" { 12 } else { 24 }, 0)
            } else if let Some(h) = g(c.name("hour24")) {
                (h.parse().ok()?, g(c.name("minute24"))?.parse().ok()?)
            } else {
                let mut h: u32 = g(c.name("hour"))?.parse().ok()?;
                let pm = g(c.name("ampm"))?.to_ascii_lowercase().starts_with('p');
                if pm && h < 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
                (h, g(c.name("minute")).map_or(Some(0), |m| m.parse().ok())?)
            };
            Some(Normalized {
                label: "TIME",
                value: format!("{day}T{h:02}:{m:02}"),
                modifier: None,
                sets_anchor: None,
            })
        }
        Norm::Duration => {
            let modifier = dmod_mod(g(c.name("dmod")));
            if let Some(u) = g(c.name("punit")) {
                return Some(Normalized {
                    label: "DURATION",
                    value: duration_value(None, u),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            let num = g(c.name("num"))?;
            let n = word_number(num);
            let unit = g(c.name("unit"))?;
            // "a year" on its own is a duration; "some years" is vague.
            let vague = n.is_none();
            Some(Normalized {
                label: "DURATION",
                value: duration_value(if vague { None } else { n }, unit),
                modifier,
                sets_anchor: None,
            })
        }
        Norm::VagueDuration => {
            let u = g(c.name("vunit")).or(g(c.name("vdec")))?;
            Some(Normalized {
                label: "DURATION",
                value: duration_value(None, u),
                modifier: None,
                sets_anchor: None,
            })
        }
        Norm::Set => {
            let u = if let Some(u) = g(c.name("sunit")) {
                u.to_ascii_lowercase()
            } else if let Some(a) = g(c.name("sadv")) {
                match a.to_ascii_lowercase().as_str() {
                    "weekly" => "week".into(),
                    "daily" => "day".into(),
                    "monthly" => "month".into(),
                    _ => "year".into(),
                }
            } else {
                g(c.name("funit"))?.to_ascii_lowercase()
            };
            let v = match u.as_str() {
                "morning" => "XXXX-XX-XXTMO".to_string(),
                "evening" => "XXXX-XX-XXTEV".to_string(),
                "night" => "XXXX-XX-XXTNI".to_string(),
                "summer" | "winter" | "spring" | "autumn" => "P1Y".to_string(),
                u => duration_value(Some(1), u),
            };
            Some(Normalized { label: "SET", value: v, modifier: None, sets_anchor: None })
        }
    }
}

/// Ids and examples of every rule, for `annotate check` and the tests.
pub fn rule_examples(
) -> impl Iterator<Item = (&'static str, &'static str, &'static str, &'static str)> {
    RULES.iter().flat_map(|r| r.examples.iter().map(move |(t, s, v)| (r.id, *t, *s, *v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_example_normalizes() {
        let rec = DateRecognizer::new();
        let dct = Ymd::new(1998, 8, 7);
        let mut failures = Vec::new();
        for (id, text, span, value) in rule_examples() {
            let got = rec.recognize(text, &[Span::new(0, text.len())], dct);
            let found = got.iter().find(|a| a.span.of(text) == span);
            match found {
                Some(a) => {
                    let Attrs::Date { value: v, .. } = &a.attrs else { unreachable!() };
                    if v != value {
                        failures.push(format!("{id}: {text:?}: {span:?} → {v}, want {value}"));
                    }
                }
                None => failures.push(format!(
                    "{id}: {text:?}: no span {span:?}; got {:?}",
                    got.iter().map(|a| (a.span.of(text), &a.source)).collect::<Vec<_>>()
                )),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn false_positive_guards() {
        let rec = DateRecognizer::new();
        for text in [
            "Resolution 1701 passed.",
            "some 1500 troops crossed",
            "It cost $1990 in all.",
            "They may meet again.",
            "a march to the border",
            "won 2000 votes",
            "about 1200 people",
        ] {
            let got = rec.recognize(text, &[Span::new(0, text.len())], None);
            assert!(
                got.is_empty(),
                "{text:?} gave {:?}",
                got.iter().map(|a| a.span.of(text)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn modifiers_and_intervals() {
        let rec = DateRecognizer::new();
        let text = "the mid-1970s and late 1991";
        let got = rec.recognize(text, &[Span::new(0, text.len())], None);
        let Attrs::Date { value, modifier, interval } = &got[0].attrs else { panic!() };
        assert_eq!((value.as_str(), *modifier), ("197", Some("MID")));
        assert_eq!(interval.as_ref().unwrap().start, "1970-01-01");
        let Attrs::Date { value, modifier, .. } = &got[1].attrs else { panic!() };
        assert_eq!((value.as_str(), *modifier), ("1991", Some("END")));
    }
}

static DATELINE: std::sync::LazyLock<Vec<Regex>> = std::sync::LazyLock::new(|| {
    let place = r"(?m)^[\p{Lu}][\p{Lu} .'’-]{2,40}(?:, [\p{Lu}][\p{L}.]+)?,? ";
    [r"{month} {day}(?:,? {year})?", r"{day} {month}(?:,? {year})?"]
        .iter()
        .map(|p| Regex::new(&format!("{place}{}", expand(p))).expect("static regex"))
        .collect()
});

fn first_captures<'t>(res: &[Regex], s: &'t str) -> Option<Captures<'t>> {
    res.iter()
        .filter_map(|r| r.captures(s))
        .min_by_key(|c| c.get(0).map_or(usize::MAX, |m| m.start()))
}

fn ymd_of(c: &Captures<'_>, fallback_year: Option<i32>) -> Option<Ymd> {
    if let Some(y) = c.name("iy") {
        return Ymd::new(
            y.as_str().parse().ok()?,
            c.name("im")?.as_str().parse().ok()?,
            c.name("id")?.as_str().parse().ok()?,
        );
    }
    let y = c.name("year").and_then(|y| y.as_str().parse().ok()).or(fallback_year)?;
    Ymd::new(y, month_num(c.name("month")?.as_str())?, c.name("day")?.as_str().parse().ok()?)
}

/// The document creation time written in the text, if any: the date of a
/// wire dateline at the start of a line near the top ("MOSCOW, March 3,
/// 2014 —", "BAGHDAD, Aug. 2, 1990 (Reuters) —"). Site bylines and
/// "Posted on" lines are boilerplate and do not set it (see the
/// guidelines); a dateline without a year sets nothing.
pub fn find_dct(text: &str) -> Option<Ymd> {
    let mut head_end = text.len().min(2000);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    first_captures(&DATELINE, &text[..head_end]).and_then(|c| ymd_of(&c, None))
}

#[cfg(test)]
mod dct_tests {
    use super::*;

    #[test]
    fn dct_from_dateline_and_byline() {
        let t = "Title\nBAGHDAD, Aug. 2, 1990 — Iraqi troops";
        assert_eq!(find_dct(t).map(Ymd::iso).as_deref(), Some("1990-08-02"));
        let t = "MOSCOW, March 3 (Reuters) — talks";
        assert_eq!(find_dct(t), None);
        let t = "The war began on August 2, 1990.";
        assert_eq!(find_dct(t), None, "a date in running text is not a DCT");
    }
}
