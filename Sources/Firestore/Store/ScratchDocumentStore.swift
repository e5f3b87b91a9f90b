import CutoverSupport

/// A document store in memory, with a server clock the caller sets: what replays run each path's
/// model on (one member's documents at a time) and what unit tests use instead of a file.
/// Same commit semantics as the other stores (`WriteApplier`).
public actor ScratchDocumentStore: DocumentStore {
    public nonisolated let database: DatabaseName
    public nonisolated var label: String { "scratch (in memory)" }
    private var documents: [String: FirestoreDocument]
    private var serverTime: Timestamp
    /// Every leaf field a successful commit wrote, with the kind of value written (server times as
    /// timestamps): which fields a path writes, for reports of consumer impact.
    public private(set) var writtenFields: [String: String] = [:]

    public init(
        documents: [FirestoreDocument] = [], serverTime: Timestamp,
        database: DatabaseName = DatabaseName(project: "replay")
    ) {
        self.database = database
        self.serverTime = serverTime
        self.documents = Dictionary(documents.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The time the next commits are stamped with.
    public func setServerTime(_ time: Timestamp) { serverTime = time }

    /// Every document, in path order.
    public func allDocuments() -> [FirestoreDocument] { documents.values.sorted { $0.path < $1.path } }

    public func getDocument(_ path: String) throws -> FirestoreDocument? {
        try DocumentPath.validateDocument(path)
        return documents[path]
    }

    public func listDocuments(collection: String, pageSize: Int, pageToken: String?) throws -> DocumentPage {
        try DocumentPath.validateCollection(collection)
        let after = pageToken ?? ""
        let inCollection = documents.values.filter { $0.collection == collection && $0.path > after }
            .sorted { $0.path < $1.path }
        let page = Array(inCollection.prefix(max(1, pageSize)))
        return DocumentPage(documents: page, nextPageToken: inCollection.count > page.count ? page.last?.path : nil)
    }

    public func batchGet(_ paths: [String]) throws -> [String: FirestoreDocument] {
        var found: [String: FirestoreDocument] = [:]
        for path in paths { if let document = documents[path] { found[path] = document } }
        return found
    }

    public func runQuery(_ query: StructuredQuery, parent: String) throws -> [FirestoreDocument] {
        let collection = parent.isEmpty ? query.collectionID : "\(parent)/\(query.collectionID)"
        return query.evaluate(documents.values.filter { $0.collection == collection }, database: database)
    }

    public func commit(_ writes: [FirestoreWrite]) throws -> CommitResult {
        let outcome = try WriteApplier(database: database).apply(writes, commitTime: serverTime) { documents[$0] }
        for (path, document) in outcome.changes { documents[path] = document }
        for write in writes { recordFields(of: write) }
        return CommitResult(writeResults: outcome.results, commitTime: serverTime)
    }

    public func reset() { documents.removeAll() }

    private func recordFields(of write: FirestoreWrite) {
        guard case .update(let incoming) = write.operation else { return }
        let leaves = FlatDocument(incoming.fields).leaves
        if let mask = write.updateMask {
            // A masked field is a leaf of the incoming fields, or an ancestor of some (a whole map).
            let masked = Set(mask.map { $0.segments.joined(separator: ".") })
            for (path, value) in leaves {
                var prefix = Substring(path)
                while !masked.contains(String(prefix)) {
                    guard let dot = prefix.lastIndex(of: ".") else { break }
                    prefix = prefix[..<dot]
                }
                if masked.contains(String(prefix)) { writtenFields[path] = value.kindName }
            }
        } else {
            for (path, value) in leaves { writtenFields[path] = value.kindName }
        }
        for field in write.serverTimeFields { writtenFields[field.segments.joined(separator: ".")] = "timestampValue" }
    }
}
