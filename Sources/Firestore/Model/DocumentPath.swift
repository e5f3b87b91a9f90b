/// Paths relative to a database's `documents` root: a document is `collection/id[/collection/id…]`,
/// a collection `collection[/id/collection…]` (FIRESTORE.md §1 limits apply to every id).
///
/// A value names a document in a top-level collection, typed so that code building one says which
/// collection it means; `description` is the wire string. The static functions check and split paths
/// that arrive as text.
public struct DocumentPath: Hashable, Sendable, CustomStringConvertible {
    package let collection: CollectionName
    package let id: String

    package init(collection: CollectionName, id: String) {
        self.collection = collection
        self.id = id
    }

    /// `members/0101302989`.
    public var description: String { "\(collection.rawValue)/\(id)" }

    /// Checks a document path: an even number of valid segments.
    public static func validateDocument(_ path: String) throws {
        let segments = try validSegments(path)
        guard segments.count % 2 == 0 else {
            throw FirestoreError.invalidArgument("'\(path)' is a collection path, not a document path", document: path)
        }
    }

    /// Checks a collection path: an odd number of valid segments.
    public static func validateCollection(_ path: String) throws {
        let segments = try validSegments(path)
        guard segments.count % 2 == 1 else {
            throw FirestoreError.invalidArgument("'\(path)' is a document path, not a collection path")
        }
    }

    static func validSegments(_ path: String) throws -> [Substring] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            if segment.isEmpty { throw FirestoreError.invalidArgument("'\(path)' has an empty segment") }
            if segment == "." || segment == ".." {
                throw FirestoreError.invalidArgument("'\(path)': '\(segment)' is not a valid id")
            }
            if segment.utf8.count > 1_500 {
                throw FirestoreError.invalidArgument("'\(path)': an id is longer than 1,500 bytes")
            }
            if segment.hasPrefix("__") && segment.hasSuffix("__") && segment.count >= 4 {
                throw FirestoreError.invalidArgument("'\(path)': ids matching __.*__ are reserved")
            }
        }
        return segments
    }

    /// The collection a document lives in: `members/x` → `members`.
    public static func collection(of document: String) -> String {
        guard let slash = document.lastIndex(of: "/") else { return "" }
        return String(document[..<slash])
    }

    /// The last segment: the document id.
    public static func id(of document: String) -> String {
        guard let slash = document.lastIndex(of: "/") else { return document }
        return String(document[document.index(after: slash)...])
    }
}

/// A project's database: the prefix of every resource name.
public struct DatabaseName: Sendable, Equatable {
    public let project: String
    public let database: String

    public init(project: String, database: String = "(default)") {
        self.project = project
        self.database = database
    }

    /// `projects/p/databases/(default)`.
    public var resourceName: String { "projects/\(project)/databases/\(database)" }

    /// `projects/p/databases/(default)/documents/members/x`.
    public func documentName(_ path: String) -> String { "\(resourceName)/documents/\(path)" }

    /// The relative path of a full document name, or nil when it belongs to another database.
    public func relativePath(of name: String) -> String? {
        let prefix = "\(resourceName)/documents/"
        guard name.hasPrefix(prefix) else { return nil }
        return String(name.dropFirst(prefix.count))
    }
}
