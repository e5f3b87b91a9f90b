/// The writes the toolkit makes, addressed by a typed document path.
extension FirestoreWrite {
    /// Replace (or create) the whole document: Python's `set(data)`.
    package static func set(
        _ path: DocumentPath, _ fields: [String: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        set(path.description, fields, serverTime: serverTime)
    }

    /// Python's `update({path: value})`: sets each path, fails with NOT_FOUND when the document is missing.
    package static func update(
        _ path: DocumentPath, _ values: [FieldPath: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        update(path.description, values, serverTime: serverTime)
    }

    /// Python's `set(data, merge=True)`: other fields survive.
    package static func merge(
        _ path: DocumentPath, _ fields: [String: FirestoreValue], serverTime: [FieldPath] = []
    ) -> FirestoreWrite {
        merge(path.description, fields, serverTime: serverTime)
    }
}
