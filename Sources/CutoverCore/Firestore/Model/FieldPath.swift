/// A field path (FIRESTORE.md §1): segments joined by `.`; a segment that is not a simple
/// identifier (`[A-Za-z_][A-Za-z0-9_]*`) is quoted with backticks, `` ` `` and `\` escaped by `\`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, Comparable {
    public let segments: [String]

    public init(_ segments: [String]) { self.segments = segments }

    /// A path from dotted text: `profile.address.street`, ``a.`b.c`.d``.
    public init(parsing text: String) throws {
        var segments: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\\" {
                    guard let escaped = iterator.next() else { throw FirestoreError.invalidArgument("field path '\(text)' ends in an escape") }
                    current.append(escaped)
                } else if character == "`" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "`" {
                guard current.isEmpty else { throw FirestoreError.invalidArgument("field path '\(text)' has a backtick inside a segment") }
                quoted = true
                wasQuoted = true
            } else if character == "." {
                guard !current.isEmpty || wasQuoted else { throw FirestoreError.invalidArgument("field path '\(text)' has an empty segment") }
                segments.append(current)
                current = ""
                wasQuoted = false
            } else {
                guard !wasQuoted else { throw FirestoreError.invalidArgument("field path '\(text)' has text after a quoted segment") }
                current.append(character)
            }
        }
        guard !quoted else { throw FirestoreError.invalidArgument("field path '\(text)' has an unclosed backtick") }
        guard !current.isEmpty || wasQuoted else { throw FirestoreError.invalidArgument("field path '\(text)' has an empty segment") }
        segments.append(current)
        self.segments = segments
    }

    public static let documentName = FieldPath(["__name__"])

    public var description: String { segments.map(Self.quoted).joined(separator: ".") }

    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.description < rhs.description }

    /// Is `self` a prefix of (or equal to) `other`?
    public func isPrefix(of other: FieldPath) -> Bool {
        segments.count <= other.segments.count && zip(segments, other.segments).allSatisfy(==)
    }

    static func quoted(_ segment: String) -> String {
        if isSimple(segment) { return segment }
        var out = "`"
        for character in segment {
            if character == "`" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "`"
    }

    static func isSimple(_ segment: String) -> Bool {
        guard let first = segment.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return segment.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
