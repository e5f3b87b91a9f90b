import Foundation

/// Where `restore --dry-run` rehearses: in the database itself (the restore's transaction is rolled
/// back), or, when `sqlite:PATH` does not exist yet, in a temporary file — opening the real path
/// would create it.
struct DryRunDatabase {
    let url: String
    let isTemporary: Bool

    init(into: String, dryRun: Bool) {
        let path = into.hasPrefix("sqlite:") ? String(into.dropFirst("sqlite:".count)) : nil
        if dryRun, let path, !FileManager.default.fileExists(atPath: path) {
            url = "sqlite:" + NSTemporaryDirectory() + "cutover-restore-dry-run-\(getpid())-\(UUID().uuidString).sqlite"
            isTemporary = true
        } else {
            url = into
            isTemporary = false
        }
    }

    func remove() {
        guard isTemporary else { return }
        let path = String(url.dropFirst("sqlite:".count))
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
