/// Text made safe to print to a terminal. Row values, document fields, rules, the configuration file
/// and file names reach messages as they are; an `ESC [2J` in a queue row's `error_message` would clear
/// the operator's screen, and an OSC sequence could retitle the window or hide the text after it. Every
/// control character — C0, DEL and C1 (U+0080–U+009F, which some terminals obey as 8-bit controls) — is
/// written as a `\u001b`-style escape instead.
///
/// The escape is JSON's own spelling on purpose: JSON output passes through the same choke point, and
/// a control character can only stand inside a JSON string (the encoder escapes C0 itself), where
/// `\u009b` means the same character, so escaped JSON is still the same JSON.
package enum TerminalText {
    /// `text` with every control character escaped. With `keepingLineBreaks` (whole outputs: reports,
    /// help, multi-line errors) line feeds and tabs stay; carriage returns never do, since one can
    /// overwrite the start of a line with something else.
    package static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLineBreaks: keepingLineBreaks) }) else {
            return text
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepingLineBreaks: keepingLineBreaks) {
                result.append(contentsOf: "\\u".unicodeScalars)
                let hex = String(scalar.value, radix: 16)
                result.append(contentsOf: (String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}
