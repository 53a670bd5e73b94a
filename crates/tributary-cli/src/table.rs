//! Plain-text tables for terminals.

/// Renders rows as a table with a header and aligned columns.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut width: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            width[i] = width[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = width[i])
                } else {
                    format!("{c:>w$}", w = width[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    out.push_str(
        &width
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    for row in rows {
        out.push('\n');
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// An amount of base units (six decimals) as tokens with six decimals.
pub fn tokens(units: u128) -> String {
    format!("{}.{:06}", units / 1_000_000, units % 1_000_000)
}

/// Basis points as a signed percentage with two decimals.
pub fn percent(bps: i64) -> String {
    let sign = if bps < 0 { "-" } else { "" };
    let abs = bps.unsigned_abs();
    format!("{sign}{}.{:02} %", abs / 100, abs % 100)
}

/// Seconds as days with one decimal.
pub fn days(seconds: u64) -> String {
    format!(
        "{}.{} d",
        seconds / 86_400,
        (seconds % 86_400) * 10 / 86_400
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(tokens(1_234_567), "1.234567");
        assert_eq!(percent(-1234), "-12.34 %");
        assert_eq!(percent(5), "0.05 %");
        assert_eq!(days(86_400 * 21 + 43_200), "21.5 d");
        let t = render(&["a", "bb"], &[vec!["x".into(), "1".into()]]);
        assert_eq!(t, "a  bb\n-  --\nx   1");
    }
}
