import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import Hummingbird
import HummingbirdCore

/// get, list, batchGet and runQuery, answered as Google's emulator answers them.
extension FirestoreResponder {
    typealias QueryParameters = FlatDictionary<Substring, Substring>

    func get(_ relative: String, store: any DocumentStore, query: QueryParameters) async throws -> Response {
        let database = store.database
        guard let document = try await store.getDocument(relative) else {
            throw FirestoreError(
                .notFound, "Document \"\(database.documentName(relative))\" not found.", document: relative)
        }
        return Self.json(Self.masked(document, paths: Self.mask(query)).restJSON(in: database))
    }

    /// A page of a collection: in name order from the store, or in `orderBy` order through a query.
    /// A full page carries a token even when nothing follows, as the emulator's does.
    func list(_ collection: String, store: any DocumentStore, query: QueryParameters) async throws -> Response {
        let pageSize = max(1, query["pageSize"].flatMap { Int($0) } ?? 300)
        let token = try query["pageToken"].map(String.init).flatMap { $0.isEmpty ? nil : try ListPageToken(text: $0) }
        var documents: [FirestoreDocument] = []
        var next: ListPageToken?
        if let orderBy = query["orderBy"].map(String.init), !orderBy.isEmpty {
            let offset: Int
            switch token {
            case nil: offset = 0
            case .offset(let value)?: offset = value
            default: throw FirestoreError.invalidArgument("the page token belongs to a listing without orderBy")
            }
            let (parent, id) = Self.split(collection)
            let ordered = StructuredQuery(
                collectionID: id, orderBy: try Self.orders(orderBy), offset: offset, limit: pageSize)
            documents = try await store.runQuery(ordered, parent: parent)
            if documents.count == pageSize { next = .offset(offset + pageSize) }
        } else {
            let storeToken: String?
            switch token {
            case nil: storeToken = nil
            case .store(let value)?: storeToken = value
            case .exhausted?: return Self.json(.object([:]))
            case .offset?: throw FirestoreError.invalidArgument("the page token belongs to a listing with orderBy")
            }
            let page = try await store.listDocuments(collection: collection, pageSize: pageSize, pageToken: storeToken)
            documents = page.documents
            next = page.nextPageToken.map(ListPageToken.store) ?? (documents.count == pageSize ? .exhausted : nil)
        }
        var object: [String: JSONValue] = [:]
        if !documents.isEmpty {
            object["documents"] = .array(
                documents.map { Self.masked($0, paths: Self.mask(query)).restJSON(in: store.database) })
        }
        if let next { object["nextPageToken"] = .string(next.text) }
        return Self.json(.object(object))
    }

    func batchGet(_ body: JSONValue, store: any DocumentStore) async throws -> Response {
        let database = store.database
        guard case .array(let names)? = body["documents"] else {
            throw FirestoreError.invalidArgument("documents must be an array")
        }
        let paths = try names.map { name -> String in
            guard let text = name.stringValue, let path = database.relativePath(of: text) else {
                throw FirestoreError.invalidArgument(
                    "'\(name.canonicalText)' is not a document of \(database.resourceName)")
            }
            return path
        }
        var mask: [String] = []
        if case .array(let fields)? = body["mask"]?["fieldPaths"] { mask = fields.compactMap(\.stringValue) }
        let found = try await store.batchGet(paths)
        let readTime = JSONValue.string(clock().iso8601)
        var seen = Set<String>()
        // Duplicates are elided, as Firestore does.
        let messages: [JSONValue] = paths.filter { seen.insert($0).inserted }.map { path in
            if let document = found[path] {
                return ["found": Self.masked(document, paths: mask).restJSON(in: database), "readTime": readTime]
            }
            return ["missing": .string(database.documentName(path)), "readTime": readTime]
        }
        return Self.json(.array(messages))
    }

    /// The stream as the emulator sends it: the first document's element says how many results the
    /// offset skipped (`skippedResults`), the last element says `done`; no results is one element
    /// without a document.
    func runQuery(_ body: JSONValue, parent: String, store: any DocumentStore) async throws -> Response {
        guard let structured = body["structuredQuery"] else {
            throw FirestoreError.invalidArgument("runQuery needs structuredQuery")
        }
        var query = try Self.request { try StructuredQuery(restJSON: structured) }
        // Run without the offset to learn how many results it skips.
        let offset = query.offset ?? 0
        query.offset = nil
        query.limit = query.limit.map { $0 + offset }
        let matched = try await store.runQuery(query, parent: parent)
        let documents = Array(matched.dropFirst(offset))
        let skipped = min(offset, matched.count)
        let readTime = JSONValue.string(clock().iso8601)
        var messages: [[String: JSONValue]] = documents.map {
            ["document": $0.restJSON(in: store.database), "readTime": readTime]
        }
        // An offset past every result is not reported: the emulator says nothing of it then.
        if skipped > 0 && !messages.isEmpty { messages[0]["skippedResults"] = .integer(Int64(skipped)) }
        if messages.isEmpty { messages = [["readTime": readTime]] }
        messages[messages.count - 1]["done"] = true
        return Self.json(.array(messages.map(JSONValue.object)))
    }

    /// The `mask.fieldPaths` of get, list, patch and createDocument.
    static func mask(_ query: QueryParameters) -> [String] { query[values: "mask.fieldPaths"].map(String.init) }

    /// `mask.fieldPaths`: only those fields come back.
    static func masked(_ document: FirestoreDocument, paths: [String]) -> FirestoreDocument {
        guard !paths.isEmpty else { return document }
        var projected = FirestoreDocument(
            path: document.path, createTime: document.createTime, updateTime: document.updateTime)
        for text in paths {
            if let path = try? FieldPath(parsing: text), let value = document.value(at: path) {
                projected.setValue(value, at: path)
            }
        }
        return projected
    }

    /// `list`'s `orderBy`: "priority desc, __name__ desc".
    static func orders(_ text: String) throws -> [StructuredQuery.Order] {
        try text.split(separator: ",").map { clause in
            let words = clause.split(separator: " ")
            guard let field = words.first, words.count <= 2 else {
                throw FirestoreError.invalidArgument("invalid orderBy '\(text)'")
            }
            let direction = words.count == 2 ? words[1].lowercased() : "asc"
            guard direction == "asc" || direction == "desc" else {
                throw FirestoreError.invalidArgument("invalid orderBy '\(text)'")
            }
            return StructuredQuery.Order(try FieldPath(parsing: String(field)), descending: direction == "desc")
        }
    }

    /// `a/b/c` → (`a/b`, `c`); `c` → ("", `c`).
    static func split(_ collection: String) -> (parent: String, id: String) {
        guard let slash = collection.lastIndex(of: "/") else { return ("", collection) }
        return (String(collection[..<slash]), String(collection[collection.index(after: slash)...]))
    }
}
