/// The store's calls with typed names: the protocol keeps the wire strings every store implements,
/// and code that names a collection or builds a document path passes the typed value.
extension DocumentStore {
    /// The document, or nil when it does not exist.
    package func getDocument(_ path: DocumentPath) async throws -> FirestoreDocument? {
        try await getDocument(path.description)
    }

    /// Several documents at once, keyed by their wire path (`DocumentPath.description`).
    package func batchGet(_ paths: [DocumentPath]) async throws -> [String: FirestoreDocument] {
        try await batchGet(paths.map(\.description))
    }

    /// One page of a top-level collection in name order.
    package func listDocuments(
        collection: CollectionName, pageSize: Int, pageToken: String?
    ) async throws -> DocumentPage {
        try await listDocuments(collection: collection.rawValue, pageSize: pageSize, pageToken: pageToken)
    }
}
