import CutoverSupport
import Foundation

/// An archive's snapshot rebuilt into a temporary file — the archive verified first — for as long as
/// this value lives: what `restore --archive` restores the table and the documents from.
///
/// It lives in a private (0700) staging directory under the temporary directory, named after the
/// archive: a restore writes no file of its own to stage beside, and the archive's folder may be
/// read-only. SIGINT/SIGTERM remove it; a SIGKILLed restore's is removed by the next one.
public final class RebuiltSnapshot {
    public let path: String
    private let staging: StagingDirectory

    public init(archive: String, progress: (String) -> Void = { _ in }) throws {
        progress("verifying \(archive) and rebuilding its snapshot")
        staging = try StagingDirectory(
            for: NSTemporaryDirectory() + "cutover-restore-" + (archive as NSString).lastPathComponent)
        path = staging.file("snapshot.sqlite")
        _ = try ArchiveExtractor(archivePath: archive).rebuildSnapshot(at: path)
    }

    deinit { staging.remove() }
}
