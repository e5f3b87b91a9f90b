import CutoverSupport

/// A document: its path relative to the database's documents root, its fields, and the times the
/// server gave it.
public struct FirestoreDocument: Sendable, Equatable {
    public var path: String
    public var fields: [String: FirestoreValue]
    public var createTime: Timestamp?
    public var updateTime: Timestamp?

    public init(
        path: String, fields: [String: FirestoreValue] = [:], createTime: Timestamp? = nil, updateTime: Timestamp? = nil
    ) {
        self.path = path
        self.fields = fields
        self.createTime = createTime
        self.updateTime = updateTime
    }

    public var id: String { DocumentPath.id(of: path) }
    public var collection: String { DocumentPath.collection(of: path) }

    /// The value at a field path, or nil when any segment is missing.
    public func value(at path: FieldPath) -> FirestoreValue? {
        guard let first = path.segments.first, var current = fields[first] else { return nil }
        for segment in path.segments.dropFirst() {
            guard case .map(let map) = current, let next = map[segment] else { return nil }
            current = next
        }
        return current
    }

    /// Sets a value, creating (or replacing non-map values with) the maps on the way.
    public mutating func setValue(_ value: FirestoreValue, at path: FieldPath) {
        fields = Self.setting(value, at: path.segments[...], in: fields)
    }

    /// Removes the value at a path; absent paths are fine.
    public mutating func removeValue(at path: FieldPath) {
        fields = Self.removing(path.segments[...], from: fields)
    }

    private static func setting(
        _ value: FirestoreValue, at segments: ArraySlice<String>, in map: [String: FirestoreValue]
    )
        -> [String: FirestoreValue]
    {
        var map = map
        let key = segments.first!
        if segments.count == 1 {
            map[key] = value
        } else {
            let inner = map[key]?.mapValue ?? [:]
            map[key] = .map(setting(value, at: segments.dropFirst(), in: inner))
        }
        return map
    }

    private static func removing(
        _ segments: ArraySlice<String>, from map: [String: FirestoreValue]
    ) -> [String: FirestoreValue] {
        var map = map
        let key = segments.first!
        if segments.count == 1 {
            map[key] = nil
        } else if case .map(let inner)? = map[key] {
            map[key] = .map(removing(segments.dropFirst(), from: inner))
        }
        return map
    }
}
