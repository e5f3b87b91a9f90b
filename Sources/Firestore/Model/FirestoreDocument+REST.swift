import CutoverSupport

/// Documents in Firestore's REST JSON: `{"name", "fields", "createTime", "updateTime"}`.
extension FirestoreDocument {
    public func restJSON(in database: DatabaseName) -> JSONValue {
        var object: [String: JSONValue] = ["name": .string(database.documentName(path))]
        // proto3 JSON omits empty fields: a fieldless document has no `fields` key.
        if !fields.isEmpty { object["fields"] = FirestoreValue.restFields(fields) }
        if let createTime { object["createTime"] = .string(createTime.iso8601) }
        if let updateTime { object["updateTime"] = .string(updateTime.iso8601) }
        return .object(object)
    }

    /// Decodes a document; errors name the document and the field.
    public init(restJSON json: JSONValue, in database: DatabaseName) throws {
        guard case .object(let object) = json else {
            throw FirestoreError(.malformedResponse, "a document must be a JSON object")
        }
        guard case .string(let name)? = object["name"] else {
            throw FirestoreError(.malformedResponse, "a document has no name")
        }
        guard let path = database.relativePath(of: name) else {
            throw FirestoreError(.malformedResponse, "document name '\(name)' is not in \(database.resourceName)")
        }
        let fields =
            try object["fields"].map { try FirestoreValue.decodeFields($0, context: "document \(path) field") } ?? [:]
        func time(_ key: String) throws -> Timestamp? {
            guard let value = object[key] else { return nil }
            guard case .string(let text) = value, let time = Timestamp(parsing: text) else {
                throw FirestoreError(.malformedResponse, "document \(path): \(key) is not an RFC 3339 time")
            }
            return time
        }
        self.init(path: path, fields: fields, createTime: try time("createTime"), updateTime: try time("updateTime"))
    }
}

extension FirestoreDocument {
    /// A document as the embedded store and snapshots keep it: fields as canonical REST JSON text,
    /// times as microseconds or RFC 3339 text.
    package init(
        storedPath path: String, fieldsJSON: String, createTime: Timestamp?, updateTime: Timestamp?, context: String
    ) throws {
        let fields = try FirestoreValue.decodeFields(
            try JSONValue(parsing: fieldsJSON), context: "\(context) \(path) field")
        self.init(path: path, fields: fields, createTime: createTime, updateTime: updateTime)
    }
}
