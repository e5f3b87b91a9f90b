import CutoverSupport
import Foundation

/// Where `restore --dry-run` rehearses: in the database itself (the restore's transaction is rolled
/// back), or, when `sqlite:PATH` does not exist yet, in a temporary file — opening the real path
/// would create it. The temporary file (the restored register, unmasked) is in a private staging
/// directory that SIGINT/SIGTERM remove.
struct DryRunDatabase {
    let url: String
    private let staging: StagingDirectory?

    var isTemporary: Bool { staging != nil }

    init(into: String, dryRun: Bool) throws {
        let path = into.hasPrefix("sqlite:") ? String(into.dropFirst("sqlite:".count)) : nil
        if dryRun, let path, !FileManager.default.fileExists(atPath: path) {
            let staging = try StagingDirectory(for: NSTemporaryDirectory() + "cutover-restore-dry-run")
            url = "sqlite:" + staging.file("dry-run.sqlite")
            self.staging = staging
        } else {
            url = into
            staging = nil
        }
    }

    /// Removes the temporary file with its -journal/-wal/-shm (the whole staging directory).
    func remove() { staging?.remove() }
}
