import CutoverSupport

/// A store that reads through to another and keeps its own writes in memory: a dry run of code that
/// writes (the nightly run's model) sees its own writes, with the same commit semantics
/// (`WriteApplier`: preconditions, masks, server times), and the store underneath never changes.
public actor OverlayDocumentStore: DocumentStore {
    public nonisolated let base: any DocumentStore
    public nonisolated var label: String { "\(base.label) (dry run: writes kept in memory)" }
    public nonisolated var database: DatabaseName { base.database }
    /// path → the document as written here, or nil where it was deleted here.
    private var written: [String: FirestoreDocument?] = [:]
    /// After `reset`, the base's documents are gone as far as this store is concerned.
    private var baseHidden = false
    private let clock: @Sendable () -> Timestamp

    public init(over base: any DocumentStore, clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }) {
        self.base = base
        self.clock = clock
    }

    /// Paths written (or deleted) here, in order: what the dry run would have changed.
    public var changedPaths: [String] { written.keys.sorted() }

    public func getDocument(_ path: String) async throws -> FirestoreDocument? {
        if let mine = written[path] { return mine }
        return baseHidden ? nil : try await base.getDocument(path)
    }

    public func batchGet(_ paths: [String]) async throws -> [String: FirestoreDocument] {
        var found = baseHidden ? [:] : try await base.batchGet(paths.filter { written[$0] == nil })
        for path in paths { if let mine = written[path] { found[path] = mine } }
        return found
    }

    public func listDocuments(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentPage {
        guard touches(collection) else {
            return try await base.listDocuments(collection: collection, pageSize: pageSize, pageToken: pageToken)
        }
        // This collection has writes here: the merged listing is paged here, the path being the token.
        let after = pageToken ?? ""
        let merged = try await everyDocument(in: collection).filter { $0.path > after }
        let page = Array(merged.prefix(max(1, pageSize)))
        return DocumentPage(documents: page, nextPageToken: merged.count > page.count ? page.last?.path : nil)
    }

    public func runQuery(_ query: StructuredQuery, parent: String) async throws -> [FirestoreDocument] {
        let collection = parent.isEmpty ? query.collectionID : "\(parent)/\(query.collectionID)"
        guard touches(collection) else { return try await base.runQuery(query, parent: parent) }
        return query.evaluate(try await everyDocument(in: collection), database: database)
    }

    public func commit(_ writes: [FirestoreWrite]) async throws -> CommitResult {
        // WriteApplier reads synchronously: fetch what it will read first.
        var current: [String: FirestoreDocument?] = [:]
        let unread = Set(writes.map(\.documentPath)).filter { written[$0] == nil }
        let fetched = baseHidden ? [:] : try await base.batchGet(Array(unread))
        for path in unread { current[path] = .some(fetched[path]) }
        for (path, mine) in written { current[path] = .some(mine) }
        let commitTime = clock()
        let outcome = try WriteApplier(database: database).apply(writes, commitTime: commitTime) { current[$0] ?? nil }
        for (path, document) in outcome.changes { written[path] = .some(document) }
        return CommitResult(writeResults: outcome.results, commitTime: commitTime)
    }

    /// Deletes every document, here: the base is hidden, not emptied.
    public func reset() {
        written.removeAll()
        baseHidden = true
    }

    private func touches(_ collection: String) -> Bool {
        baseHidden || written.keys.contains { DocumentPath.collection(of: $0) == collection }
    }

    /// The base's documents of `collection` with this store's writes applied, in path order.
    private func everyDocument(in collection: String) async throws -> [FirestoreDocument] {
        var documents: [String: FirestoreDocument] = [:]
        if !baseHidden { try await base.forEachDocument(in: collection, pageSize: 500) { documents[$0.path] = $0 } }
        for (path, mine) in written where DocumentPath.collection(of: path) == collection { documents[path] = mine }
        return documents.values.sorted { $0.path < $1.path }
    }
}
