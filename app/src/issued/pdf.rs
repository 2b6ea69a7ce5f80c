//! Drawing an issued document as an A4 PDF, on the server. Text in the PDF base fonts
//! (Helvetica, WinAnsi: English and Kiswahili need nothing more), the QR code as squares
//! inside a marked-content section named `QR`, so the drawing is the code itself, sharp at
//! any zoom. Content is not compressed: a one-page certificate is a few kilobytes either way.

use crate::i18n::Locale;
use crate::issued::views::FactLine;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// What a drawing needs; the page decides nothing.
pub struct Drawing<'a> {
    pub locale: Locale,
    /// Both languages, side by side, where the agency requires it.
    pub bilingual: bool,
    pub template: &'a str,
    pub title_en: &'a str,
    pub title_sw: &'a str,
    pub agency_en: &'a str,
    pub agency_sw: &'a str,
    pub number: &'a str,
    pub holder_name: &'a str,
    pub issued_on: &'a str,
    pub expires_on: Option<&'a str>,
    pub facts: &'a [FactLine],
    /// What the QR code carries: the verification address with the signed payload.
    pub qr_text: &'a str,
    pub key_id: &'a str,
    pub verify_address: &'a str,
}

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;

/// Text as WinAnsi bytes (the base fonts' encoding); what it cannot hold becomes `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            '—' => 0x97,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            c if (c as u32) < 0x80 || ((c as u32) >= 0xA0 && (c as u32) <= 0xFF) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// The statement each kind of document makes, in English and Kiswahili.
fn statement(template: &str) -> (&'static str, &'static str) {
    match template {
        "good_conduct" => (
            "This is to certify that a search of the criminal records held by the Directorate of Criminal Investigations found no criminal record against the person named above, on the date of issue.",
            "Hii ni kuthibitisha kwamba uchunguzi wa rekodi za uhalifu za Idara ya Upelelezi wa Jinai haukupata rekodi ya uhalifu dhidi ya mtu aliyetajwa hapo juu, katika tarehe ya kutolewa.",
        ),
        "vehicle_search" => (
            "This is the official record of the vehicle below as held in the register of the National Transport and Safety Authority when this search was made.",
            "Hii ni rekodi rasmi ya gari lililo hapa chini kama ilivyo kwenye sajili ya Mamlaka ya Kitaifa ya Usafiri na Usalama wakati utafutaji huu ulipofanywa.",
        ),
        "business_name" => (
            "The business name below is registered under the Registration of Business Names Act to the person named above.",
            "Jina la biashara lililo hapa chini limesajiliwa chini ya Sheria ya Usajili wa Majina ya Biashara kwa mtu aliyetajwa hapo juu.",
        ),
        "licence_renewal" => (
            "The driving licence below has been renewed for the period shown.",
            "Leseni ya udereva iliyo hapa chini imehuishwa kwa muda ulioonyeshwa.",
        ),
        _ => (
            "The details below are confirmed by the agency's register on the date of issue.",
            "Taarifa zilizo hapa chini zimethibitishwa na sajili ya taasisi katika tarehe ya kutolewa.",
        ),
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Writer {
    content: Content,
    y: f32,
}

impl Writer {
    fn text(&mut self, font: &[u8], size: f32, x: f32, text: &str) {
        self.content.begin_text();
        self.content.set_font(Name(font), size);
        self.content.next_line(x, self.y);
        self.content.show(Str(&win_ansi(text)));
        self.content.end_text();
    }

    fn line(&mut self, font: &[u8], size: f32, x: f32, text: &str) {
        self.text(font, size, x, text);
        self.y -= size * 1.4;
    }

    fn paragraph(&mut self, size: f32, x: f32, width_chars: usize, text: &str) {
        for line in wrap(text, width_chars) {
            self.line(b"F1", size, x, &line);
        }
    }
}

pub fn render(d: &Drawing) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, page_id, regular, bold, contents) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, A4.0, A4.1));
    page.parent(tree);
    page.contents(contents);
    {
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
    }
    page.finish();
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));

    let sw = d.locale == Locale::sw;
    let pick = |en: &'static str, swa: &'static str| if sw { swa } else { en };
    let mut w = Writer { content: Content::new(), y: A4.1 - MARGIN };
    w.line(b"F2", 11.0, MARGIN, "REPUBLIC OF KENYA  |  JAMHURI YA KENYA");
    let agency = if sw { d.agency_sw } else { d.agency_en };
    w.line(b"F1", 11.0, MARGIN, agency);
    w.y -= 12.0;
    let (title, other_title) = if sw { (d.title_sw, d.title_en) } else { (d.title_en, d.title_sw) };
    w.line(b"F2", 20.0, MARGIN, title);
    if d.bilingual {
        w.line(b"F1", 13.0, MARGIN, other_title);
    }
    w.y -= 8.0;
    let rows: Vec<(&str, &str, String)> = vec![
        ("Document number", "Nambari ya hati", d.number.to_string()),
        ("Issued to", "Imetolewa kwa", d.holder_name.to_string()),
        ("Date of issue", "Tarehe ya kutolewa", d.issued_on.to_string()),
        ("Valid until", "Halali hadi", d.expires_on.map(String::from).unwrap_or_else(|| pick("Does not expire", "Haina mwisho").to_string())),
    ];
    let label_of = |en: &str, swa: &str| -> String {
        match (d.bilingual, sw) {
            (true, true) => format!("{swa} / {en}"),
            (true, false) => format!("{en} / {swa}"),
            (false, true) => swa.to_string(),
            (false, false) => en.to_string(),
        }
    };
    for (en, swa, value) in rows.iter().map(|(a, b, c)| (*a, *b, c.clone())).chain(d.facts.iter().map(|f| (f.en.as_str(), f.sw.as_str(), f.value.clone()))) {
        w.text(b"F1", 10.0, MARGIN, &label_of(en, swa));
        w.text(b"F2", 11.0, MARGIN + 230.0, &value);
        w.y -= 17.0;
    }
    w.y -= 10.0;
    let (statement_en, statement_sw) = statement(d.template);
    let (first, second) = if sw { (statement_sw, statement_en) } else { (statement_en, statement_sw) };
    w.paragraph(11.0, MARGIN, 90, first);
    if d.bilingual {
        w.y -= 4.0;
        w.paragraph(10.0, MARGIN, 100, second);
    }

    // The QR code, bottom right, with its quiet zone left white.
    let qr_size = 150.0;
    let (qr_x, qr_y) = (A4.0 - MARGIN - qr_size, MARGIN + 40.0);
    if let Ok(code) = qrcode::QrCode::with_error_correction_level(d.qr_text.as_bytes(), qrcode::EcLevel::M) {
        let width = code.width();
        let module = qr_size / width as f32;
        w.content.begin_marked_content(Name(b"QR"));
        w.content.set_fill_gray(0.0);
        for (index, colour) in code.to_colors().iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                let (col, row) = ((index % width) as f32, (index / width) as f32);
                w.content.rect(qr_x + col * module, qr_y + qr_size - (row + 1.0) * module, module, module);
            }
        }
        w.content.fill_nonzero();
        w.content.end_marked_content();
    }
    w.y = qr_y + qr_size - 10.0;
    let text_width = 52;
    for line in wrap(pick("Scan the code to check this document. Without a network, check its signature with Raia's published keys:", "Changanua msimbo ili kuthibitisha hati hii. Bila mtandao, thibitisha sahihi yake kwa funguo zilizochapishwa na Raia:"), text_width) {
        w.line(b"F1", 9.0, MARGIN, &line);
    }
    w.line(b"F1", 9.0, MARGIN, &format!("{}/.well-known/raia-document-keys.json", d.verify_address.trim_end_matches('/')));
    w.line(b"F1", 9.0, MARGIN, &format!("{} {}", pick("Key:", "Ufunguo:"), d.key_id));
    w.y -= 6.0;
    w.line(b"F1", 9.0, MARGIN, &format!("{} {}/verify/document", pick("Or enter its number at", "Au weka nambari yake kwenye"), d.verify_address.trim_end_matches('/')));
    pdf.stream(contents, &w.content.finish());
    pdf.finish()
}

/// The QR code's squares, read back from a PDF this module drew: `(x, y, size)` each. What
/// a test uses to decode the code as a phone would, from the drawing alone.
pub fn qr_squares(pdf: &[u8]) -> Vec<(f32, f32, f32)> {
    let text = String::from_utf8_lossy(pdf);
    let Some(start) = text.find("/QR BMC") else { return Vec::new() };
    let end = text[start..].find("EMC").map(|e| start + e).unwrap_or(text.len());
    let mut squares = Vec::new();
    let mut numbers: Vec<f32> = Vec::new();
    for token in text[start..end].split_whitespace() {
        if token == "re" && numbers.len() >= 4 {
            let n = numbers.len();
            squares.push((numbers[n - 4], numbers[n - 3], numbers[n - 2]));
            numbers.clear();
        } else if let Ok(number) = token.parse::<f32>() {
            numbers.push(number);
        } else {
            numbers.clear();
        }
    }
    squares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_win_ansi_and_lines_wrap_at_spaces() {
        assert_eq!(win_ansi("Huduma – sawa"), b"Huduma \x96 sawa".to_vec());
        assert_eq!(win_ansi("名"), b"?".to_vec());
        assert_eq!(wrap("one two three four", 9), vec!["one two", "three", "four"]);
    }
}
