import CutoverSupport
import Foundation
import LegacySync
import Reports

/// What a restore proved, kept as a file (`restore.json`): the archive (by its SHA-256) or snapshot
/// it came from, where it went, and that the restored rows matched the manifest. `retire` reads it
/// as the rehearsal gate.
public struct RestoreRecord: Sendable, Equatable {
    public var archive: String?
    public var archiveSHA256: String?
    public var snapshotID: String
    public var table: String
    public var target: String
    public var rows: Int
    public var sha256: String
    public var matched: Bool
    public var restoredAt: Timestamp
    /// The database and table the restored snapshot was read from: what `retire` ties the record to.
    public var sourceIdentity: SourceIdentity?

    public init(
        archive: String?, archiveSHA256: String?, snapshotID: String, table: String, target: String, rows: Int,
        sha256: String, matched: Bool, restoredAt: Timestamp
    ) {
        (self.archive, self.archiveSHA256, self.snapshotID, self.table, self.target) = (
            archive, archiveSHA256, snapshotID, table, target
        )
        (self.rows, self.sha256, self.matched, self.restoredAt) = (rows, sha256, matched, restoredAt)
    }

    /// The record of a restore that just succeeded (its rows matched the manifest, or it would have thrown).
    public init(restored result: Restorer.Result, archive: String?) throws {
        self.init(
            archive: archive, archiveSHA256: try archive.map(ReadableFile.sha256(ofFile:)),
            snapshotID: result.snapshotID,
            table: result.table.description, target: result.target, rows: result.rows, sha256: result.sha256,
            matched: true, restoredAt: .now)
        sourceIdentity = result.sourceIdentity
    }

    /// Writes `restore.json` into `directory`; returns its path.
    @discardableResult
    public func write(into directory: String) throws -> String {
        try ReportFiles.write([("restore.json", json.prettyText)], into: directory)[0]
    }

    public var json: JSONValue {
        [
            "format": "cutover-restore-record", "archive": archive.map(JSONValue.string) ?? .null,
            "archive_sha256": archiveSHA256.map(JSONValue.string) ?? .null, "snapshot_id": .string(snapshotID),
            "table": .string(table), "target": .string(target), "rows": .integer(Int64(rows)),
            "sha256": .string(sha256),
            "matched": .bool(matched), "restored_at": .string(restoredAt.iso8601),
            "source_identity": sourceIdentity?.json ?? .null,
        ]
    }

    public init(reading path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CutoverError(
                .input, "no restore record at \(path)",
                nextStep: "rehearse: cutover restore --archive A --into URL --schema cutover_rehearsal")
        }
        let json = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        guard json["format"]?.stringValue == "cutover-restore-record" else {
            throw CutoverError(.input, "\(path) is not a restore record")
        }
        self.init(
            archive: json["archive"]?.stringValue, archiveSHA256: json["archive_sha256"]?.stringValue,
            snapshotID: json["snapshot_id"]?.stringValue ?? "", table: json["table"]?.stringValue ?? "",
            target: json["target"]?.stringValue ?? "", rows: Int(json["rows"]?.integerValue ?? 0),
            sha256: json["sha256"]?.stringValue ?? "", matched: json["matched"] == .bool(true),
            restoredAt: json["restored_at"]?.stringValue.flatMap(Timestamp.init(parsing:)) ?? Timestamp(microseconds: 0)
        )
        sourceIdentity = SourceIdentity(json: json["source_identity"])
    }
}
