import CutoverSupport

/// Reads raw queue rows into `QueueRow`s, by column name, whatever the column order or extra columns.
///
/// `problem(in:)` checks a row against the table's contract straight from its bytes, allocating
/// nothing (the snapshot runs it on millions of rows); `decode` builds the typed row.
public struct QueueRowDecoder: Sendable {
    private let id, memberID, ssn, action, fieldsChanged, createdAt, syncedAt, status, errorMessage, retryCount: Int
    /// PostgreSQL has already validated jsonb/json values: checking the first byte is enough there.
    private let fieldsChangedIsValidatedJSON: Bool

    /// Fails with a schema error when a required column is missing or unreadable.
    public init(_ description: QueueTableDescription) throws {
        try QueueColumnContract.check(description)
        func index(_ name: String) -> Int { description.columnIndex(name)! }
        id = index("id")
        memberID = index("member_id")
        ssn = index("ssn")
        action = index("action")
        fieldsChanged = index("fields_changed")
        createdAt = index("created_at")
        syncedAt = index("synced_at")
        status = index("sync_status")
        errorMessage = index("error_message")
        retryCount = index("retry_count")
        let jsonType = description.columns[fieldsChanged].type.lowercased()
        fieldsChangedIsValidatedJSON = description.engine == .postgresql && (jsonType == "jsonb" || jsonType == "json")
    }

    /// The first way the row breaks the contract, or nil when it is sound.
    public func problem(in row: some RawRow) -> RowProblem? {
        if let found = scalarProblem(in: row) { return found }
        let rowID = row.withBytes(id) { Self.integer($0) }
        return row.withBytes(fieldsChanged) { bytes -> RowProblem? in
            guard let bytes else { return RowProblem(rowID: rowID, column: "fields_changed", problem: "is NULL") }
            if fieldsChangedIsValidatedJSON, let first = bytes.first(where: { ![32, 9, 10, 13].contains($0) }) {
                guard first != UInt8(ascii: "{") else { return nil }
            }
            return Self.objectProblem(bytes, rowID: rowID).problem
        }
    }

    /// The decoded row, or the first problem found in it.
    /// - Parameter parsingFieldsChanged: false leaves the row's `fieldsChanged` empty without parsing it,
    ///   for a reader that decoded the same text once already (so it is known to be an object) and never
    ///   looks at it: the drain's webhook path, which writes the register's data, holds the rows of every
    ///   batch in flight, and their parsed JSON was a tenth of its heap.
    public func decode(_ row: some RawRow, parsingFieldsChanged: Bool = true) -> Result<QueueRow, RowProblem> {
        if let found = scalarProblem(in: row) { return .failure(found) }
        let rowID = row.withBytes(id) { Self.integer($0) }!
        let parsed = row.withBytes(fieldsChanged) { bytes in
            bytes.map { parsingFieldsChanged ? Self.objectProblem($0, rowID: rowID) : (fields: [:], problem: nil) }
        }
        guard let parsed else {
            return .failure(RowProblem(rowID: rowID, column: "fields_changed", problem: "is NULL"))
        }
        if let problem = parsed.problem { return .failure(problem) }
        return .success(
            QueueRow(
                id: rowID, memberID: row.withBytes(memberID) { Self.integer($0) }, ssn: row.string(ssn)!,
                action: QueueRow.Action(rawValue: row.string(action)!)!, fieldsChanged: parsed.fields,
                createdAt: row.withBytes(createdAt) { Timestamp(parsing: $0!)! },
                syncedAt: row.withBytes(syncedAt) { $0.flatMap(Timestamp.init(parsing:)) },
                status: QueueRow.Status(rawValue: row.string(status)!)!,
                // The hand-written variant allows NULL here; Django writes "" and 0.
                errorMessage: row.string(errorMessage) ?? "",
                retryCount: Int(row.withBytes(retryCount) { Self.integer($0) } ?? 0)))
    }

    /// Every check but the JSON one, on bytes.
    private func scalarProblem(in row: some RawRow) -> RowProblem? {
        guard let rowID = row.withBytes(id, { Self.integer($0) }) else {
            return RowProblem(rowID: nil, column: "id", problem: "missing or not an integer")
        }
        func problem(_ column: String, _ text: String) -> RowProblem {
            RowProblem(rowID: rowID, column: column, problem: text)
        }
        if row.withBytes(memberID, { $0 != nil && Self.integer($0) == nil }) {
            return problem("member_id", "not an integer")
        }
        switch row.withBytes(ssn, { $0.map(Self.isKennitala) }) {
        case nil: return problem("ssn", "is NULL")
        case false: return problem("ssn", "is not a kennitala (10 digits, optionally DDMMYY-NNNN)")
        default: break
        }
        switch row.withBytes(action, { $0.map { Self.isOneOf($0, Self.actions) } }) {
        case nil: return problem("action", "is NULL")
        case false: return problem("action", "unknown action (expected create, update or delete)")
        default: break
        }
        switch row.withBytes(createdAt, { $0.map { Timestamp(parsing: $0) != nil } }) {
        case nil: return problem("created_at", "is NULL")
        case false: return problem("created_at", "is not a timestamp")
        default: break
        }
        if row.withBytes(syncedAt, { $0.map { Timestamp(parsing: $0) == nil } ?? false }) {
            return problem("synced_at", "is not a timestamp")
        }
        switch row.withBytes(status, { $0.map { Self.isOneOf($0, Self.statuses) } }) {
        case nil: return problem("sync_status", "is NULL")
        case false: return problem("sync_status", "unknown status (expected pending, syncing, synced or failed)")
        default: break
        }
        if row.withBytes(retryCount, { $0 != nil && Self.integer($0) == nil }) {
            return problem("retry_count", "not an integer")
        }
        return nil
    }

    private static let actions = QueueRow.Action.allCases.map { Array($0.rawValue.utf8) }
    private static let statuses = QueueRow.Status.allCases.map { Array($0.rawValue.utf8) }

    private static func isOneOf(_ bytes: UnsafeRawBufferPointer, _ words: [[UInt8]]) -> Bool {
        words.contains { $0.elementsEqual(bytes) }
    }

    /// Ten digits, or `DDMMYY-NNNN`.
    private static func isKennitala(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var digits = 0
        for (offset, byte) in bytes.enumerated() {
            if byte >= 48 && byte <= 57 {
                digits += 1
            } else if !(byte == UInt8(ascii: "-") && offset == 6) {
                return false
            }
        }
        return digits == 10
    }

    /// A decimal integer (optionally negative) that fits Int64.
    private static func integer(_ bytes: UnsafeRawBufferPointer?) -> Int64? {
        guard let bytes, !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        var negative = false
        for (offset, byte) in bytes.enumerated() {
            if offset == 0 && byte == UInt8(ascii: "-") && bytes.count > 1 {
                negative = true
                continue
            }
            guard byte >= 48 && byte <= 57 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// Parses `fields_changed` and checks it is an object.
    private static func objectProblem(
        _ bytes: UnsafeRawBufferPointer, rowID: Int64?
    )
        -> (fields: [String: JSONValue], problem: RowProblem?)
    {
        do {
            let value = try JSONValue(parsing: bytes)
            guard case .object(let fields) = value else {
                return (
                    [:],
                    RowProblem(
                        rowID: rowID, column: "fields_changed",
                        problem: "is a JSON \(value.kindName), expected an object")
                )
            }
            return (fields, nil)
        } catch {
            return ([:], RowProblem(rowID: rowID, column: "fields_changed", problem: "is not valid JSON (\(error))"))
        }
    }
}
