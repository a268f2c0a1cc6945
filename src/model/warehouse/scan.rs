//! What the receive page's scanner field understands: a label count scanned or typed (`480`),
//! a box's worth at once (`12 bags of 480`, `12x480`), one bag by its number (`7: 480`), and
//! moving on to another box (`next`, `box 3`). Parsing is plain Rust so every page, test and
//! benchmark reads a line the same way.
use serde::{Deserialize, Serialize};

/// Most tablets one bag's label may carry: well above a real bag (hundreds to a few thousand),
/// and low enough that two labels scanned into the field at once (`480480`) are refused.
pub const MAX_LABEL_COUNT: i64 = 100_000;
/// The longest line the field takes.
pub const MAX_SCAN_CHARS: usize = 100;
/// Most bags one line may add.
pub const MAX_BAGS_PER_SCAN: i64 = 500;
/// Highest box or bag number.
pub const MAX_BOX_OR_BAG: i64 = 10_000;

pub const SCAN_HELP: &str = "Type a label count (480), bags of a count (12 bags of 480 or 12x480), \
     a bag by its number (7: 480), next box, or box 3.";

/// One line typed or scanned into the receive's scanner field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scan {
    /// `count` bags of `label` tablets each, numbered on from the box's last bag.
    Bags { count: i64, label: i64 },
    /// One bag whose number is given.
    Bag { bag_no: i64, label: i64 },
    /// On to the box after the last one.
    NextBox,
    /// To box `n`.
    Box(i64),
}

/// What a scanner line did, as the receive page's URL carries it (`12-480`: bags 1 to 12 of
/// 480 tablets; `box`: moved to a box). Numbers only, so a link cannot make the page say
/// anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanDone {
    Bags { first: i64, last: i64, label: i64 },
    Moved,
}

impl ScanDone {
    pub fn encode(&self) -> String {
        match self {
            ScanDone::Bags { first, last, label } => format!("{first}-{last}-{label}"),
            ScanDone::Moved => "box".into(),
        }
    }

    pub fn decode(text: &str) -> Option<Self> {
        if text == "box" {
            return Some(ScanDone::Moved);
        }
        let mut numbers = text.splitn(3, '-').map(|n| n.parse::<i64>().ok().filter(|n| *n > 0));
        let (first, last, label) = (numbers.next()??, numbers.next()??, numbers.next()??);
        (first <= last && last <= MAX_BOX_OR_BAG && label <= MAX_LABEL_COUNT).then_some(ScanDone::Bags {
            first,
            last,
            label,
        })
    }

    /// "Box 2: added bags 1–12 of 480 tablets."
    pub fn message(&self, box_no: i64) -> String {
        match *self {
            ScanDone::Bags { first, last, label } if first == last => {
                format!("Box {box_no}: added bag {first} of {label} tablets.")
            }
            ScanDone::Bags { first, last, label } => {
                format!("Box {box_no}: added bags {first}–{last} of {label} tablets.")
            }
            ScanDone::Moved => format!("Box {box_no}: scan its bags."),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Token {
    Number(i64),
    Word(String),
    Mark(char),
}

/// Splits a line into numbers (`1,000` is one), words and marks; `None` for a number too long.
fn tokens(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(&n) = chars.peek() {
                if n.is_ascii_digit() {
                    digits.push(n);
                } else if n != ',' && n != '_' {
                    break;
                }
                chars.next();
            }
            out.push(Token::Number(digits.parse().ok().filter(|_| digits.len() <= 12)?));
        } else if c.is_alphabetic() {
            let mut word = c.to_lowercase().to_string();
            while let Some(&n) = chars.peek().filter(|n| n.is_alphabetic()) {
                word.extend(n.to_lowercase());
                chars.next();
            }
            out.push(Token::Word(word));
        } else if !c.is_whitespace() {
            out.push(Token::Mark(if matches!(c, '×' | '*') { 'x' } else { c }));
        }
    }
    Some(out)
}

fn is_word(token: &Token, words: &[&str]) -> bool {
    matches!(token, Token::Word(w) if words.contains(&w.as_str()))
}

fn is_times(token: &Token) -> bool {
    is_word(token, &["x"]) || *token == Token::Mark('x')
}

/// Reads one line of the scanner field; the message says what it understands otherwise.
pub fn parse_scan(text: &str) -> Result<Scan, String> {
    use Token::{Mark, Number as N};
    if text.chars().count() > MAX_SCAN_CHARS {
        return Err(format!("A line is at most {MAX_SCAN_CHARS} characters."));
    }
    let tokens = tokens(text).ok_or_else(|| "That number is too large.".to_string())?;
    let scan = match tokens.as_slice() {
        [N(label)] => Scan::Bags { count: 1, label: *label },
        [N(count), times, N(label)] if is_times(times) => Scan::Bags { count: *count, label: *label },
        [N(count), bags, of, N(label)] if is_word(bags, &["bag", "bags"]) && is_word(of, &["of"]) => {
            Scan::Bags { count: *count, label: *label }
        }
        [N(bag), Mark(':'), N(label)] => Scan::Bag { bag_no: *bag, label: *label },
        [bag, N(n), N(label)] if is_word(bag, &["bag"]) => Scan::Bag { bag_no: *n, label: *label },
        [bag, N(n), of, N(label)] if is_word(bag, &["bag"]) && is_word(of, &["of"]) => {
            Scan::Bag { bag_no: *n, label: *label }
        }
        [Mark('+')] => Scan::NextBox,
        [next] if is_word(next, &["next"]) => Scan::NextBox,
        [next, b] if is_word(next, &["next"]) && is_word(b, &["box"]) => Scan::NextBox,
        [b, N(n)] if is_word(b, &["box"]) => Scan::Box(*n),
        _ => return Err(SCAN_HELP.to_string()),
    };
    check(scan)
}

fn check(scan: Scan) -> Result<Scan, String> {
    let label_ok = |label: i64| match label {
        0 => Err("A bag's label count is above 0.".to_string()),
        l if l > MAX_LABEL_COUNT => {
            Err("A bag holds at most 100,000 tablets (were two labels scanned at once?).".to_string())
        }
        _ => Ok(()),
    };
    let number_ok = |n: i64, what: &str| match n {
        1..=MAX_BOX_OR_BAG => Ok(()),
        _ => Err(format!("{what} numbers run from 1 to 10,000.")),
    };
    match scan {
        Scan::Bags { count, label } => {
            label_ok(label)?;
            if !(1..=MAX_BAGS_PER_SCAN).contains(&count) {
                return Err("Type from 1 to 500 bags at a time.".into());
            }
        }
        Scan::Bag { bag_no, label } => {
            label_ok(label)?;
            number_ok(bag_no, "Bag")?;
        }
        Scan::Box(n) => number_ok(n, "Box")?,
        Scan::NextBox => {}
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_receiver_types() {
        let bags = |count, label| Ok(Scan::Bags { count, label });
        assert_eq!(parse_scan("480"), bags(1, 480));
        assert_eq!(parse_scan(" 1,000 "), bags(1, 1000));
        assert_eq!(parse_scan("12 bags of 480"), bags(12, 480));
        assert_eq!(parse_scan("12 Bags of 480"), bags(12, 480));
        assert_eq!(parse_scan("1 bag of 480"), bags(1, 480));
        assert_eq!(parse_scan("12x480"), bags(12, 480));
        assert_eq!(parse_scan("12 × 480"), bags(12, 480));
        assert_eq!(parse_scan("12*480"), bags(12, 480));
        assert_eq!(parse_scan("7: 480"), Ok(Scan::Bag { bag_no: 7, label: 480 }));
        assert_eq!(parse_scan("bag 7 of 480"), Ok(Scan::Bag { bag_no: 7, label: 480 }));
        assert_eq!(parse_scan("next"), Ok(Scan::NextBox));
        assert_eq!(parse_scan("Next box"), Ok(Scan::NextBox));
        assert_eq!(parse_scan("+"), Ok(Scan::NextBox));
        assert_eq!(parse_scan("box 3"), Ok(Scan::Box(3)));
    }

    #[test]
    fn refuses_with_a_message() {
        assert_eq!(parse_scan(""), Err(SCAN_HELP.to_string()));
        assert_eq!(parse_scan("PO-1-1-1"), Err(SCAN_HELP.to_string()));
        assert_eq!(parse_scan("0").unwrap_err(), "A bag's label count is above 0.");
        assert!(parse_scan("480480").unwrap_err().starts_with("A bag holds at most 100,000 tablets"));
        assert_eq!(parse_scan(&"1".repeat(101)).unwrap_err(), "A line is at most 100 characters.");
        assert_eq!(parse_scan("501 bags of 4").unwrap_err(), "Type from 1 to 500 bags at a time.");
        assert_eq!(parse_scan("0x4").unwrap_err(), "Type from 1 to 500 bags at a time.");
        assert_eq!(parse_scan("box 0").unwrap_err(), "Box numbers run from 1 to 10,000.");
        assert_eq!(parse_scan("99999999999999999999").unwrap_err(), "That number is too large.");
        assert_eq!(parse_scan("480\u{0}"), Err(SCAN_HELP.to_string()));
        assert_eq!(parse_scan("٤٨٠"), Err(SCAN_HELP.to_string()), "only ASCII digits are counts");
    }

    #[test]
    fn what_a_line_did_goes_through_the_url_as_numbers() {
        let done = ScanDone::Bags { first: 1, last: 12, label: 480 };
        assert_eq!(ScanDone::decode(&done.encode()), Some(done));
        assert_eq!(done.message(2), "Box 2: added bags 1–12 of 480 tablets.");
        assert_eq!(ScanDone::Bags { first: 7, last: 7, label: 5 }.message(1), "Box 1: added bag 7 of 5 tablets.");
        assert_eq!(ScanDone::decode("box"), Some(ScanDone::Moved));
        assert_eq!(ScanDone::decode("Send money"), None);
        assert_eq!(ScanDone::decode("1-2"), None);
        assert_eq!(ScanDone::decode("9-2-480"), None, "first after last");
    }
}
