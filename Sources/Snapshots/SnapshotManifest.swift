import CutoverSupport
import LegacySync

/// What a snapshot says about itself: identity, format, tool, where it came from, and per-table
/// row counts and content hashes.
public struct SnapshotManifest: Sendable, Equatable {
    public struct TableDigest: Sendable, Equatable {
        public let name: String
        public let rowCount: Int
        public let sha256: String

        package init(name: String, rowCount: Int, sha256: String) {
            self.name = name
            self.rowCount = rowCount
            self.sha256 = sha256
        }
    }

    /// Every key/value of `snapshot_manifest`.
    public let values: [String: String]
    public let tables: [TableDigest]

    public init(values: [String: String], tables: [TableDigest]) {
        self.values = values
        self.tables = tables
    }

    public var snapshotID: String { values["snapshot_id"] ?? "" }
    public var formatVersion: Int { Int(values["format_version"] ?? "") ?? 0 }
    public var isComplete: Bool { values["complete"] == "true" }

    public func table(_ name: String) -> TableDigest? { tables.first { $0.name == name } }

    /// The database and table the snapshot was read from; nil in a snapshot taken before it was recorded.
    public var sourceIdentity: SourceIdentity? { SourceIdentity(text: values["source_identity"]) }

    public var json: JSONValue {
        [
            "manifest": .object(values.mapValues { .string($0) }),
            "tables": .object(
                Dictionary(
                    uniqueKeysWithValues: tables.map {
                        (
                            $0.name,
                            ["row_count": .integer(Int64($0.rowCount)), "sha256": .string($0.sha256)] as JSONValue
                        )
                    })),
        ]
    }
}
