import Foundation
import LegacySync
import Snapshots

/// Opens `--source` for commands that read the queue: a snapshot file when the path names one,
/// otherwise a live database. A snapshot is held to its manifest first (every table): `status` does
/// not count rows changed after the snapshot was written.
public enum QueueSourceOpener {
    public static func open(_ text: String, table: QueueTableName) throws -> any QueueSource {
        if !text.contains(":") && !text.contains("="), FileManager.default.fileExists(atPath: text) {
            return try checked(SnapshotFile(path: text))
        }
        // `sqlite:FILE` naming a snapshot file is read as the snapshot, not as a legacy database.
        if case .sqlite(let path) = try LegacyDatabaseOpener.location(of: text), SnapshotFile.looksLikeSnapshot(path) {
            return try checked(SnapshotFile(path: path))
        }
        return LiveQueueSource(database: try LegacyDatabaseOpener.open(text), table: table)
    }

    private static func checked(_ snapshot: SnapshotFile) throws -> SnapshotFile {
        try SnapshotContentCheck(snapshot).require()
        return snapshot
    }
}
