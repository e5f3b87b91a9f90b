import CLibPQ

/// One libpq connection. It owns its `PGconn*` and frees it in `close()` or on deinit.
///
/// Calls block: keep them off the cooperative thread pool. The class is not Sendable on purpose;
/// one task owns a connection at a time.
public final class PostgresConnection {
    var handle: OpaquePointer?
    public let target: PostgresTarget
    /// What libpq actually connected to, `postgresql://user@host:port/db` (see `connectedName`): what
    /// output, reports and manifests name, never the defaults a URL's text implies.
    public let connectedTarget: String

    /// Connects, sets the client encoding to UTF-8, and fails with `.unreachable` or
    /// `.authenticationFailed` (never echoing the connection string).
    public init(_ target: PostgresTarget) throws {
        self.target = target
        let connection = PQconnectdb(target.connectionString)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            // The host libpq last tried, not the text's defaults: with PGSERVICE the text names none.
            let tried = connection.map(Self.connectedName) ?? target.redacted
            PQfinish(connection)
            throw PostgresError(
                code: Self.classifyConnectFailure(message), message: Self.tidy(message), target: tried)
        }
        handle = connection
        connectedTarget = Self.connectedName(connection)
        guard PQsetClientEncoding(connection, "UTF8") == 0 else {
            let error = lastError(statement: nil, code: .queryFailed)
            close()
            throw error
        }
    }

    /// Convenience: parse and connect in one step.
    public convenience init(_ connectionString: String) throws {
        try self.init(PostgresTarget(connectionString))
    }

    deinit { close() }

    /// Closes the connection; later calls fail with `.connectionClosed`.
    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// The server version as libpq reports it, e.g. 150018 for 15.18.
    public var serverVersion: Int {
        guard let handle else { return 0 }
        return Int(PQserverVersion(handle))
    }

    /// The process id of the server backend serving this connection (libpq knows it from the connection's start:
    /// no query), e.g. for `pg_terminate_backend`; nil once closed.
    public var backendPID: Int? {
        guard let handle else { return nil }
        return Int(PQbackendPID(handle))
    }

    /// A run-time parameter the server reports, e.g. `server_version` or `TimeZone`.
    public func parameterStatus(_ name: String) -> String? {
        guard let handle, let value = PQparameterStatus(handle, name) else { return nil }
        return String(cString: value)
    }

    /// Runs one statement with text parameters (`$1`, `$2`, …) and returns the whole result.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        let handle = try liveHandle(sql)
        let raw = Self.withCStrings(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try checked(raw, statement: sql)
    }

    /// Runs one or more statements separated by semicolons, without parameters.
    public func execute(_ sql: String) throws {
        let handle = try liveHandle(sql)
        _ = try checked(PQexec(handle, sql), statement: sql)
    }

    /// Streams a query's rows one at a time (libpq single-row mode): memory stays bounded whatever
    /// the result size. If `body` throws, the query is cancelled and the error rethrown.
    public func stream(_ sql: String, _ parameters: [String?] = [], _ body: (PostgresRow) throws -> Void) throws {
        let handle = try liveHandle(sql)
        let sent = Self.withCStrings(parameters) { values in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw lastError(statement: sql, code: .queryFailed) }
        guard PQsetSingleRowMode(handle) == 1 else {
            drainResults()
            throw lastError(statement: sql, code: .queryFailed)
        }
        var failure: Error?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            guard failure == nil else { continue }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                do { try body(PostgresRow(result: result)) } catch {
                    failure = error
                    cancelRunningQuery()
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                failure = resultError(result, statement: sql)
            }
        }
        if let failure { throw failure }
    }

    /// Runs `COPY … TO STDOUT` (text format) and hands each row to `body`, parsed into fields.
    /// The row is valid only during the call.
    public func copyOut(_ sql: String, _ body: (CopyTextRow) throws -> Void) throws {
        let handle = try liveHandle(sql)
        let start = PQexec(handle, sql)
        defer { PQclear(start) }
        guard let start, PQresultStatus(start) == PGRES_COPY_OUT else {
            if let start, PQresultStatus(start) == PGRES_FATAL_ERROR { throw resultError(start, statement: sql) }
            throw PostgresError(
                code: .copyFailed, message: "statement did not start COPY TO STDOUT",
                statement: sql, target: connectedTarget)
        }
        let row = CopyTextRow()
        var failure: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                guard failure == nil else { continue }
                do {
                    try row.parse(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                    try body(row)
                } catch {
                    failure = error
                    cancelRunningQuery()
                }
            } else if length == -1 {
                break
            } else {
                throw lastError(statement: sql, code: .copyFailed)
            }
        }
        var finalError: Error?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, finalError == nil {
                finalError = resultError(result, statement: sql)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if let finalError { throw finalError }
    }

    /// Runs `COPY … FROM STDIN` (text format); `body` writes rows through the writer.
    /// If `body` throws, the COPY is aborted on the server and nothing it wrote stays.
    public func copyIn(_ sql: String, _ body: (PostgresCopyWriter) throws -> Void) throws {
        let writer = PostgresCopyWriter(connection: self, statement: sql)
        try runCopyIn(sql) {
            try body(writer)
            try writer.flush()
        }
    }

    /// Runs `COPY … FROM STDIN (FORMAT binary)` for columns of these types: `body` writes the rows, each
    /// field as its text; the trailer follows. If `body` throws (a `.valueNotBinary` field included), the
    /// COPY is aborted, which aborts the transaction it ran in.
    public func copyInBinary(
        _ sql: String, columns: [PostgresBinaryColumn], _ body: (PostgresBinaryCopyWriter) throws -> Void
    ) throws {
        let writer = PostgresBinaryCopyWriter(connection: self, statement: sql, columns: columns)
        try runCopyIn(sql) {
            try body(writer)
            try writer.finish()
        }
    }

    private func runCopyIn(_ sql: String, _ body: () throws -> Void) throws {
        let handle = try liveHandle(sql)
        let start = PQexec(handle, sql)
        defer { PQclear(start) }
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            if let start, PQresultStatus(start) == PGRES_FATAL_ERROR { throw resultError(start, statement: sql) }
            throw PostgresError(
                code: .copyFailed, message: "statement did not start COPY FROM STDIN",
                statement: sql, target: connectedTarget)
        }
        do {
            try body()
            guard PQputCopyEnd(handle, nil) == 1 else { throw lastError(statement: sql, code: .copyFailed) }
        } catch {
            _ = PQputCopyEnd(handle, "aborted by client")
            drainResults()
            throw error
        }
        var finalError: Error?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, finalError == nil {
                finalError = resultError(result, statement: sql)
            }
            PQclear(result)
        }
        if let finalError { throw finalError }
    }

    /// Runs `body` inside BEGIN … COMMIT; rolls back if it throws.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        return try finishTransaction(body)
    }

    /// Runs `body` inside one read-only REPEATABLE READ transaction: every statement in it sees the
    /// same snapshot. `body` receives the exported snapshot id (`pg_export_snapshot()`), which names
    /// that view of the database.
    public func withReadOnlySnapshot<T>(_ body: (String) throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return try finishTransaction {
            let snapshot = try query("SELECT pg_export_snapshot()").value(0, 0) ?? ""
            return try body(snapshot)
        }
    }

    private func finishTransaction<T>(_ body: () throws -> T) throws -> T {
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if let handle, PQstatus(handle) == CONNECTION_OK { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Checked calls

    func liveHandle(_ statement: String?) throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(
                code: .connectionClosed, message: "connection is closed", statement: statement,
                target: connectedTarget)
        }
        return handle
    }

    /// Turns a `PGresult*` into a `PostgresResult`, or throws the server's error; frees it on error.
    func checked(_ raw: OpaquePointer?, statement: String) throws -> PostgresResult {
        guard let raw else { throw lastError(statement: statement, code: .connectionClosed) }
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(raw)
        default:
            let error = resultError(raw, statement: statement)
            PQclear(raw)
            throw error
        }
    }

    func resultError(_ result: OpaquePointer, statement: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? Self.tidy(String(cString: PQresultErrorMessage(result)))
        return PostgresError(
            code: .queryFailed, message: message, sqlState: field("C"), detail: field("D"),
            hint: field("H"), statement: statement, target: connectedTarget)
    }

    func lastError(statement: String?, code: PostgresError.Code) -> PostgresError {
        let message = handle.map { String(cString: PQerrorMessage($0)) } ?? "connection is closed"
        return PostgresError(code: code, message: Self.tidy(message), statement: statement, target: connectedTarget)
    }

    private func cancelRunningQuery() {
        guard let handle, let cancel = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    private func drainResults() {
        guard let handle else { return }
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    static func classifyConnectFailure(_ message: String) -> PostgresError.Code {
        let lowered = message.lowercased()
        if lowered.contains("authentication failed") || lowered.contains("no password supplied")
            || lowered.contains("password is required")
            || lowered.contains("role \"") && lowered.contains("does not exist")
        {
            return .authenticationFailed
        }
        return .unreachable
    }

    static func tidy(_ message: String) -> String {
        message.split(separator: "\n").map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// Lends `body` a NULL-terminated array of C strings (NULL for SQL NULL); frees them afterwards.
    static func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
