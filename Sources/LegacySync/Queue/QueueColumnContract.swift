import CutoverSupport

/// What the toolkit needs from the queue table: these columns, with types it can read.
/// Both Django's DDL and the hand-written variant of the old docs satisfy it; extra columns are fine.
public enum QueueColumnContract {
    public enum Family: String, Sendable {
        case integer, text, json, timestamp

        /// A human phrase for error messages.
        var expectation: String {
            switch self {
            case .integer: "an integer type (integer, bigint, smallint)"
            case .text: "a text type (varchar, char, text)"
            case .json: "jsonb, json or a text type"
            case .timestamp: "timestamp with or without time zone (datetime/text in SQLite)"
            }
        }
    }

    public struct Requirement: Sendable {
        public let name: String
        public let family: Family
    }

    public static let required: [Requirement] = [
        .init(name: "id", family: .integer),
        .init(name: "member_id", family: .integer),
        .init(name: "ssn", family: .text),
        .init(name: "action", family: .text),
        .init(name: "fields_changed", family: .json),
        .init(name: "created_at", family: .timestamp),
        .init(name: "synced_at", family: .timestamp),
        .init(name: "sync_status", family: .text),
        .init(name: "error_message", family: .text),
        .init(name: "retry_count", family: .integer),
    ]

    /// Does a declared type belong to a family? PostgreSQL names are exact; SQLite's declared types
    /// follow its affinity rules (anything with INT is an integer, CHAR/TEXT/CLOB text, …).
    public static func accepts(_ family: Family, type: String, engine: Engine) -> Bool {
        let type = type.lowercased()
        if engine == .sqlite {
            switch family {
            case .integer: return type.contains("int")
            case .text: return type.contains("char") || type.contains("text") || type.contains("clob")
            case .json: return type.contains("json") || type.contains("char") || type.contains("text") || type.isEmpty
            case .timestamp: return type.contains("date") || type.contains("time") || type.contains("text")
            }
        }
        switch family {
        case .integer: return ["integer", "bigint", "smallint"].contains(type)
        case .text:
            return type.hasPrefix("character varying") || type.hasPrefix("character(") || type == "text"
                || type == "character"
        case .json: return type == "jsonb" || type == "json" || accepts(.text, type: type, engine: engine)
        case .timestamp: return type.hasPrefix("timestamp")
        }
    }

    /// Fails with a schema error naming the table and column, for the first column that is missing
    /// or has an unreadable type (all problems listed).
    public static func check(_ description: QueueTableDescription) throws {
        var problems: [String] = []
        for requirement in required {
            guard let column = description.columns.first(where: { $0.name == requirement.name }) else {
                problems.append("column \(requirement.name) is missing")
                continue
            }
            if !accepts(requirement.family, type: column.type, engine: description.engine) {
                problems.append(
                    "column \(requirement.name) has type \(column.type), expected \(requirement.family.expectation)")
            }
        }
        guard problems.isEmpty else {
            throw CutoverError(
                .schema, "table \(description.name): " + problems.joined(separator: "; "),
                nextStep:
                    "check --table names the legacy queue table (MemberSyncQueue); see LEGACY.md §2 for its columns")
        }
    }
}
