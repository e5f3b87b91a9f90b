/// A field path pattern in a rules file: dotted segments, `*` standing for any one segment. A pattern
/// covers the paths it matches and everything under them (`profile.address` covers
/// `profile.address.city`).
public struct FieldPattern: Sendable, Hashable, CustomStringConvertible {
    public let segments: [Substring]
    public let description: String

    public init(_ text: String) {
        description = text
        segments = text.split(separator: ".", omittingEmptySubsequences: false)
    }

    public var isValidSyntax: Bool { !segments.isEmpty && segments.allSatisfy { !$0.isEmpty } }

    public func covers(_ path: String) -> Bool {
        var index = 0
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if index == segments.count { return true }
            guard segments[index] == "*" || segments[index] == part else { return false }
            index += 1
        }
        return index == segments.count
    }
}
