/// Icelandic national identity numbers (kennitala): `DDMMYYRRCV`, 10 digits, often written `DDMMYY-RRCV`.
///
/// The check digit `C` is not reliable in this register (the known orphan `0103097930` fails it), so
/// a failing check is a warning to report, never a reason to reject or skip a row.
public enum Kennitala {
    /// Removes one hyphen in the `DDMMYY-NNNN` position, as Django's apply endpoint did.
    public static func normalised(_ text: String) -> String {
        text.filter { $0 != "-" }
    }

    /// Ten ASCII digits, after removing a hyphen.
    public static func isWellFormed(_ text: String) -> Bool {
        let digits = normalised(text)
        return digits.utf8.count == 10 && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Members whose SSN starts with 9999 stand in for merged duplicates.
    public static func isPlaceholder(_ text: String) -> Bool { normalised(text).hasPrefix("9999") }

    /// The ninth digit checks the first eight with weights 3,2,7,6,5,4,3,2 modulo 11.
    public static func hasValidCheckDigit(_ text: String) -> Bool {
        let digits = normalised(text).utf8.map { Int($0) - 48 }
        guard digits.count == 10, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        guard let check = checkDigit(Array(digits[0..<8])) else { return false }
        return check == digits[8]
    }

    /// The check digit for eight leading digits, or nil when no digit fits (remainder 1): such
    /// serial numbers are never issued.
    public static func checkDigit(_ firstEight: [Int]) -> Int? {
        let weights = [3, 2, 7, 6, 5, 4, 3, 2]
        let sum = zip(firstEight, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let remainder = sum % 11
        if remainder == 0 { return 0 }
        let check = 11 - remainder
        return check == 10 ? nil : check
    }

    /// `DDMMYY-NNNN`.
    public static func hyphenated(_ text: String) -> String {
        let digits = normalised(text)
        guard digits.count == 10 else { return text }
        return String(digits.prefix(6)) + "-" + String(digits.suffix(4))
    }
}
