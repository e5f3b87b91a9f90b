import CutoverSupport
import Foundation
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Firestore's REST v1 API (FIRESTORE.md §2): production, the emulator, or `cutover firestore serve`.
/// Retries what Google marks retryable, splits large commits, and names the document and status in
/// every error.
public final class FirestoreRESTClient: DocumentStore {
    public let database: DatabaseName
    /// `…/v1/` of the service.
    let baseURL: URL
    /// Set for the emulator and the local server: where `reset` goes.
    let emulatorRoot: URL?
    /// The emulator or a local server, not Firestore itself.
    public var isEmulator: Bool { emulatorRoot != nil }
    let credentials: any AccessTokenProvider
    let retry: RetryPolicy
    let session: URLSession
    /// Commits are split to stay within the request limit (10 MiB) and the classic 500 writes.
    public static let maxWritesPerCommit = 500
    public static let maxCommitBytes = 9 * 1_024 * 1_024

    public init(
        baseURL: URL, database: DatabaseName, credentials: any AccessTokenProvider, retry: RetryPolicy = .standard,
        emulatorRoot: URL? = nil
    ) {
        self.baseURL = baseURL
        self.database = database
        self.credentials = credentials
        self.retry = retry
        self.emulatorRoot = emulatorRoot
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        // The drain keeps up to 64 batch commits in flight (`--commits-in-flight`) besides its reads ahead.
        configuration.httpMaximumConnectionsPerHost = 72
        session = URLSession(configuration: configuration)
    }

    public var label: String {
        "\(emulatorRoot?.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) ?? "firestore") "
            + "\(database.resourceName) (\(credentials.source))"
    }

    // MARK: - DocumentStore

    public func getDocument(_ path: String) async throws -> FirestoreDocument? {
        try DocumentPath.validateDocument(path)
        do {
            let json = try await send("GET", documentsURL(path), document: path)
            return try FirestoreDocument(restJSON: json, in: database)
        } catch let error as FirestoreError where error.status == .notFound {
            return nil
        }
    }

    public func listDocuments(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentPage {
        try DocumentPath.validateCollection(collection)
        var query = [URLQueryItem(name: "pageSize", value: String(pageSize))]
        if let pageToken { query.append(URLQueryItem(name: "pageToken", value: pageToken)) }
        let json = try await send("GET", documentsURL(collection, query: query), document: collection)
        var documents: [FirestoreDocument] = []
        if case .array(let list)? = json["documents"] {
            documents = try list.map { try FirestoreDocument(restJSON: $0, in: database) }
        }
        // Absent or empty token: no more pages.
        let token = json["nextPageToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return DocumentPage(documents: documents, nextPageToken: token)
    }

    public func batchGet(_ paths: [String]) async throws -> [String: FirestoreDocument] {
        for path in paths { try DocumentPath.validateDocument(path) }
        let body = Self.requestBody(["documents": .array(paths.map { .string(database.documentName($0)) })])
        let json = try await send(
            "POST", URL(string: "\(database.resourceName)/documents:batchGet", relativeTo: baseURL)!, body: body)
        guard case .array(let messages) = json else {
            throw FirestoreError(.malformedResponse, "batchGet did not answer with a JSON array")
        }
        var found: [String: FirestoreDocument] = [:]
        for message in messages {
            if let document = message["found"] {
                let decoded = try FirestoreDocument(restJSON: document, in: database)
                found[decoded.path] = decoded
            }
        }
        return found
    }

    public func runQuery(_ query: StructuredQuery, parent: String) async throws -> [FirestoreDocument] {
        let suffix = parent.isEmpty ? "" : "/" + Self.encodePath(parent)
        let url = URL(string: "\(database.resourceName)/documents\(suffix):runQuery", relativeTo: baseURL)!
        let json = try await send("POST", url, body: Self.requestBody(["structuredQuery": query.restJSON]))
        guard case .array(let messages) = json else {
            throw FirestoreError(.malformedResponse, "runQuery did not answer with a JSON array")
        }
        // Elements without a document carry only readTime (no results) or skippedResults.
        return try messages.compactMap { message in
            try message["document"].map { try FirestoreDocument(restJSON: $0, in: database) }
        }
    }

    public func commit(_ writes: [FirestoreWrite]) async throws -> CommitResult {
        var results: [CommitResult.WriteResult] = []
        var commitTime = Timestamp(microseconds: 0)
        for chunk in Self.chunks(writes, in: database) {
            let json = try await send(
                "POST", URL(string: "\(database.resourceName)/documents:commit", relativeTo: baseURL)!,
                body: chunk.body, document: chunk.document, isCommit: true)
            let result = try CommitResult(restJSON: json)
            results += result.writeResults
            commitTime = result.commitTime
        }
        return CommitResult(writeResults: results, commitTime: commitTime)
    }

    public func reset() async throws {
        guard let emulatorRoot else {
            throw FirestoreError(
                .permissionDenied, "reset deletes every document: only the emulator and the local server allow it")
        }
        _ = try await send(
            "DELETE", URL(string: "emulator/v1/\(database.resourceName)/documents", relativeTo: emulatorRoot)!)
    }

    /// One commit request: its body (`{"writes":[…]}`, as `requestBody` would encode it), how many writes
    /// it carries, and the document when it is one write (for errors).
    package struct CommitChunk {
        package var count: Int
        package var document: String?
        package var body: Data
    }

    /// Groups writes into commits of at most 500 writes and about 9 MiB of JSON each. Each write is
    /// encoded once, straight into its request's body: sizing each write by encoding it and then encoding
    /// the chunk again doubled the JSON work of every commit (issue 21: `chunks` was 40% of `commit`'s CPU
    /// in a drain's profile, `perf record`, 4,665 writes).
    package static func chunks(_ writes: [FirestoreWrite], in database: DatabaseName) -> [CommitChunk] {
        let opening = Array(#"{"writes":["#.utf8)
        var chunks: [CommitChunk] = []
        var body = opening
        var count = 0
        var bytes = 0
        var first: String?
        func close() {
            body.append(contentsOf: "]}".utf8)
            chunks.append(CommitChunk(count: count, document: count == 1 ? first : nil, body: Data(body)))
        }
        var text: [UInt8] = []
        for write in writes {
            text.removeAll(keepingCapacity: true)
            write.restJSON(in: database).write(to: &text)
            if count > 0 && (count == maxWritesPerCommit || bytes + text.count > maxCommitBytes) {
                close()
                body = opening
                count = 0
                bytes = 0
            }
            if count > 0 { body.append(UInt8(ascii: ",")) } else { first = write.documentPath }
            body.append(contentsOf: text)
            count += 1
            bytes += text.count
        }
        if count > 0 { close() }
        return chunks
    }

    // MARK: - HTTP

    func documentsURL(_ path: String, query: [URLQueryItem] = []) -> URL {
        var components = URLComponents(
            url: URL(string: "\(database.resourceName)/documents/\(Self.encodePath(path))", relativeTo: baseURL)!,
            resolvingAgainstBaseURL: true)!
        if !query.isEmpty { components.queryItems = query }
        return components.url!
    }

    /// Percent-encodes each segment of a document or collection path.
    static func encodePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
                ?? String($0)
        }.joined(separator: "/")
    }

    /// A request's JSON body as the bytes sent. Encoded once, before the request: the JSON tree of a
    /// batch's commit is several times the size of its text, and a drain has several commits in flight,
    /// each waiting some 50 ms for Firestore; only the bytes need to live that long (and for a retry).
    static func requestBody(_ json: JSONValue) -> Data { Data(json.canonicalText.utf8) }

    /// One request with retries; returns the parsed JSON body.
    /// - Parameter body: JSON text (`requestBody`).
    func send(
        _ method: String, _ url: URL, body: Data? = nil, document: String? = nil, isCommit: Bool = false
    )
        async throws -> JSONValue
    {
        var refreshed = false
        var attempt = 0
        while true {
            attempt += 1
            var request = URLRequest(url: url)
            request.httpMethod = method
            if let body {
                request.httpBody = body
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            if let token = try await credentials.token(refresh: refreshed) {
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            }
            let failure: FirestoreError
            var retryAfter: Double?
            var requestSent = true
            var httpStatus: Int?
            do {
                // In a task of its own, so cancelling the caller never cancels the request in flight:
                // FoundationNetworking can crash when a data task is cancelled while it runs ("a task
                // that in not in the registry", swift-corelibs-foundation #3292, #3296). The request
                // still ends by its own timeout.
                let session = session
                let (data, response) = try await Task { try await session.data(for: request) }.value
                let http = response as? HTTPURLResponse
                let status = http?.statusCode ?? 0
                httpStatus = status
                if (200..<300).contains(status) {
                    do { return try JSONValue(parsing: String(decoding: data, as: UTF8.self)) } catch {
                        throw FirestoreError(
                            .malformedResponse, "\(method) \(url.path): the server's JSON is malformed (\(error))",
                            document: document)
                    }
                }
                failure = error(status: status, body: data, method: method, url: url, document: document)
                retryAfter = http?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
                if failure.status == .unauthenticated && credentials.canRefresh && !refreshed {
                    // An expired token: get a fresh one and try once more.
                    refreshed = true
                    attempt -= 1
                    continue
                }
            } catch let error as FirestoreError {
                throw error
            } catch {
                let code = (error as? URLError)?.code
                requestSent = !(code == .cannotConnectToHost || code == .cannotFindHost || code == .dnsLookupFailed)
                failure = FirestoreError(
                    .transport, "\(method) \(url.path): \(error.localizedDescription)", document: document)
            }
            guard attempt < retry.maxAttempts, retry.isRetryable(failure, isCommit: isCommit, requestSent: requestSent)
            else {
                if attempt > 1 {
                    throw FirestoreError(
                        failure.status, failure.message + " (gave up after \(attempt) attempts)",
                        document: failure.document)
                }
                throw failure
            }
            let backoff = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            Log.firestore.info(
                "retrying \(method) \(Self.route(url.path)) after \(failure.status.rawValue)",
                metadata: [
                    "status": "\(failure.status.rawValue)", "http": "\(httpStatus.map(String.init) ?? "none")",
                    "attempt": "\(attempt) of \(retry.maxAttempts)", "backoff": "\(Self.seconds(backoff))",
                    "retry_after": "\(retryAfter.map(Self.seconds) ?? "none")",
                ])
            try await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
        }
    }

    /// A request's path for the log without document ids (a member's id is a kennitala):
    /// `/v1/projects/p/databases/(default)/documents/members/…`.
    static func route(_ path: String) -> String {
        guard let range = path.range(of: "/documents/") else { return path }
        let rest = path[range.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return path }
        return String(path[..<slash]) + "/…"
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2fs", value) }

    /// Reads Google's error body `{"error": {"code", "message", "status"}}`; falls back to the HTTP code.
    /// When the request does not say which document failed, Firestore's message usually does.
    func error(status: Int, body: Data, method: String, url: URL, document: String?) -> FirestoreError {
        let json = try? JSONValue(parsing: String(decoding: body, as: UTF8.self))
        let statusName = json?["error"]?["status"]?.stringValue
        let code =
            statusName.flatMap(FirestoreError.Status.init(rawValue:)) ?? FirestoreError.Status(httpStatus: status)
        let message = json?["error"]?["message"]?.stringValue ?? "HTTP \(status) from \(method) \(url.path)"
        return FirestoreError(code, message, document: document ?? documentNamed(in: message))
    }

    /// The relative path of the first document name of this database in `text`; else the document
    /// Google's emulator names in its own words (`emulatorDocument(in:)`).
    func documentNamed(in text: String) -> String? {
        let prefix = database.documentName("")
        guard let start = text.range(of: prefix) else { return Self.emulatorDocument(in: text) }
        let path = text[start.upperBound...].prefix { !" \"',;:".contains($0) }
        return path.isEmpty ? nil : String(path)
    }

    /// The emulator names documents as its storage does, not by resource name:
    /// `entity already exists: EntityRef{partitionRef=dev~p, path=/c/d}`, or a key in protobuf text,
    /// `no entity to update: app: "dev~p" path < Element { type: "c" name: "d" } >`.
    static func emulatorDocument(in text: String) -> String? {
        if let start = text.range(of: "path=/") {
            let path = text[start.upperBound...].prefix { $0 != "}" && $0 != "," }
            return path.isEmpty ? nil : String(path)
        }
        // Each Element holds a collection (`type`) and an id (`name`), quoted with C-style escapes.
        var segments: [String] = []
        var rest = Substring(text)
        while let element = rest.range(of: "Element {") {
            rest = rest[element.upperBound...]
            guard let close = rest.firstIndex(of: "}") else { break }
            let body = rest[..<close]
            for key in ["type: \"", "name: \""] {
                guard let field = body.range(of: key) else { return nil }
                segments.append(String(body[field.upperBound...].prefix { $0 != "\"" }))
            }
            rest = rest[close...]
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }
}
