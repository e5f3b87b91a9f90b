import Foundation

/// An archive's snapshot rebuilt into a temporary file — the archive verified first — for as long as
/// this value lives: what `restore --archive` restores the table and the documents from.
public final class RebuiltSnapshot {
    public let path: String

    public init(archive: String, progress: (String) -> Void = { _ in }) throws {
        progress("verifying \(archive) and rebuilding its snapshot")
        path = NSTemporaryDirectory() + "cutover-restore-\(getpid())-\(UUID().uuidString).sqlite"
        _ = try ArchiveExtractor(archivePath: archive).rebuildSnapshot(at: path)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
