import CutoverSupport

/// Firestore's commit semantics, as pure logic: writes apply in order, each seeing the ones before
/// it; preconditions, masks, server-time transforms, create and update times; the first failing
/// write fails the whole commit (nothing is applied).
struct WriteApplier {
    let database: DatabaseName

    struct Outcome {
        var results: [CommitResult.WriteResult] = []
        /// Final state per touched path: a document, or nil for deleted.
        var changes: [String: FirestoreDocument?] = [:]
    }

    func apply(
        _ writes: [FirestoreWrite], commitTime: Timestamp, load: (String) throws -> FirestoreDocument?
    ) throws -> Outcome {
        var outcome = Outcome()
        // REQUEST_TIME has millisecond precision (write.proto), where commit and update times have
        // microseconds: Google's emulator answers `…:31.181Z` in a commit at `…:31.183288Z`.
        let requestTime = Timestamp(
            microseconds: commitTime.microseconds - ((commitTime.microseconds % 1_000) + 1_000) % 1_000)
        func current(_ path: String) throws -> FirestoreDocument? {
            if let changed = outcome.changes[path] { return changed }
            return try load(path)
        }
        for write in writes {
            let path = write.documentPath
            try DocumentPath.validateDocument(path)
            let existing = try current(path)
            try check(write.precondition, existing: existing, path: path)
            switch write.operation {
            case .delete:
                outcome.changes[path] = .some(nil)
                outcome.results.append(.init(updateTime: nil, transformResults: []))
            case .update(let incoming):
                var fields: [String: FirestoreValue]
                if let mask = write.updateMask {
                    var working = FirestoreDocument(path: path, fields: existing?.fields ?? [:])
                    for field in mask {
                        if let value = incoming.value(at: field) {
                            working.setValue(value, at: field)
                        } else {
                            working.removeValue(at: field)  // masked but absent: deleted
                        }
                    }
                    fields = working.fields
                } else {
                    fields = incoming.fields
                }
                var document = FirestoreDocument(path: path, fields: fields)
                for field in write.serverTimeFields { document.setValue(.timestamp(requestTime), at: field) }
                try document.validateLimits()
                if let existing, existing.fields == document.fields {
                    // An unchanged document keeps its update time.
                    document.createTime = existing.createTime
                    document.updateTime = existing.updateTime
                } else {
                    document.createTime = existing?.createTime ?? commitTime
                    document.updateTime = commitTime
                }
                outcome.changes[path] = .some(document)
                outcome.results.append(
                    .init(
                        updateTime: document.updateTime,
                        transformResults: write.serverTimeFields.map { _ in .timestamp(requestTime) }))
            }
        }
        return outcome
    }

    private func check(_ precondition: FirestoreWrite.Precondition?, existing: FirestoreDocument?, path: String) throws
    {
        switch precondition {
        case nil: return
        case .exists(true) where existing == nil:
            throw FirestoreError(.notFound, "No document to update: \(database.documentName(path))", document: path)
        case .exists(false) where existing != nil:
            throw FirestoreError(
                .alreadyExists, "Document already exists: \(database.documentName(path))", document: path)
        case .updateTime(let required):
            let stored = existing?.updateTime?.microseconds ?? 0
            if stored != required.microseconds {
                throw FirestoreError(
                    .failedPrecondition,
                    "the stored version (\(stored)) does not match the required base version "
                        + "(\(required.microseconds))",
                    document: path)
            }
        default: return
        }
    }
}
