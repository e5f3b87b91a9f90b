/// The route template of a request to `firestore serve`, for metrics labels and the access log: the
/// shape of the path with every id replaced (`/v1/projects/{project}/databases/{database}/documents/
/// {document}`). Ids are never kept: a document id can be a kennitala, and a label per id would grow
/// without bound.
enum FirestoreRoute {
    static let documents = "/v1/projects/{project}/databases/{database}/documents"
    static let emulatorDocuments = "/emulator/v1/projects/{project}/databases/{database}/documents"
    /// A path this server does not serve (answered 404).
    static let unserved = "{unserved}"

    /// Firestore's custom methods (`…/documents:commit`, `…/documents/{collection}:runQuery`); another
    /// name after a colon is `:{method}`.
    static let methods: Set<Substring> = [
        "commit", "batchGet", "runQuery", "runAggregationQuery", "listCollectionIds", "beginTransaction",
        "rollback", "batchWrite", "partitionQuery", "listen", "write",
    ]

    /// Paths served outside a database, kept as they are.
    static let fixed: Set<String> = [
        "/oauth2/token", "/computeMetadata/v1/instance/service-accounts/default/token",
        "/computeMetadata/v1/project/project-id",
    ]

    /// `path` decoded as the responder decodes it.
    static func template(path encoded: String) -> String {
        let path = encoded.removingPercentEncoding ?? encoded
        if fixed.contains(path) { return path }
        if path.hasPrefix("/computeMetadata/v1/") { return "/computeMetadata/v1/{other}" }
        guard let target = RequestTarget(path: path) else { return unserved }
        if target.isEmulatorAdmin { return emulatorDocuments + (target.rest.isEmpty ? "" : "/{other}") }
        var rest = Substring(target.rest)
        var method = ""
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let name = rest[rest.index(after: colon)...]
            method = methods.contains(name) ? ":\(name)" : ":{method}"
            rest = rest[..<colon]
        }
        let segments = rest.split(separator: "/").count
        // Collections and documents alternate: an odd count ends at a collection.
        let resource = segments == 0 ? "" : segments % 2 == 1 ? "/{collection}" : "/{document}"
        return documents + resource + method
    }
}
