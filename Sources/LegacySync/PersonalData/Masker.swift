import Foundation

/// Masks personal data (kennitala, names, e-mail, phone) in everything printed. On by default;
/// `--unmask` turns it off explicitly.
public struct Masker: Sendable {
    public let unmasked: Bool

    public init(unmasked: Bool = false) { self.unmasked = unmasked }

    /// `010170-****`: the birth date stays (useful, not identifying alone), the serial goes.
    public func kennitala(_ ssn: String?) -> String {
        guard let ssn else { return "(null)" }
        if unmasked { return ssn }
        let digits = Kennitala.normalised(ssn)
        guard digits.count >= 6 else { return "****" }
        return String(digits.prefix(6)) + "-****"
    }

    /// Initials only: `J*** S***`.
    public func name(_ name: String?) -> String {
        guard let name else { return "(null)" }
        if unmasked { return name }
        return name.split(separator: " ").map { "\($0.prefix(1))***" }.joined(separator: " ")
    }

    /// `j***@***.is`.
    public func email(_ email: String?) -> String {
        guard let email else { return "(null)" }
        if unmasked { return email }
        let parts = email.split(separator: "@", maxSplits: 1)
        let tld = parts.count == 2 ? (parts[1].split(separator: ".").last.map { "." + $0 } ?? "") : ""
        return "\(email.prefix(1))***@***\(tld)"
    }

    /// Last two digits only: `*****67`.
    public func phone(_ phone: String?) -> String {
        guard let phone else { return "(null)" }
        if unmasked { return phone }
        let digits = phone.filter(\.isNumber)
        return String(repeating: "*", count: max(0, digits.count - 2)) + String(digits.suffix(2))
    }

    /// Masks anything in free text that looks like a kennitala (10 digits, or 6-4 with a hyphen):
    /// error messages from the legacy system quote them.
    public func freeText(_ text: String) -> String {
        if unmasked { return text }
        return Self.kennitalaPattern.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1-****")
    }

    private static let kennitalaPattern = try! NSRegularExpression(
        pattern: "(?<![0-9])([0-9]{6})-?[0-9]{4}(?![0-9])")
}
