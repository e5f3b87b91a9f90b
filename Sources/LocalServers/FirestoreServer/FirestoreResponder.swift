import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import Hummingbird
import HummingbirdCore

/// Answers Firestore REST v1 requests (FIRESTORE.md §2–4) from a `DocumentStore` per database: get,
/// list, patch, delete, batchGet, runQuery, commit, and the emulator's reset; errors in Google's shape.
/// Any project id is served, each its own namespace, as the emulator does.
struct FirestoreResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let stores: ProjectStores
    let faults: FaultInjection
    /// When set, requests must carry `Authorization: Bearer <token>` (else 401), like production.
    let requiredToken: String?
    /// Issued by `POST /oauth2/token` for JWT-bearer grants (dry runs of a service-account key).
    let issuedToken: String
    /// The server clock for `readTime` (the store keeps its own for commits).
    let clock: @Sendable () -> Timestamp
    /// Counts refusals by reason and injected faults (requests are counted around this responder).
    let metrics: ServerMetrics

    static let maxBody = 16 * 1_024 * 1_024

    /// A body longer than `maxBody`: answered 413.
    struct PayloadTooLarge: Error { let limit: Int }

    func respond(to request: Request, context: Context) async throws -> Response {
        // Clients may percent-encode any segment (`%28default%29`); ids never contain `/`, so decoding
        // the whole path once, before splitting it, is safe.
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        if faults.latency > 0 {
            metrics.faultInjected("latency")
            try await Task.sleep(nanoseconds: UInt64(faults.latency * 1e9))
        }
        if path == "/oauth2/token" && request.method == .post { return counted(try await issueToken(request)) }
        if path.hasPrefix("/computeMetadata/v1/") { return counted(metadata(path: path, request: request)) }
        let decision = faults.decide()
        if let fault = FaultInjection.label(decision) { metrics.faultInjected(fault) }
        switch decision {
        case .proceed: break
        case .drop: return Self.droppedConnection()
        case .malformed:
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"documents\": [<html>")))
        case .fail(let status):
            var response = Self.error(FirestoreError(.init(httpStatus: status), "injected failure (fault injection)"))
            if let seconds = faults.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
        let target = RequestTarget(path: path)
        do {
            if let requiredToken, request.headers[.authorization] != "Bearer \(requiredToken)" {
                throw FirestoreError(
                    .unauthenticated, "Request had invalid authentication credentials. Expected OAuth 2 access token.")
            }
            return counted(try await route(request, target: target))
        } catch var error as FirestoreError {
            if (400..<500).contains(error.status.httpStatus) { metrics.rejected(error.status.rawValue.lowercased()) }
            // Firestore's messages name the document; make sure ours do when we know it.
            if let database = target?.database, let document = error.document,
                !error.message.contains(database.documentName(document))
            {
                error = FirestoreError(
                    error.status, "\(error.message) (document \(database.documentName(document)))",
                    document: document)
            }
            return Self.error(error)
        } catch let error as JSONValue.ParseError {
            metrics.rejected("invalid_argument")
            return Self.error(FirestoreError.invalidArgument("Invalid JSON payload received. \(error)"))
        } catch let error as PayloadTooLarge {
            metrics.rejected("payload_too_large")
            return Self.payloadTooLarge(limit: error.limit)
        }
    }

    /// The reasons shown at 0 from the start: Google's names of the statuses clients cause most.
    static let commonRejections = [
        "invalid_argument", "failed_precondition", "unauthenticated", "permission_denied", "not_found",
        "already_exists", "aborted", "payload_too_large",
    ]

    /// Counts a 4xx answer built without a `FirestoreError` (a bare 404, the token and metadata
    /// endpoints' refusals), by the name Google gives its status.
    private func counted(_ response: Response) -> Response {
        let reasons = [
            400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied", 404: "not_found",
            413: "payload_too_large",
        ]
        let status = response.status.code
        if (400..<500).contains(status) { metrics.rejected(reasons[status] ?? "http_\(status)") }
        return response
    }

    private func route(_ request: Request, target: RequestTarget?) async throws -> Response {
        // Outside a database's documents the emulator answers a bare "Not Found" (text, not JSON).
        guard let target else { return Self.notFound() }
        let database = target.database
        let store = try await stores.store(for: database)
        if target.isEmulatorAdmin {
            // The emulator's reset empties one database; its admin root serves nothing else.
            guard request.method == .delete, target.rest.isEmpty else { return Self.notFound() }
            try await store.reset()
            return Self.json(.object([:]))
        }
        var rest = target.rest
        var action: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            action = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        let relative = rest.hasPrefix("/") ? String(rest.dropFirst()) : ""
        let query = request.uri.queryParameters

        switch (request.method, action) {
        case (.post, "commit"):
            let body = try await Self.body(request)
            guard case .array(let list)? = body["writes"] ?? .array([]) else {
                throw FirestoreError.invalidArgument("writes must be an array")
            }
            if body["transaction"] != nil {
                throw FirestoreError.invalidArgument("transactions are not supported here")
            }
            // The emulator answers a commit without writes with an empty object: nothing was committed.
            if list.isEmpty { return Self.json(.object([:])) }
            let writes = try Self.request { try list.map { try FirestoreWrite(restJSON: $0, in: database) } }
            return Self.json(try await store.commit(writes).restJSON)
        case (.post, "batchGet"):
            return try await batchGet(try await Self.body(request), store: store)
        case (.post, "runQuery"):
            return try await runQuery(try await Self.body(request), parent: relative, store: store)
        case (.get, nil):
            if relative.split(separator: "/").count % 2 == 0 {
                return try await get(relative, store: store, query: query)
            }
            return try await list(relative, store: store, query: query)
        case (.post, nil) where relative.split(separator: "/").count % 2 == 1:
            return try await createDocument(
                in: relative, body: try await Self.body(request), store: store, query: query)
        case (.delete, nil):
            _ = try await store.commit([
                FirestoreWrite(operation: .delete(relative), precondition: try Self.precondition(query))
            ])
            return Self.json(.object([:]))
        case (.patch, nil):
            let body = try await Self.body(request)
            var object = body.objectValue ?? [:]
            object["name"] = .string(database.documentName(relative))
            let document = try Self.request { try FirestoreDocument(restJSON: .object(object), in: database) }
            let mask = try query[values: "updateMask.fieldPaths"].map { try FieldPath(parsing: String($0)) }
            let write = FirestoreWrite(
                operation: .update(document), updateMask: query.has("updateMask.fieldPaths") ? mask : nil,
                precondition: try Self.precondition(query))
            _ = try await store.commit([write])
            guard let stored = try await store.getDocument(relative) else {
                throw FirestoreError(.internal, "patched document vanished")
            }
            return Self.json(Self.masked(stored, paths: Self.mask(query)).restJSON(in: database))
        default:
            throw FirestoreError(.unimplemented, "\(request.method) \(request.uri.path) is not served by this stand-in")
        }
    }

    /// `createDocument`: `POST …/COLLECTION?documentId=ID` creates (409 when it exists); without an id
    /// the server picks one, 20 characters as the client libraries' `add()` does.
    private func createDocument(
        in collection: String, body: JSONValue, store: any DocumentStore,
        query: QueryParameters
    ) async throws -> Response {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let id =
            query["documentId"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            ?? String((0..<20).map { _ in alphabet.randomElement()! })
        let path = "\(collection)/\(id)"
        var object = body.objectValue ?? [:]
        object["name"] = .string(store.database.documentName(path))
        let document = try Self.request { try FirestoreDocument(restJSON: .object(object), in: store.database) }
        _ = try await store.commit([FirestoreWrite(operation: .update(document), precondition: .exists(false))])
        guard let stored = try await store.getDocument(path) else {
            throw FirestoreError(.internal, "created document vanished")
        }
        return Self.json(Self.masked(stored, paths: Self.mask(query)).restJSON(in: store.database))
    }

    /// Decodes part of a request. The model's decoders say "malformed response" (they read answers
    /// too); in a request the same fault is the client's: 400 INVALID_ARGUMENT, as the emulator says.
    static func request<T>(_ decode: () throws -> T) throws -> T {
        do { return try decode() } catch let error as FirestoreError where error.status == .malformedResponse {
            throw FirestoreError(.invalidArgument, error.message, document: error.document)
        }
    }

    static func precondition(_ query: FlatDictionary<Substring, Substring>) throws -> FirestoreWrite.Precondition? {
        if let exists = query["currentDocument.exists"] { return .exists(exists == "true") }
        if let text = query["currentDocument.updateTime"] {
            guard let time = Timestamp(parsing: String(text)) else {
                throw FirestoreError.invalidArgument("bad currentDocument.updateTime")
            }
            return .updateTime(time)
        }
        return nil
    }

    /// The token endpoint of the JWT-bearer flow and of the `authorized_user` refresh grant: checks the
    /// grant's shape (not a signature or a secret: this server knows neither) and issues `issuedToken`.
    private func issueToken(_ request: Request) async throws -> Response {
        // Bounded and validated like every other body: an oversized or non-UTF-8 form is the client's
        // mistake (413 / 400), not a 500.
        let form: String
        switch try await RequestText.read(request, limit: 64 * 1_024) {
        case .text(let text): form = text
        case .tooLarge(let limit): return Self.payloadTooLarge(limit: limit)
        case .notUTF8: return Self.error(FirestoreError.invalidArgument("the token request is not valid UTF-8"))
        }
        var fields: [String: String] = [:]
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { Self.percentDecoded(String($0)) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        if fields["grant_type"] == "refresh_token" {
            guard ["client_id", "client_secret", "refresh_token"].allSatisfy({ !(fields[$0] ?? "").isEmpty }) else {
                return Self.json(
                    ["error": "invalid_request", "error_description": "malformed refresh_token grant"], status: 400)
            }
            return Self.json(["access_token": .string(issuedToken), "expires_in": 3599, "token_type": "Bearer"])
        }
        let parts = fields["assertion"]?.split(separator: ".") ?? []
        guard fields["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer", parts.count == 3,
            let header = Self.base64URLDecoded(String(parts[0])).flatMap({ try? JSONValue(parsing: $0) }),
            header["alg"] == .string("RS256"),
            let claims = Self.base64URLDecoded(String(parts[1])).flatMap({ try? JSONValue(parsing: $0) }),
            claims["iss"]?.stringValue != nil, claims["scope"]?.stringValue != nil
        else {
            return Self.json(
                ["error": "invalid_grant", "error_description": "malformed JWT-bearer grant"], status: 400)
        }
        return Self.json(["access_token": .string(issuedToken), "expires_in": 3599, "token_type": "Bearer"])
    }

    // MARK: - Wire helpers

    /// The request's JSON body. Too long, not UTF-8 or not JSON: the client's mistake, answered 413 or
    /// 400 in Google's error shape (never a 500).
    static func body(_ request: Request) async throws -> JSONValue {
        switch try await RequestText.read(request, limit: maxBody) {
        case .text(let text): return try JSONValue(parsing: text)
        case .tooLarge(let limit): throw PayloadTooLarge(limit: limit)
        case .notUTF8:
            throw FirestoreError.invalidArgument("Invalid JSON payload received. The body is not valid UTF-8.")
        }
    }

    /// Pretty-printed, as Firestore answers (FIRESTORE.md §1).
    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json; charset=UTF-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.prettyText)))
    }

    static func error(_ error: FirestoreError) -> Response {
        json(
            [
                "error": [
                    "code": .integer(Int64(error.status.httpStatus)), "message": .string(error.message),
                    "status": .string(error.status.rawValue),
                ]
            ], status: error.status.httpStatus)
    }

    /// 413 in Google's error shape; FirestoreError has no status of its own for it.
    static func payloadTooLarge(limit: Int) -> Response {
        json(
            [
                "error": [
                    "code": 413, "message": .string("Request payload size exceeds the limit: \(limit) bytes."),
                    "status": "INVALID_ARGUMENT",
                ]
            ], status: 413)
    }

    static func notFound() -> Response {
        Response(
            status: .notFound, headers: [.contentType: "text/plain; charset=UTF-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Not Found\n")))
    }

    /// Headers go out, then the connection is cut before the body completes.
    static func droppedConnection() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
            body: ResponseBody(contentLength: 1_000) { writer in
                try await writer.write(ByteBuffer(string: "{\"documents\": ["))
                throw FaultError("connection dropped by fault injection")
            })
    }

    /// Decodes a form-urlencoded value (`+` is a space there).
    static func percentDecoded(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: "%20").removingPercentEncoding ?? text
    }

    static func base64URLDecoded(_ text: String) -> String? {
        var normalised = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalised.count % 4 != 0 { normalised += "=" }
        return Data(base64Encoded: normalised).map { String(decoding: $0, as: UTF8.self) }
    }
}
