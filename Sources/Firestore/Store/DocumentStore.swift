/// A Firestore database, real or embedded: everything the toolkit reads and writes goes through this.
/// Three implementations pass one behaviour suite: `FirestoreRESTClient` (production, the emulator, or
/// `cutover firestore serve`), `EmbeddedDocumentStore` (SQLite) and `OverlayDocumentStore` (a dry run's
/// writes in memory over another store). `ScratchDocumentStore` holds a replay's documents in memory.
public protocol DocumentStore: Sendable {
    /// Where it points, with nothing secret in it.
    var label: String { get }
    var database: DatabaseName { get }

    /// The document, or nil when it does not exist.
    func getDocument(_ path: String) async throws -> FirestoreDocument?
    /// One page of a collection in name order; `nextPageToken` is nil on the last page.
    func listDocuments(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentPage
    /// One page of a collection in name order, each document's fields as canonical REST JSON text.
    func listDocumentTexts(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentTextPage
    /// Several documents at once; missing ones are absent from the result.
    func batchGet(_ paths: [String]) async throws -> [String: FirestoreDocument]
    /// Runs a query over `parent`'s collection `query.collectionID` (`parent` "" is the root).
    func runQuery(_ query: StructuredQuery, parent: String) async throws -> [FirestoreDocument]
    /// Applies writes atomically and in order.
    func commit(_ writes: [FirestoreWrite]) async throws -> CommitResult
    /// Several commits in order, each atomic with its own commit time: bulk loading (the demo seeder).
    /// When one fails, those before it may or may not have been applied.
    func commitEach(_ batches: [[FirestoreWrite]]) async throws -> [CommitResult]
    /// Deletes every document (the emulator's reset).
    func reset() async throws
}

public struct DocumentPage: Sendable, Equatable {
    public var documents: [FirestoreDocument]
    public var nextPageToken: String?

    public init(documents: [FirestoreDocument], nextPageToken: String?) {
        self.documents = documents
        self.nextPageToken = nextPageToken
    }
}

extension DocumentStore {
    /// Every document of a collection, page by page (memory holds one page at a time).
    public func forEachDocument(
        in collection: String, pageSize: Int = 300, _ body: (FirestoreDocument) async throws -> Void
    ) async throws {
        try await forEachPage(body) { token in
            let page = try await listDocuments(collection: collection, pageSize: pageSize, pageToken: token)
            return (page.documents, page.nextPageToken)
        }
    }

    /// Deletes every document of a collection in batched commits; returns how many.
    @discardableResult
    public func deleteAll(in collection: String) async throws -> Int {
        var paths: [String] = []
        try await forEachDocument(in: collection, pageSize: 500) { paths.append($0.path) }
        for start in stride(from: 0, to: paths.count, by: 400) {
            _ = try await commit(paths[start..<min(start + 400, paths.count)].map { .delete($0) })
        }
        return paths.count
    }

    /// Decodes and re-encodes: what a remote store, which answers in JSON of its own layout, can do.
    public func listDocumentTexts(
        collection: String, pageSize: Int, pageToken: String?
    ) async throws -> DocumentTextPage {
        let page = try await listDocuments(collection: collection, pageSize: pageSize, pageToken: pageToken)
        return DocumentTextPage(documents: page.documents.map(DocumentText.init), nextPageToken: page.nextPageToken)
    }

    /// Every document of a collection as text, page by page (memory holds one page at a time).
    public func forEachDocumentText(
        in collection: String, pageSize: Int, _ body: (DocumentText) async throws -> Void
    ) async throws {
        try await forEachPage(body) { token in
            let page = try await listDocumentTexts(collection: collection, pageSize: pageSize, pageToken: token)
            return (page.documents, page.nextPageToken)
        }
    }

    /// Follows page tokens until a page comes without one (an empty token counts as none).
    private func forEachPage<Item>(
        _ body: (Item) async throws -> Void,
        _ fetch: (_ token: String?) async throws -> ([Item], next: String?)
    ) async throws {
        var token: String?
        repeat {
            let (items, next) = try await fetch(token)
            for item in items { try await body(item) }
            token = next.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
    }

    /// One request per commit: what a remote store can do.
    public func commitEach(_ batches: [[FirestoreWrite]]) async throws -> [CommitResult] {
        var results: [CommitResult] = []
        for writes in batches { results.append(try await commit(writes)) }
        return results
    }

    @discardableResult
    public func delete(_ path: String, mustExist: Bool = false) async throws -> CommitResult {
        try await commit([.delete(path, precondition: mustExist ? .exists(true) : nil)])
    }
}
