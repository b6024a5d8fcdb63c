//! CSV files for the evaluators: UTF-8 with a byte-order mark (so spreadsheets read accents and
//! £ signs right), a header row, RFC 4180 quoting, and no cell that a spreadsheet would run as a
//! formula.

/// Writes `header` and `rows` as one CSV file.
pub fn to_csv<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::from("\u{FEFF}");
    push_row(&mut out, header.iter().map(|cell| cell.to_string()));
    for row in rows {
        push_row(&mut out, row);
    }
    out
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let mut first = true;
    for cell in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
}

/// One cell, quoted when needed. Text starting with `=`, `+`, `-`, `@`, tab or carriage return
/// is prefixed with an apostrophe so that a spreadsheet shows it rather than running it — but a
/// plain negative number stays a number.
fn cell_text(cell: &str) -> String {
    let is_number = cell.parse::<f64>().is_ok();
    let risky = !is_number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if risky { format!("'{cell}") } else { cell.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_has_a_bom_a_header_and_crlf_rows() {
        let csv = to_csv(&["name", "amount"], [vec!["Café".to_string(), "£10,000".to_string()]]);
        assert_eq!(csv, "\u{FEFF}name,amount\r\nCafé,\"£10,000\"\r\n");
    }

    #[test]
    fn quotes_line_breaks_and_formulas_are_made_safe() {
        for (cell, written) in [
            ("plain", "plain"),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-12.5", "-12.5"),
            ("- a bullet", "'- a bullet"),
        ] {
            assert_eq!(cell_text(cell), written, "{cell:?}");
        }
    }
}
