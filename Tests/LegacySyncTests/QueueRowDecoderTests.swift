import CutoverCore
import CutoverSupport
import LegacySync
import Testing

struct QueueRowDecoderTests {
    static let columns = [
        "id", "member_id", "ssn", "action", "fields_changed", "created_at", "synced_at",
        "sync_status", "error_message", "retry_count", "extra",
    ]
    static let types = [
        "integer", "integer", "character varying(10)", "character varying(20)", "jsonb",
        "timestamp with time zone", "timestamp with time zone", "character varying(20)", "text",
        "integer", "text",
    ]

    static func description(types: [String] = types, columns: [String] = columns) -> QueueTableDescription {
        QueueTableDescription(
            engine: .postgresql, name: .defaultName,
            columns: zip(columns, types).map {
                .init(name: $0, type: $1, isNullable: true, defaultExpression: nil, identity: nil)
            },
            constraints: [], indexes: [], sequence: nil, definitionScript: "")
    }

    static let good: [String?] = [
        "7", nil, "120174-3399", "update", #"{"name": "X", "reachable": true}"#,
        "2025-11-24 03:30:07+00", nil, "pending", "", "0", "kept",
    ]

    func decode(_ change: (inout [String?]) -> Void) throws -> Result<QueueRow, RowProblem> {
        var values = Self.good
        change(&values)
        return try QueueRowDecoder(Self.description()).decode(StringRow(values))
    }

    @Test func decodesByColumnNameWithExtraColumns() throws {
        let row = try decode { _ in }.get()
        #expect(row.id == 7)
        #expect(row.normalisedSSN == "1201743399")
        #expect(row.action == .update)
        #expect(row.fieldsChanged["reachable"] == .bool(true))
        #expect(row.createdAt.iso8601 == "2025-11-24T03:30:07Z")
    }

    /// The drain's webhook path decodes its spooled rows again without their changes: everything else
    /// reads as a full decoding does, and a NULL is still a problem.
    @Test func leavesFieldsChangedUnparsedWhenAsked() throws {
        let decoder = try QueueRowDecoder(Self.description())
        let full = try decoder.decode(StringRow(Self.good)).get()
        let lean = try decoder.decode(StringRow(Self.good), parsingFieldsChanged: false).get()
        #expect(lean.fieldsChanged.isEmpty)
        #expect(
            QueueRow(
                id: full.id, memberID: full.memberID, ssn: full.ssn, action: full.action, fieldsChanged: [:],
                createdAt: full.createdAt, syncedAt: full.syncedAt, status: full.status,
                errorMessage: full.errorMessage, retryCount: full.retryCount) == lean)
        var null = Self.good
        null[4] = nil
        guard case .failure(let problem) = decoder.decode(StringRow(null), parsingFieldsChanged: false) else {
            Issue.record("a NULL fields_changed decoded")
            return
        }
        #expect(problem.column == "fields_changed")
    }

    @Test(
        arguments: [
            (2, nil, "ssn", "is NULL"),
            (2, "12017A3399", "ssn", "is not a kennitala"),
            (3, "merge", "action", "unknown action"),
            (4, "[1, 2]", "fields_changed", "is a JSON array, expected an object"),
            (4, "\"text\"", "fields_changed", "is a JSON string"),
            (4, "{not json", "fields_changed", "is not valid JSON"),
            (5, "yesterday", "created_at", "is not a timestamp"),
            (7, "done", "sync_status", "unknown status"),
        ] as [(Int, String?, String, String)])
    func namesTheRowAndColumnOfEachProblem(_ index: Int, _ value: String?, _ column: String, _ problem: String) throws {
        let result = try decode { $0[index] = value }
        guard case .failure(let found) = result else {
            Issue.record("expected a problem in \(column)")
            return
        }
        #expect(found.rowID == 7)
        #expect(found.column == column)
        // The allocation-free check the snapshot uses finds the same problem (on a text column, where
        // it must parse the JSON itself; PostgreSQL has already validated jsonb values).
        var values = Self.good
        values[index] = value
        let textTyped = Self.description(types: Self.types.map { $0 == "jsonb" ? "text" : $0 })
        #expect(try QueueRowDecoder(textTyped).problem(in: StringRow(values)) == found)
        #expect(found.problem.contains(problem))
        #expect(!found.description.contains("12017A3399"))
    }

    @Test func refusesMissingAndIncompatibleColumns() {
        let missing = #expect(throws: CutoverError.self) {
            try QueueRowDecoder(Self.description(columns: Self.columns.map { $0 == "retry_count" ? "retries" : $0 }))
        }
        #expect(missing?.kind == .schema)
        #expect(missing?.message.contains("column retry_count is missing") == true)
        let wrongType = #expect(throws: CutoverError.self) {
            try QueueRowDecoder(
                Self.description(types: Self.types.map { $0 == "timestamp with time zone" ? "integer" : $0 }))
        }
        #expect(wrongType?.message.contains("column created_at has type integer") == true)
        #expect(wrongType?.message.contains("public.membership_membersyncqueue") == true)
    }

    @Test func pathAMappingDropsUnmappedAndEmptyFields() {
        #expect(PathAUpdateMapping.dropsEverything(["reachable": true, "facebook": "x"]))
        #expect(PathAUpdateMapping.dropsEverything(["email": "", "birthday": nil]))
        #expect(!PathAUpdateMapping.dropsEverything(["name": "", "reachable": true]))
        #expect(PathAUpdateMapping.droppedKeys(["gender": 9, "groupable": false, "phone": "555"]) == ["groupable"])
    }
}
