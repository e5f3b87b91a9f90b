/// A document's fields as leaf paths (`profile.address.city`); arrays and empty maps are leaves.
package struct FlatDocument {
    package var leaves: [String: FirestoreValue] = [:]

    package init(_ fields: [String: FirestoreValue]) { add(fields, prefix: "") }

    private mutating func add(_ fields: [String: FirestoreValue], prefix: String) {
        for (key, value) in fields {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if case .map(let inner) = value, !inner.isEmpty {
                add(inner, prefix: path)
            } else {
                leaves[path] = value
            }
        }
    }
}
