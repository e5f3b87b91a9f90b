import CutoverSupport
import Foundation
import SQLite

/// A Firestore stand-in in one SQLite file (`embedded:PATH`): the default target for demos and
/// rehearsals, and what `cutover firestore serve` serves. Same semantics as Firestore for everything
/// the toolkit uses: server time, create and update times, preconditions, masks, queries.
///
/// An actor: concurrent requests (the HTTP server) are served one at a time.
public actor EmbeddedDocumentStore: DocumentStore {
    public nonisolated let database: DatabaseName
    public nonisolated let path: String
    private let file: SQLiteDatabase
    private let clock: @Sendable () -> Timestamp
    private var statements: [String: SQLiteStatement] = [:]

    static let schema = """
        CREATE TABLE IF NOT EXISTS documents (
            path TEXT PRIMARY KEY, parent TEXT NOT NULL, fields TEXT NOT NULL,
            create_time INTEGER NOT NULL, update_time INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS documents_by_parent ON documents (parent, path);
        CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """

    /// Opens (creating when missing) the store file. `clock` is the server clock (injectable for tests).
    public init(
        path: String, database: DatabaseName = DatabaseName(project: "demo-cutover"),
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }
    ) throws {
        self.path = path
        self.database = database
        self.clock = clock
        do {
            file = try SQLiteDatabase(path: path, mode: .create)
            try file.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            try file.execute(Self.schema)
        } catch let error as SQLiteError {
            // The operator's embedded:PATH (a directory, a file that is not a database, a missing folder):
            // the store cannot be reached, as a server that is not there cannot — not a bug.
            throw CutoverError(
                .connection, "cannot open the embedded store \(path): \(error.message)",
                nextStep: "embedded:PATH names an SQLite file cutover made, or a new file in an existing directory")
        }
    }

    public nonisolated var label: String { "embedded:\(path)" }

    public func getDocument(_ path: String) throws -> FirestoreDocument? {
        try DocumentPath.validateDocument(path)
        return try sqlite { try load(path) }
    }

    public func listDocuments(collection: String, pageSize: Int, pageToken: String?) throws -> DocumentPage {
        let page = try listDocumentTexts(collection: collection, pageSize: pageSize, pageToken: pageToken)
        return DocumentPage(
            documents: try page.documents.map { text in
                try FirestoreDocument(
                    storedPath: text.path, fieldsJSON: text.fieldsJSON, createTime: text.createTime,
                    updateTime: text.updateTime, context: "document")
            }, nextPageToken: page.nextPageToken)
    }

    /// The stored text as it is: the store writes every document's fields as canonical REST JSON.
    public func listDocumentTexts(collection: String, pageSize: Int, pageToken: String?) throws -> DocumentTextPage {
        try DocumentPath.validateCollection(collection)
        let size = max(1, min(pageSize, 10_000))
        let after = try pageToken.map(Self.decodeToken) ?? ""
        return try sqlite {
            let rows = try file.query(
                "SELECT path, fields, create_time, update_time FROM documents WHERE parent = ? AND path > ? ORDER BY "
                    + "path LIMIT ?",
                [.text(collection), .text(after), .integer(Int64(size + 1))])
            let documents = rows.prefix(size).map { row in
                DocumentText(
                    path: row[0].textValue ?? "", fieldsJSON: row[1].textValue ?? "{}",
                    createTime: row[2].integerValue.map(Timestamp.init(microseconds:)),
                    updateTime: row[3].integerValue.map(Timestamp.init(microseconds:)))
            }
            let next = rows.count > size ? Self.encodeToken(documents.last!.path) : nil
            return DocumentTextPage(documents: documents, nextPageToken: next)
        }
    }

    public func batchGet(_ paths: [String]) throws -> [String: FirestoreDocument] {
        var found: [String: FirestoreDocument] = [:]
        for path in paths {
            try DocumentPath.validateDocument(path)
            if let document = try sqlite({ try load(path) }) { found[path] = document }
        }
        return found
    }

    public func runQuery(_ query: StructuredQuery, parent: String) throws -> [FirestoreDocument] {
        let collection = parent.isEmpty ? query.collectionID : "\(parent)/\(query.collectionID)"
        try DocumentPath.validateCollection(collection)
        let documents = try sqlite {
            try file.query(
                "SELECT path, fields, create_time, update_time FROM documents WHERE parent = ?", [.text(collection)]
            )
            .map(decode)
        }
        return query.evaluate(documents, database: database)
    }

    public func commit(_ writes: [FirestoreWrite]) throws -> CommitResult {
        try sqlite { try file.withTransaction { try apply(writes) } }
    }

    /// Every commit in one SQLite transaction: a bulk load pays for one WAL sync, not one per commit.
    public func commitEach(_ batches: [[FirestoreWrite]]) throws -> [CommitResult] {
        try sqlite { try file.withTransaction { try batches.map(apply) } }
    }

    /// Lets SQLite keep up to `mebibytes` of pages in memory. For bulk loads only: random inserts into
    /// a large file otherwise spend most of their time re-reading and re-writing evicted pages.
    public func reservePageCache(mebibytes: Int) throws {
        try sqlite { try file.execute("PRAGMA cache_size = -\(mebibytes * 1_024)") }
    }

    /// One commit, inside the caller's SQLite transaction.
    private func apply(_ writes: [FirestoreWrite]) throws -> CommitResult {
        // Commit times strictly increase, also across processes sharing the file.
        let last =
            try cached("SELECT value FROM store_meta WHERE key = 'last_commit_time'").first?.first?.integerValue ?? 0
        let commitTime = Timestamp(microseconds: max(clock().microseconds, last + 1))
        let outcome = try WriteApplier(database: database).apply(writes, commitTime: commitTime) { path in
            try load(path)
        }
        for (path, document) in outcome.changes {
            if let document {
                try cached(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?)",
                    [
                        .text(path), .text(document.collection),
                        .text(FirestoreValue.restFields(document.fields).canonicalText),
                        .integer(document.createTime!.microseconds), .integer(document.updateTime!.microseconds),
                    ])
            } else {
                try cached("DELETE FROM documents WHERE path = ?", [.text(path)])
            }
        }
        try cached(
            "INSERT OR REPLACE INTO store_meta VALUES ('last_commit_time', ?)", [.text(String(commitTime.microseconds))]
        )
        return CommitResult(writeResults: outcome.results, commitTime: commitTime)
    }

    public func reset() throws {
        try sqlite { try file.execute("DELETE FROM documents") }
    }

    /// How many documents a collection holds.
    public func count(collection: String) throws -> Int {
        try sqlite {
            Int(
                try file.query("SELECT count(*) FROM documents WHERE parent = ?", [.text(collection)]).first?.first?
                    .integerValue ?? 0)
        }
    }

    // MARK: - Storage

    private func load(_ path: String) throws -> FirestoreDocument? {
        try cached("SELECT path, fields, create_time, update_time FROM documents WHERE path = ?", [.text(path)])
            .first.map(decode)
    }

    /// Runs a statement compiled once per connection: the per-write statements dominate bulk loads.
    @discardableResult
    private func cached(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement: SQLiteStatement
        if let compiled = statements[sql] {
            statement = compiled
        } else {
            statement = try file.prepare(sql)
            statements[sql] = statement
        }
        defer { statement.reset() }
        try statement.bind(arguments)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    private func decode(_ row: [SQLiteValue]) throws -> FirestoreDocument {
        try FirestoreDocument(
            storedPath: row[0].textValue ?? "", fieldsJSON: row[1].textValue ?? "{}",
            createTime: row[2].integerValue.map(Timestamp.init(microseconds:)),
            updateTime: row[3].integerValue.map(Timestamp.init(microseconds:)), context: "document")
    }

    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            throw FirestoreError(.internal, "embedded store \(path): \(error.message)")
        }
    }

    /// Page tokens are opaque to clients: base64 of the last path served.
    static func encodeToken(_ path: String) -> String { Data(path.utf8).base64EncodedString() }

    static func decodeToken(_ token: String) throws -> String {
        guard let data = Data(base64Encoded: token), let path = String(data: data, encoding: .utf8) else {
            throw FirestoreError.invalidArgument("invalid page token")
        }
        return path
    }
}
