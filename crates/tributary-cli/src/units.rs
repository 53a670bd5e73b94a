//! Token amounts typed by people ("12.5") to base units (six decimals) and back.

/// Decimals of the devnet's tokens.
pub const DECIMALS: u32 = 6;

/// Parses a token amount such as `12`, `12.5` or `0.000001` into base units.
pub fn parse_tokens(text: &str) -> Result<u128, String> {
    let text = text.trim();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let bad = || format!("{text:?} is not an amount of tokens (for example 12 or 12.5)");
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > DECIMALS as usize {
        return Err(format!("{text:?} has more than {DECIMALS} decimals"));
    }
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac_units: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u128>().map_err(|_| bad())? * 10u128.pow(DECIMALS - frac.len() as u32)
    };
    let units = whole
        .checked_mul(10u128.pow(DECIMALS))
        .and_then(|w| w.checked_add(frac_units))
        .ok_or_else(|| format!("{text:?} is too large"))?;
    if units == 0 {
        return Err("the amount must be above zero".to_string());
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_amounts() {
        assert_eq!(parse_tokens("12"), Ok(12_000_000));
        assert_eq!(parse_tokens("12.5"), Ok(12_500_000));
        assert_eq!(parse_tokens("0.000001"), Ok(1));
        assert_eq!(parse_tokens(".5"), Ok(500_000));
        assert!(parse_tokens("0").is_err());
        assert!(parse_tokens("1.0000001").is_err());
        assert!(parse_tokens("-1").is_err());
        assert!(parse_tokens("1e5").is_err());
        assert!(parse_tokens("").is_err());
        assert!(parse_tokens("999999999999999999999999999999999999999").is_err());
    }
}
