import CutoverSupport

/// Writes and commit results in Firestore's REST JSON (FIRESTORE.md §2 `Write`, commit response).
extension FirestoreWrite {
    public func restJSON(in database: DatabaseName) -> JSONValue {
        var object: [String: JSONValue] = [:]
        switch operation {
        case .update(let document):
            object["update"] = document.restJSON(in: database)
            if let updateMask {
                object["updateMask"] = ["fieldPaths": .array(updateMask.map { .string($0.description) })]
            }
            if !serverTimeFields.isEmpty {
                object["updateTransforms"] = .array(
                    serverTimeFields.sorted().map {
                        ["fieldPath": .string($0.description), "setToServerValue": "REQUEST_TIME"]
                    })
            }
        case .delete(let path):
            object["delete"] = .string(database.documentName(path))
        }
        switch precondition {
        case .exists(let exists)?: object["currentDocument"] = ["exists": .bool(exists)]
        case .updateTime(let time)?: object["currentDocument"] = ["updateTime": .string(time.iso8601)]
        case nil: break
        }
        return .object(object)
    }

    /// Decodes a write as a client sent it. Transforms other than REQUEST_TIME are refused.
    public init(restJSON json: JSONValue, in database: DatabaseName) throws {
        guard case .object(let object) = json else { throw FirestoreError.invalidArgument("a write must be an object") }
        func path(_ name: JSONValue?) throws -> String {
            guard case .string(let text)? = name, let path = database.relativePath(of: text) else {
                throw FirestoreError.invalidArgument("write names no document of \(database.resourceName)")
            }
            return path
        }
        func serverTimes(_ transforms: JSONValue?) throws -> [FieldPath] {
            guard let transforms else { return [] }
            guard case .array(let list) = transforms else {
                throw FirestoreError.invalidArgument("transforms must be an array")
            }
            return try list.map { transform in
                guard case .string(let field)? = transform["fieldPath"] else {
                    throw FirestoreError.invalidArgument("a field transform has no fieldPath")
                }
                guard transform["setToServerValue"] == .string("REQUEST_TIME") else {
                    throw FirestoreError.invalidArgument(
                        "transform on '\(field)' is not supported here (only setToServerValue: REQUEST_TIME)")
                }
                return try FieldPath(parsing: field)
            }
        }
        var precondition: Precondition?
        if case .object(let current)? = object["currentDocument"] {
            if case .bool(let exists)? = current["exists"] {
                precondition = .exists(exists)
            } else if case .string(let text)? = current["updateTime"] {
                guard let time = Timestamp(parsing: text) else {
                    throw FirestoreError.invalidArgument("bad updateTime precondition")
                }
                precondition = .updateTime(time)
            }
        }
        if let update = object["update"] {
            let document = try FirestoreDocument(restJSON: update, in: database)
            var mask: [FieldPath]?
            if case .object(let maskObject)? = object["updateMask"] {
                guard case .array(let paths)? = maskObject["fieldPaths"] ?? .array([]) else {
                    throw FirestoreError.invalidArgument("updateMask.fieldPaths must be an array")
                }
                mask = try paths.map {
                    guard case .string(let text) = $0 else {
                        throw FirestoreError.invalidArgument("a mask path must be a string")
                    }
                    return try FieldPath(parsing: text)
                }
            }
            self.init(
                operation: .update(document), updateMask: mask,
                serverTimeFields: try serverTimes(object["updateTransforms"]),
                precondition: precondition)
        } else if let delete = object["delete"] {
            self.init(operation: .delete(try path(delete)), precondition: precondition)
        } else if case .object(let transform)? = object["transform"] {
            // Before google-cloud-firestore 2.0 transforms were a separate write: an empty-mask update.
            self.init(
                operation: .update(FirestoreDocument(path: try path(transform["document"]))), updateMask: [],
                serverTimeFields: try serverTimes(transform["fieldTransforms"]), precondition: precondition)
        } else {
            throw FirestoreError.invalidArgument("a write needs update, delete or transform")
        }
    }
}

extension CommitResult {
    public var restJSON: JSONValue {
        [
            "writeResults": .array(
                writeResults.map { result in
                    var object: [String: JSONValue] = [:]
                    if let time = result.updateTime { object["updateTime"] = .string(time.iso8601) }
                    if !result.transformResults.isEmpty {
                        object["transformResults"] = .array(result.transformResults.map(\.restJSON))
                    }
                    return .object(object)
                }),
            "commitTime": .string(commitTime.iso8601),
        ]
    }

    public init(restJSON json: JSONValue) throws {
        guard case .string(let text)? = json["commitTime"], let commitTime = Timestamp(parsing: text) else {
            throw FirestoreError(.malformedResponse, "commit response has no commitTime")
        }
        let results = json["writeResults"] ?? .array([])
        guard case .array(let list) = results else {
            throw FirestoreError(.malformedResponse, "writeResults must be an array")
        }
        self.init(
            writeResults: try list.map { entry in
                let time: Timestamp? = entry["updateTime"]?.stringValue.flatMap(Timestamp.init(parsing:))
                var transforms: [FirestoreValue] = []
                if case .array(let values)? = entry["transformResults"] {
                    transforms = try values.map { try FirestoreValue(restJSON: $0, context: "transform result") }
                }
                return WriteResult(updateTime: time, transformResults: transforms)
            },
            commitTime: commitTime)
    }
}
