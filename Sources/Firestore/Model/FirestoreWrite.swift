import CutoverSupport

/// One write of a commit (FIRESTORE.md §2 `Write`): an update (with an optional mask) or a delete,
/// server-time transforms applied after it, and an optional precondition.
public struct FirestoreWrite: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        case update(FirestoreDocument)
        case delete(String)
    }

    public enum Precondition: Sendable, Equatable {
        case exists(Bool)
        /// The document must exist with exactly this update time.
        case updateTime(Timestamp)
    }

    public var operation: Operation
    /// nil replaces the whole document; otherwise only these paths change (a masked path absent
    /// from the fields is deleted).
    public var updateMask: [FieldPath]?
    /// Fields set to the commit time (`setToServerValue: REQUEST_TIME`) after the update.
    public var serverTimeFields: [FieldPath]
    public var precondition: Precondition?

    public init(
        operation: Operation, updateMask: [FieldPath]? = nil, serverTimeFields: [FieldPath] = [],
        precondition: Precondition? = nil
    ) {
        self.operation = operation
        self.updateMask = updateMask
        self.serverTimeFields = serverTimeFields
        self.precondition = precondition
    }

    public var documentPath: String {
        switch operation {
        case .update(let document): document.path
        case .delete(let path): path
        }
    }

    /// Replace (or create) the whole document: Python's `set(data)`.
    public static func set(
        _ path: String, _ fields: [String: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        FirestoreWrite(operation: .update(FirestoreDocument(path: path, fields: fields)), serverTimeFields: serverTime)
    }

    /// Create only: fails with ALREADY_EXISTS when the document is there.
    public static func create(
        _ path: String, _ fields: [String: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        FirestoreWrite(
            operation: .update(FirestoreDocument(path: path, fields: fields)), serverTimeFields: serverTime,
            precondition: .exists(false))
    }

    /// Python's `update({path: value})`: sets each path, fails with NOT_FOUND when the document is missing.
    public static func update(
        _ path: String, _ values: [FieldPath: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        var document = FirestoreDocument(path: path)
        for (field, value) in values { document.setValue(value, at: field) }
        return FirestoreWrite(
            operation: .update(document), updateMask: values.keys.sorted(), serverTimeFields: serverTime,
            precondition: .exists(true))
    }

    /// Python's `set(data, merge=True)`: every leaf path of `fields` is masked, so other fields survive.
    public static func merge(
        _ path: String, _ fields: [String: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        FirestoreWrite(
            operation: .update(FirestoreDocument(path: path, fields: fields)),
            updateMask: leafPaths(fields, prefix: []).sorted(), serverTimeFields: serverTime)
    }

    public static func delete(_ path: String, precondition: Precondition? = nil) -> FirestoreWrite {
        FirestoreWrite(operation: .delete(path), precondition: precondition)
    }

    /// An empty map is a leaf (it sets the map to `{}`).
    static func leafPaths(_ fields: [String: FirestoreValue], prefix: [String]) -> [FieldPath] {
        fields.flatMap { key, value -> [FieldPath] in
            if case .map(let inner) = value, !inner.isEmpty { return leafPaths(inner, prefix: prefix + [key]) }
            return [FieldPath(prefix + [key])]
        }
    }
}

/// What a commit returns: per write its update time (nil after a delete) and transform results.
public struct CommitResult: Sendable, Equatable {
    public struct WriteResult: Sendable, Equatable {
        public var updateTime: Timestamp?
        public var transformResults: [FirestoreValue]
    }

    public var writeResults: [WriteResult]
    public var commitTime: Timestamp
}
