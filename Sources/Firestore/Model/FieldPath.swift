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
                    guard let escaped = iterator.next() else {
                        throw FirestoreError.invalidArgument("field path '\(text)' ends in an escape")
                    }
                    current.append(escaped)
                } else if character == "`" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "`" {
                guard current.isEmpty else {
                    throw FirestoreError.invalidArgument("field path '\(text)' has a backtick inside a segment")
                }
                quoted = true
                wasQuoted = true
            } else if character == "." {
                guard !current.isEmpty || wasQuoted else {
                    throw FirestoreError.invalidArgument("field path '\(text)' has an empty segment")
                }
                segments.append(current)
                current = ""
                wasQuoted = false
            } else {
                guard !wasQuoted else {
                    throw FirestoreError.invalidArgument("field path '\(text)' has text after a quoted segment")
                }
                current.append(character)
            }
        }
        guard !quoted else { throw FirestoreError.invalidArgument("field path '\(text)' has an unclosed backtick") }
        guard !current.isEmpty || wasQuoted else {
            throw FirestoreError.invalidArgument("field path '\(text)' has an empty segment")
        }
        segments.append(current)
        self.segments = segments
    }

    public static let documentName = FieldPath(["__name__"])

    public var description: String { segments.map(Self.quoted).joined(separator: ".") }

    /// Segment by segment, each by its UTF-8 bytes: a stable order for masks, without building text.
    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool {
        for (left, right) in zip(lhs.segments, rhs.segments) where left != right {
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return lhs.segments.count < rhs.segments.count
    }

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

    /// `[A-Za-z_][A-Za-z0-9_]*`, checked on bytes (this runs for every masked field of every write).
    static func isSimple(_ segment: String) -> Bool {
        func letter(_ byte: UInt8) -> Bool {
            byte == 0x5F || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard let first = segment.utf8.first, letter(first) else { return false }
        return segment.utf8.allSatisfy { letter($0) || (0x30...0x39).contains($0) }
    }
}
