/// A field path pattern in a rules file: dotted segments, `*` standing for any one segment. A pattern
/// covers the paths it matches and everything under them (`profile.address` covers
/// `profile.address.city`).
public struct FieldPattern: Sendable, Hashable, CustomStringConvertible {
    public let segments: [Substring]
    public let description: String
    private let hasWildcard: Bool

    public init(_ text: String) {
        description = text
        segments = text.split(separator: ".", omittingEmptySubsequences: false)
        hasWildcard = segments.contains("*")
    }

    public var isValidSyntax: Bool { !segments.isEmpty && segments.allSatisfy { !$0.isEmpty } }

    public func covers(_ path: String) -> Bool {
        if !hasWildcard { return Self.isSameOrAncestor(description, of: path) }
        var index = 0
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if index == segments.count { return true }
            guard segments[index] == "*" || segments[index] == part else { return false }
            index += 1
        }
        return index == segments.count
    }

    /// `prefix` equals `path` or is one of its ancestors (`profile` of `profile.name`), on bytes.
    public static func isSameOrAncestor(_ prefix: String, of path: String) -> Bool {
        let (pattern, text) = (prefix.utf8, path.utf8)
        guard text.starts(with: pattern) else { return false }
        return text.count == pattern.count
            || text[text.index(text.startIndex, offsetBy: pattern.count)] == UInt8(ascii: ".")
    }
}
