import Firestore
import LegacySync

/// How a document value appears in a report: personal data (kennitala, names, e-mail, phone,
/// birthday, addresses, memberships) masked unless unmasking was asked for; flags, enums, states
/// and times shown as they are.
package struct FieldValueDisplay: Sendable {
    package let masker: Masker
    package let memberTag: MemberTag

    package init(masker: Masker, memberTag: MemberTag) {
        self.masker = masker
        self.memberTag = memberTag
    }

    /// A member as the report names it: masked with its tag (`MemberTag`), or unmasked.
    package func member(_ kennitala: String) -> String { memberTag.display(kennitala, masker: masker) }

    /// Paths whose values carry no personal data.
    private static let plain: [FieldPattern] = [
        "profile.gender", "profile.housingSituation", "profile.housing_situation", "profile.reachable",
        "profile.groupable",
        "privacy", "membership.status", "membership.joined", "membership.date_joined", "metadata", "django_roles",
    ].map(FieldPattern.init)

    package func text(_ value: FirestoreValue?, path: String) -> String {
        guard let value else { return "(absent)" }
        if masker.unmasked || Self.plain.contains(where: { $0.covers(path) }) { return Self.plainText(value) }
        switch value {
        case .null: return "null"
        case .string(let text):
            if text.isEmpty { return "\"\"" }
            if path.hasSuffix("kennitala") { return member(text) }
            if path.hasSuffix("name") { return masker.name(text) }
            if path.hasSuffix("email") { return masker.email(text) }
            if path.hasSuffix("phone") { return masker.phone(text) }
            if path.hasSuffix("birthday") { return String(text.prefix(4)) + "-**-**" }
            return "‹text, \(text.count) characters›"
        case .array(let values): return "‹list of \(values.count)›"
        case .map(let fields): return "‹map of \(fields.count)›"
        default: return "‹\(value.kindName)›"
        }
    }

    static func plainText(_ value: FirestoreValue) -> String {
        switch value {
        case .null: "null"
        case .boolean(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .timestamp(let time): time.iso8601
        case .string(let text): "\"\(text)\""
        default: value.json.canonicalText
        }
    }
}
