/// Reads raw queue rows into `QueueRow`s, by column name, whatever the column order or extra columns.
public struct QueueRowDecoder: Sendable {
    private let id, memberID, ssn, action, fieldsChanged, createdAt, syncedAt, status, errorMessage, retryCount: Int

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
    }

    /// The decoded row, or the first problem found in it.
    public func decode(_ row: some RawRow) -> Result<QueueRow, RowProblem> {
        guard let idText = row.string(id), let rowID = Int64(idText) else {
            return .failure(RowProblem(rowID: nil, column: "id", problem: "missing or not an integer"))
        }
        func problem(_ column: String, _ text: String) -> Result<QueueRow, RowProblem> {
            .failure(RowProblem(rowID: rowID, column: column, problem: text))
        }
        var member: Int64?
        if let text = row.string(memberID) {
            guard let value = Int64(text) else { return problem("member_id", "not an integer") }
            member = value
        }
        guard let ssnText = row.string(ssn) else { return problem("ssn", "is NULL") }
        guard Kennitala.isWellFormed(ssnText) else {
            return problem("ssn", "is not a kennitala (10 digits, optionally DDMMYY-NNNN)")
        }
        guard let actionText = row.string(action) else { return problem("action", "is NULL") }
        guard let actionValue = QueueRow.Action(rawValue: actionText) else {
            return problem("action", "unknown action (expected create, update or delete)")
        }
        let parsedFields: JSONValue
        do {
            guard let value = try row.withBytes(fieldsChanged, { bytes in try bytes.map { try JSONValue(parsing: $0) } })
            else { return problem("fields_changed", "is NULL") }
            parsedFields = value
        } catch {
            return problem("fields_changed", "is not valid JSON (\(error))")
        }
        guard case .object(let fields) = parsedFields else {
            return problem("fields_changed", "is a JSON \(parsedFields.kindName), expected an object")
        }
        guard let created = row.withBytes(createdAt, { $0.flatMap(LegacyTimestamp.init(parsing:)) }) else {
            return problem("created_at", row.string(createdAt) == nil ? "is NULL" : "is not a timestamp")
        }
        var synced: LegacyTimestamp?
        if row.string(syncedAt) != nil {
            guard let value = row.withBytes(syncedAt, { $0.flatMap(LegacyTimestamp.init(parsing:)) }) else {
                return problem("synced_at", "is not a timestamp")
            }
            synced = value
        }
        guard let statusText = row.string(status) else { return problem("sync_status", "is NULL") }
        guard let statusValue = QueueRow.Status(rawValue: statusText) else {
            return problem("sync_status", "unknown status (expected pending, syncing, synced or failed)")
        }
        // The hand-written variant allows NULL here; Django writes "" and 0.
        let message = row.string(errorMessage) ?? ""
        var retries = 0
        if let text = row.string(retryCount) {
            guard let value = Int(text) else { return problem("retry_count", "not an integer") }
            retries = value
        }
        return .success(
            QueueRow(
                id: rowID, memberID: member, ssn: ssnText, action: actionValue, fieldsChanged: fields,
                createdAt: created, syncedAt: synced, status: statusValue, errorMessage: message, retryCount: retries))
    }
}
