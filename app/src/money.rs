//! Money as citizens read it. Amounts are integer cents everywhere; this is where they
//! become "KES 4,550".

/// eCitizen's convenience fee, shown as its own line on invoices (the catalogue's fees
/// include it; a fine's notice amount does not, so it is added to it).
pub const CONVENIENCE_FEE_CENTS: i64 = 50_00;

/// KES with thousands separators: `4550_00` cents is "KES 4,550", `12_50` is "KES 12.50".
pub fn format_kes(cents: i64) -> String {
    // Grouped without the sign (a refund shown as "KES -1,250", never "KES -,125.-0").
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let shillings = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in shillings.chars().enumerate() {
        if i > 0 && (shillings.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match cents % 100 {
        0 => format!("KES {sign}{grouped}"),
        rest => format!("KES {sign}{grouped}.{rest:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::format_kes;

    #[test]
    fn shillings_are_grouped_by_thousands() {
        assert_eq!(format_kes(455_000), "KES 4,550");
        assert_eq!(format_kes(100_000_000), "KES 1,000,000");
        assert_eq!(format_kes(1_250), "KES 12.50");
        assert_eq!(format_kes(0), "KES 0");
        assert_eq!(format_kes(-123_456_750), "KES -1,234,567.50");
        assert_eq!(format_kes(-5), "KES -0.05");
        assert_eq!(format_kes(i64::MIN), "KES -92,233,720,368,547,758.08");
    }
}
