//! Calendar arithmetic and TIMEX3 values: parsing a value back into a
//! calendar interval, shifting dates, weekdays and ISO weeks.
//!
//! Kept apart from the date recognizer so the evaluator and the tests can
//! check values and intervals with the same code.

use crate::span::Interval;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year.
    pub y: i32,
    /// Month 1–12.
    pub m: u32,
    /// Day 1–31.
    pub d: u32,
}

/// Days in a month.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Ymd {
    /// A valid date, or `None`.
    pub fn new(y: i32, m: u32, d: u32) -> Option<Ymd> {
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(Ymd { y, m, d })
    }
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Ymd> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Ymd::new(s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..].parse().ok()?)
    }
    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
    /// The date `days` after 1970-01-01.
    pub fn from_days(z: i64) -> Ymd {
        let z = z + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Ymd { y: (yoe + era * 400 + i64::from(m <= 2)) as i32, m, d }
    }
    /// Shifted by `n` days.
    pub fn add_days(self, n: i64) -> Ymd {
        Ymd::from_days(self.to_days() + n)
    }
    /// ISO weekday, Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u32 {
        ((self.to_days() + 3).rem_euclid(7) + 1) as u32
    }
    /// ISO week-numbering year and week.
    pub fn iso_week(self) -> (i32, u32) {
        let thursday = self.add_days(4 - i64::from(self.weekday()));
        let jan1 = Ymd { y: thursday.y, m: 1, d: 1 };
        (thursday.y, ((thursday.to_days() - jan1.to_days()) / 7 + 1) as u32)
    }
    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        if let Some(b) = self.iso_fixed() {
            // (Pushed as characters: ASCII, so no UTF-8 check of the bytes.)
            let mut out = String::with_capacity(b.len());
            out.extend(b.iter().map(|&c| char::from(c)));
            return out;
        }
        let mut out = String::with_capacity(10);
        push_padded(&mut out, i64::from(self.y), 4);
        out.push('-');
        push_padded(&mut out, i64::from(self.m), 2);
        out.push('-');
        push_padded(&mut out, i64::from(self.d), 2);
        out
    }
    /// The ten bytes of [`Ymd::iso`] when the year has four places and
    /// the month and day two (every date but those of years before 0 or
    /// after 9999), made at once.
    pub fn iso_fixed(self) -> Option<[u8; 10]> {
        if let (Ok(y @ 0..=9999), m @ 0..=99, d @ 0..=99) = (u16::try_from(self.y), self.m, self.d)
        {
            let place = |n: u16| b'0' + (n % 10) as u8;
            let (m, d) = (m as u16, d as u16);
            return Some([
                place(y / 1000),
                place(y / 100),
                place(y / 10),
                place(y),
                b'-',
                place(m / 10),
                place(m),
                b'-',
                place(d / 10),
                place(d),
            ]);
        }
        None
    }
}

/// Appends `n` to `out` exactly as `format!("{n:0width$}")` writes it:
/// a minus sign for negative numbers, then zeros up to `width` characters
/// in all (sign included), then the decimal digits.
pub fn push_padded(out: &mut String, n: i64, width: usize) {
    // Years, months and days (0–9999, at most four places): the places
    // written straight from the number.
    if let (Ok(n @ 0..=9999), 0..=4) = (u16::try_from(n), width) {
        let places = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
        let len = match n {
            0..=9 => 1,
            10..=99 => 2,
            100..=999 => 3,
            _ => 4,
        };
        for &p in &places[4 - width.max(len)..] {
            out.push(char::from(b'0' + p as u8));
        }
        return;
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n.unsigned_abs());
    if n < 0 {
        out.push('-');
    }
    let len = digits.len() + usize::from(n < 0);
    out.extend(std::iter::repeat_n('0', width.saturating_sub(len)));
    out.push_str(digits);
}

fn ymd(y: i32, m: u32, d: u32) -> Ymd {
    Ymd { y, m, d }
}

fn add_months(y: i32, m: u32, n: i32) -> (i32, u32) {
    let idx = y * 12 + m as i32 - 1 + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The Monday that starts ISO week `w` of ISO year `y`.
pub fn iso_week_start(y: i32, w: u32) -> Ymd {
    let jan4 = ymd(y, 1, 4);
    jan4.add_days(-(i64::from(jan4.weekday()) - 1) + 7 * (i64::from(w) - 1))
}

fn num(s: &str) -> Option<i32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Splits `v` at each `-` into `parts`, returning how many there are;
/// `None` when there are more than `parts` holds. (A byte loop: values
/// are short, and `str::split` sets up a searcher for each.)
fn dash_parts<'a>(v: &'a str, parts: &mut [&'a str]) -> Option<usize> {
    let mut n = 0;
    let mut start = 0;
    for (i, b) in v.bytes().enumerate() {
        if b == b'-' {
            *parts.get_mut(n)? = &v[start..i];
            n += 1;
            start = i + 1;
        }
    }
    *parts.get_mut(n)? = &v[start..];
    Some(n + 1)
}

/// `v` up to its first `sep` (an ASCII byte), and the rest after it.
fn split_at_byte(v: &str, sep: u8) -> Option<(&str, &str)> {
    let k = v.bytes().position(|b| b == sep)?;
    Some((&v[..k], &v[k + 1..]))
}

/// The calendar period a single (non-range) TIMEX3 value denotes, as
/// `[start, end)` dates.
fn period(v: &str) -> Option<(Ymd, Ymd)> {
    let v = split_at_byte(v, b'T').map_or(v, |(date, _)| date);
    let mut parts = [""; 3];
    let n = dash_parts(v, &mut parts)?;
    match &parts[..n] {
        [c] if c.len() == 2 => {
            let c = num(c)?;
            Some((ymd(c * 100, 1, 1), ymd(c * 100 + 100, 1, 1)))
        }
        [d] if d.len() == 3 || (d.len() == 4 && d.ends_with('X')) => {
            let d = num(&d[..3])?;
            Some((ymd(d * 10, 1, 1), ymd(d * 10 + 10, 1, 1)))
        }
        [y] => {
            let y = num(y)?;
            // (`num` reads digits only, so `y` is not negative: four digits
            // or more is `y >= 1000`.)
            (y >= 1000).then_some((ymd(y, 1, 1), ymd(y + 1, 1, 1)))
        }
        [y, p] => {
            let y = num(y)?;
            if let Some(m) = num(p) {
                if p.len() != 2 || !(1..=12).contains(&m) {
                    return None;
                }
                let (ny, nm) = add_months(y, m as u32, 1);
                return Some((ymd(y, m as u32, 1), ymd(ny, nm, 1)));
            }
            let (s, e) = match *p {
                "SP" => ((y, 3), (y, 6)),
                "SU" => ((y, 6), (y, 9)),
                "FA" => ((y, 9), (y, 12)),
                "WI" => ((y, 12), (y + 1, 3)),
                "Q1" => ((y, 1), (y, 4)),
                "Q2" => ((y, 4), (y, 7)),
                "Q3" => ((y, 7), (y, 10)),
                "Q4" => ((y, 10), (y + 1, 1)),
                "H1" => ((y, 1), (y, 7)),
                "H2" => ((y, 7), (y + 1, 1)),
                w if w.starts_with('W') && w.len() == 3 => {
                    let w = num(&w[1..])? as u32;
                    let s = iso_week_start(y, w);
                    return Some((s, s.add_days(7)));
                }
                _ => return None,
            };
            Some((ymd(s.0, s.1, 1), ymd(e.0, e.1, 1)))
        }
        [y, w, d] if w.starts_with('W') && w.len() == 3 => {
            let week = iso_week_start(num(y)?, num(&w[1..])? as u32);
            if *d == "WE" {
                return Some((week.add_days(5), week.add_days(7)));
            }
            let wd = num(d)?;
            (1..=7).contains(&wd).then_some(())?;
            let day = week.add_days(i64::from(wd) - 1);
            Some((day, day.add_days(1)))
        }
        [y, m, d] => {
            let day = Ymd::new(num(y)?, num(m)? as u32, num(d)? as u32)?;
            Some((day, day.add_days(1)))
        }
        _ => None,
    }
}

/// The calendar interval of a DATE value (`1991`, `197`, `1990-08`,
/// `1987/1988`, …), end exclusive; `None` for values that name no bounded
/// period (`PRESENT_REF`, `XXXX-08`, durations).
pub fn interval_of(value: &str) -> Option<Interval> {
    let (s, e) = match split_at_byte(value, b'/') {
        Some((a, b)) => (period(a)?.0, period(b)?.1),
        None => period(value)?,
    };
    (s < e).then_some(Interval { start: s, end: e })
}

/// True when `v` is a well-formed TIMEX3 value of the forms this tool
/// writes (dates, ranges, durations, sets, times and the REF tokens).
pub fn is_valid_value(v: &str) -> bool {
    if matches!(v, "PRESENT_REF" | "PAST_REF" | "FUTURE_REF") {
        return true;
    }
    if let Some(d) = v.strip_prefix('P') {
        return is_duration_body(d);
    }
    if let Some((a, b)) = v.split_once('/') {
        return is_date_value(a) && is_date_value(b) && interval_of(v).is_some();
    }
    is_date_value(v)
}

fn is_duration_body(d: &str) -> bool {
    let (date, time) = match d.split_once('T') {
        Some((a, b)) => (a, Some(b)),
        None => (d, None),
    };
    let ok_part = |s: &str, units: &[&str]| -> bool {
        let mut rest = s;
        let mut any = false;
        while !rest.is_empty() {
            let n = rest
                .find(|c: char| !(c.is_ascii_digit() || c == 'X' || c == '.'))
                .unwrap_or(rest.len());
            if n == 0 {
                return false;
            }
            let tail = &rest[n..];
            let Some(u) = units.iter().find(|u| tail.starts_with(**u)) else { return false };
            rest = &tail[u.len()..];
            any = true;
        }
        any
    };
    (date.is_empty() || ok_part(date, &["CE", "DE", "Y", "M", "W", "D", "Q"]))
        && time.is_none_or(|t| ok_part(t, &["H", "M", "S"]))
        && !(date.is_empty() && time.is_none())
}

fn is_date_value(v: &str) -> bool {
    let (date, time) = match v.split_once('T') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let digit_or_x = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'X');
    let parts: Vec<&str> = date.split('-').collect();
    let ok_date = match parts.as_slice() {
        [y] => {
            (y.len() == 4 && digit_or_x(y))
                || ((y.len() == 2 || y.len() == 3) && digit_or_x(y))
                || (y.starts_with("FY") && y.len() == 6 && digit_or_x(&y[2..]))
        }
        [y, p] => {
            y.len() == 4
                && digit_or_x(y)
                && ((p.len() == 2 && digit_or_x(p))
                    || matches!(
                        *p,
                        "SP" | "SU" | "FA" | "WI" | "Q1" | "Q2" | "Q3" | "Q4" | "H1" | "H2" | "WE"
                    )
                    || (p.len() == 3 && p.starts_with('W') && digit_or_x(&p[1..])))
        }
        [y, w, d] if w.starts_with('W') => {
            y.len() == 4
                && digit_or_x(y)
                && w.len() == 3
                && digit_or_x(&w[1..])
                && ((d.len() == 1 && digit_or_x(d)) || *d == "WE")
        }
        [y, m, d] => {
            y.len() == 4
                && digit_or_x(y)
                && m.len() == 2
                && digit_or_x(m)
                && d.len() == 2
                && digit_or_x(d)
        }
        _ => false,
    };
    let ok_time = time.is_none_or(|t| {
        matches!(t, "MO" | "AF" | "EV" | "NI" | "DT")
            || (t.len() >= 2
                && t.split(':').all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())))
    });
    ok_date && ok_time
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        let cases = [
            ("1991", Some(("1991-01-01", "1992-01-01"))),
            ("197", Some(("1970-01-01", "1980-01-01"))),
            ("197X", Some(("1970-01-01", "1980-01-01"))),
            ("19", Some(("1900-01-01", "2000-01-01"))),
            ("1990-08", Some(("1990-08-01", "1990-09-01"))),
            ("1990-12", Some(("1990-12-01", "1991-01-01"))),
            ("1990-08-02", Some(("1990-08-02", "1990-08-03"))),
            ("2000-02-29", Some(("2000-02-29", "2000-03-01"))),
            ("1987/1988", Some(("1987-01-01", "1989-01-01"))),
            ("1968-WI", Some(("1968-12-01", "1969-03-01"))),
            ("2019-Q4", Some(("2019-10-01", "2020-01-01"))),
            ("2020-W01", Some(("2019-12-30", "2020-01-06"))),
            ("1998-W32-WE", Some(("1998-08-08", "1998-08-10"))),
            ("1998-W32-5", Some(("1998-08-07", "1998-08-08"))),
            ("PRESENT_REF", None),
            ("XXXX-08", None),
            ("P3Y", None),
            ("1990-13", None),
            ("999", Some(("9990-01-01", "10000-01-01"))),
            ("0999", None),
            ("1000", Some(("1000-01-01", "1001-01-01"))),
            ("10000", Some(("10000-01-01", "10001-01-01"))),
            ("1991T10", Some(("1991-01-01", "1992-01-01"))),
            ("1990-08-02TMO", Some(("1990-08-02", "1990-08-03"))),
            ("1990-08/1991-02", Some(("1990-08-01", "1991-03-01"))),
            ("1990/", None),
            ("/1990", None),
            ("", None),
            ("-", None),
            ("1990-", None),
            ("1990-08-02-01", None),
            ("19é1", None),
            ("١٩٩١", None),
        ];
        for (v, want) in cases {
            let got = interval_of(v).map(|i| (i.start.iso(), i.end.iso()));
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, want, "{v}");
        }
    }

    #[test]
    fn padded_numbers_match_format() {
        let values = [
            0,
            1,
            -1,
            5,
            -5,
            9,
            10,
            -10,
            12,
            31,
            99,
            100,
            -100,
            197,
            999,
            -999,
            1000,
            -1000,
            1991,
            9999,
            10000,
            -10000,
            123_456,
            i64::from(i32::MAX),
            i64::from(i32::MIN),
            i64::MAX,
            i64::MIN,
        ];
        for n in values {
            for width in [0, 1, 2, 3, 4, 6, 19, 20] {
                let mut got = String::from("x");
                push_padded(&mut got, n, width);
                assert_eq!(got, format!("x{n:0width$}"), "{n} width {width}");
            }
        }
        for (y, m, d) in [
            (1991, 8, 2),
            (0, 1, 1),
            (5, 1, 1),
            (-44, 3, 15),
            (9999, 12, 31),
            (10000, 12, 31),
            (999, 10, 9),
            (2000, 99, 100),
        ] {
            let day = Ymd { y, m, d };
            assert_eq!(day.iso(), format!("{y:04}-{m:02}-{d:02}"), "{day:?}");
        }
    }

    #[test]
    fn byte_splits_match_str_split() {
        for v in [
            "",
            "-",
            "--",
            "a-b",
            "1990-08-02",
            "1990-08-02-01",
            "-1990",
            "1990-",
            "é-€",
            "🎉-x-y",
            "Москва-1",
            "1998-W32-WE",
            "T",
            "1991T10",
            "a/b",
            "/",
            "x/y/z",
            "é/🎉",
        ] {
            let mut parts = [""; 3];
            let old: Vec<&str> = v.split('-').collect();
            match dash_parts(v, &mut parts) {
                Some(n) => assert_eq!(&parts[..n], old.as_slice(), "{v:?}"),
                None => assert!(old.len() > 3, "{v:?}"),
            }
            assert_eq!(split_at_byte(v, b'/'), v.split_once('/'), "{v:?}");
            assert_eq!(split_at_byte(v, b'T').map_or(v, |(a, _)| a), v.split('T').next().unwrap());
        }
    }

    #[test]
    fn calendar() {
        let d = Ymd::new(2013, 3, 22).unwrap();
        assert_eq!(d.weekday(), 5, "2013-03-22 was a Friday");
        assert_eq!(d.add_days(-1).iso(), "2013-03-21");
        assert_eq!(Ymd::from_days(d.to_days()), d);
        assert_eq!(Ymd::new(2021, 1, 3).unwrap().iso_week(), (2020, 53));
        assert!(Ymd::new(1900, 2, 29).is_none());
    }

    #[test]
    fn values() {
        for v in [
            "1991",
            "197",
            "19",
            "1990-08-02",
            "1987/1988",
            "P3Y",
            "PXDE",
            "P1DE",
            "PT2H",
            "PRESENT_REF",
            "XXXX-08-02",
            "1998-08-04TMO",
            "1998-08-04T14:30",
            "FY1990",
            "1968-SP",
            "2020-W05",
            "1998-W32-WE",
            "XXXX-WXX-1TEV",
            "2019-Q3",
        ] {
            assert!(is_valid_value(v), "{v}");
        }
        for v in ["", "P", "1991/1990", "99999", "P3", "1990-8", "foo"] {
            assert!(!is_valid_value(v), "{v}");
        }
    }
}
