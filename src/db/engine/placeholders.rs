//! Statement text per engine. `Sql` numbers its placeholders `$1, $2, …`, which both engines
//! accept; on SQLite they are sent as anonymous `?` instead, because SQLite keeps named and
//! numbered parameters in a list it scans on every lookup (at parse and again for each bind sqlx
//! makes), so a 4,000-value insert spent most of its time finding its own parameters.

/// The statement text an engine is sent.
pub trait Dialect: sqlx::Database {
    fn statement_text(text: String) -> String;
}

impl Dialect for sqlx::Sqlite {
    fn statement_text(text: String) -> String {
        anonymous(text)
    }
}

impl Dialect for sqlx::Postgres {
    fn statement_text(text: String) -> String {
        text
    }
}

/// `sqlx::query` with the text adapted to the engine the executor later decides.
pub fn query<'q, DB: Dialect>(text: String) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments> {
    sqlx::query(sqlx::AssertSqlSafe(DB::statement_text(text)))
}

/// `sqlx::query_as`, adapted likewise.
pub fn query_as<'q, DB, O>(text: String) -> sqlx::query::QueryAs<'q, DB, O, <DB as sqlx::Database>::Arguments>
where
    DB: Dialect,
    O: for<'r> sqlx::FromRow<'r, DB::Row>,
{
    sqlx::query_as(sqlx::AssertSqlSafe(DB::statement_text(text)))
}

/// `sqlx::query_scalar`, adapted likewise.
pub fn query_scalar<'q, DB, O>(text: String) -> sqlx::query::QueryScalar<'q, DB, O, <DB as sqlx::Database>::Arguments>
where
    DB: Dialect,
    (O,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    sqlx::query_scalar(sqlx::AssertSqlSafe(DB::statement_text(text)))
}

/// Rewrites `$1 … $n` as `?` when they occur exactly once each, in order, outside quotes and
/// comments; anything else (a repeated or reordered number) is returned unchanged, since `?`
/// could not express it.
pub fn anonymous(text: String) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut expected = 1u64;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => i = skip_quoted(bytes, i, quote),
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = skip_until(bytes, i, b"\n"),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_until(bytes, i, b"*/"),
            b'$' => {
                let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits == 0 {
                    i += 1;
                    continue;
                }
                if text[i + 1..i + 1 + digits].parse::<u64>().ok() != Some(expected) {
                    return text;
                }
                expected += 1;
                out.push_str(&text[copied..i]);
                out.push('?');
                i += 1 + digits;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The index just past the quoted run starting at `start` (a doubled quote stays inside).
fn skip_quoted(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// The index just past the first `end` at or after `start + 2`, or the end of the text.
fn skip_until(bytes: &[u8], start: usize, end: &[u8]) -> usize {
    bytes[start + 2..].windows(end.len()).position(|w| w == end).map_or(bytes.len(), |at| start + 2 + at + end.len())
}

#[cfg(test)]
mod tests {
    use super::anonymous;

    #[test]
    fn numbered_placeholders_in_order_become_anonymous() {
        let text = "insert into t (a, b) values ($1, $2), ($3, $4)".to_string();
        assert_eq!(anonymous(text), "insert into t (a, b) values (?, ?), (?, ?)");
    }

    #[test]
    fn quotes_and_comments_are_left_alone() {
        let text = "select json_extract(c, '$.a''$1') as \"$2\" -- $9\n from t where a = $1 /* $3 */ and b = $2";
        let want = "select json_extract(c, '$.a''$1') as \"$2\" -- $9\n from t where a = ? /* $3 */ and b = ?";
        assert_eq!(anonymous(text.to_string()), want);
    }

    #[test]
    fn a_repeated_or_reordered_number_keeps_the_text() {
        for text in ["select $1, $1", "select $2, $1", "select $1, $3"] {
            assert_eq!(anonymous(text.to_string()), text);
        }
    }

    #[test]
    fn multi_digit_numbers_count_on() {
        let text: Vec<String> = (1..=12).map(|n| format!("${n}")).collect();
        assert_eq!(anonymous(text.join(",")), ["?"; 12].join(","));
    }
}
