import CutoverSupport
import Firestore
import Foundation
import LegacySync
import SQLite

/// A finished snapshot file, opened read-only. It is a `QueueSource`, so `status` reads it like a
/// live database; `SnapshotContentCheck` recomputes every table hash against the manifest.
public final class SnapshotFile: QueueSource {
    public let path: String
    public let manifest: SnapshotManifest
    package let database: SQLiteDatabase

    public init(path: String) throws {
        self.path = path
        do {
            database = try SQLiteDatabase(path: path, mode: .readOnly)
            guard
                try !database.query(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_manifest'"
                ).isEmpty
            else { throw CutoverError(.input, "\(path) is not a cutover snapshot (no snapshot_manifest table)") }
            var values: [String: String] = [:]
            for row in try database.query("SELECT key, value FROM snapshot_manifest") {
                values[row[0].textValue ?? ""] = row[1].textValue ?? ""
            }
            let tables = try database.query("SELECT name, row_count, sha256 FROM snapshot_tables ORDER BY name").map {
                SnapshotManifest.TableDigest(
                    name: $0[0].textValue ?? "", rowCount: Int($0[1].integerValue ?? 0), sha256: $0[2].textValue ?? "")
            }
            manifest = SnapshotManifest(values: values, tables: tables)
        } catch let error as SQLiteError {
            throw CutoverError(.input, "\(path) is not a readable snapshot: \(error.message)")
        }
        guard manifest.values["format"] == SnapshotFormat.name else {
            throw CutoverError(.input, "\(path) is not a cutover snapshot")
        }
        guard manifest.formatVersion == SnapshotFormat.version else {
            throw CutoverError(
                .input,
                "\(path) is a snapshot of format version \(manifest.formatVersion); this cutover reads version "
                    + "\(SnapshotFormat.version)",
                nextStep:
                    "use the cutover version that wrote it (\(manifest.values["tool_version"] ?? "unknown")), or take "
                    + "a new snapshot"
            )
        }
        guard manifest.isComplete else { throw CutoverError(.input, "\(path) is an incomplete snapshot") }
    }

    /// True when `path` is an SQLite file with a snapshot manifest (whatever its version).
    public static func looksLikeSnapshot(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path),
            let database = try? SQLiteDatabase(path: path, mode: .readOnly),
            let rows = try? database.query(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_manifest'")
        else { return false }
        return !rows.isEmpty
    }

    public var label: String {
        "snapshot \(path) (\(manifest.snapshotID), taken from \(manifest.values["source_target"] ?? "?"))"
    }
    public var engineVersion: String { manifest.values["source_version"] ?? "?" }

    public func describeQueue() throws -> QueueTableDescription {
        try read {
            let columns = try database.query(
                "SELECT name, type, nullable, default_expression, identity FROM queue_columns ORDER BY ordinal"
            ).map {
                QueueTableDescription.Column(
                    name: $0[0].textValue ?? "", type: $0[1].textValue ?? "", isNullable: $0[2] == .integer(1),
                    defaultExpression: $0[3].textValue, identity: $0[4].textValue)
            }
            let constraints = try database.query("SELECT name, kind, definition FROM queue_constraints ORDER BY name")
                .map {
                    QueueTableDescription.Constraint(
                        name: $0[0].textValue ?? "", kind: $0[1].textValue ?? "",
                        definition: $0[2].textValue ?? "")
                }
            let indexes = try database.query("SELECT name, definition FROM queue_indexes ORDER BY name").map {
                QueueTableDescription.Index(name: $0[0].textValue ?? "", definition: $0[1].textValue ?? "")
            }
            let sequence = try database.query("SELECT name, kind, last_value, is_called FROM queue_sequence").first.map
            {
                QueueTableDescription.Sequence(
                    name: $0[0].textValue ?? "", kind: $0[1].textValue ?? "",
                    lastValue: $0[2].integerValue ?? 0, isCalled: $0[3] == .integer(1))
            }
            let engineName = manifest.values["source_engine"] ?? Engine.postgresql.rawValue
            guard let engine = Engine(rawValue: engineName) else {
                throw CutoverError(.input, "\(path): the manifest names an unknown source engine '\(engineName)'")
            }
            return QueueTableDescription(
                engine: engine,
                name: try QueueTableName(
                    parsing: manifest.values["queue_table"] ?? "public.membership_membersyncqueue"),
                columns: columns, constraints: constraints, indexes: indexes, sequence: sequence,
                definitionScript: manifest.values["queue_definition_script"] ?? "")
        }
    }

    public func scanQueue(_ description: QueueTableDescription, _ body: (any RawRow) throws -> Void) throws {
        try read {
            let statement = try database.prepare("SELECT * FROM queue_rows ORDER BY rowid")
            let row = SQLiteStatementRow(statement: statement, fieldCount: description.columns.count)
            while try statement.step() { try body(row) }
        }
    }

    public func consistently<T>(_ body: () throws -> T) throws -> T { try body() }

    /// Recomputes each table's row count and hash; returns the tables that do not match the manifest
    /// (`SnapshotContentCheck`, which the commands that read a snapshot run first).
    public func verifyContent() throws -> [String] { try SnapshotContentCheck(self).mismatches() }

    /// Every row of a query on the file, as text (NULL as nil), one at a time.
    public func forEachRow(_ sql: String, _ body: ([String?]) throws -> Void) throws {
        try read {
            let statement = try database.prepare(sql)
            while try statement.step() { try body((0..<statement.columnCount).map { statement.text($0) }) }
        }
    }

    /// Like `forEachRow`, without a String per field: the row is valid only inside `body`.
    package func forEachRawRow(_ sql: String, _ body: (any RawRow) throws -> Void) throws {
        try read {
            let statement = try database.prepare(sql)
            let row = SQLiteStatementRow(statement: statement, fieldCount: statement.columnCount)
            while try statement.step() { try body(row) }
        }
    }

    /// The captured Firestore documents of a collection (empty when none were captured).
    public func firestoreDocuments(_ collection: String) throws -> [FirestoreDocument] {
        try read {
            try database.query(
                "SELECT id, fields, create_time, update_time FROM firestore_documents WHERE collection = ? ORDER BY id",
                [.text(collection)]
            ).map { row in
                try FirestoreDocument(
                    storedPath: CollectionName(rawValue: collection).document(row[0].textValue ?? "").description,
                    fieldsJSON: row[1].textValue ?? "{}",
                    createTime: row[2].textValue.flatMap(Timestamp.init(parsing:)),
                    updateTime: row[3].textValue.flatMap(Timestamp.init(parsing:)), context: "snapshot document")
            }
        }
    }

    private func read<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            throw CutoverError(.input, "cannot read snapshot \(path): \(error.message)")
        }
    }
}
