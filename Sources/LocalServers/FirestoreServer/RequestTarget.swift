import CutoverCore
import Firestore

/// Which database a request is for, read from its path: `/v1/projects/P/databases/D/documents…`
/// (Firestore's own path) or `/emulator/v1/projects/P/databases/D/documents` (the emulator's admin
/// root, where the reset lives).
struct RequestTarget: Equatable {
    let database: DatabaseName
    /// Under `/emulator/v1/`.
    let isEmulatorAdmin: Bool
    /// What follows `/documents`: "", `/c/d`, `:commit`, `/c/d:runQuery`.
    let rest: String

    /// Nil when the path is not under a database's documents (the server answers 404 "Not Found").
    init?(path: String) {
        var remainder = Substring(path)
        var isEmulatorAdmin = false
        if remainder.hasPrefix("/emulator/v1/") {
            isEmulatorAdmin = true
            remainder = remainder.dropFirst("/emulator/v1/".count)
        } else if remainder.hasPrefix("/v1/") {
            remainder = remainder.dropFirst("/v1/".count)
        } else {
            return nil
        }
        // projects / P / databases / D / documents[rest]
        let parts = remainder.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "projects", !parts[1].isEmpty, parts[2] == "databases", !parts[3].isEmpty,
            parts[4].hasPrefix("documents")
        else { return nil }
        let rest = parts[4].dropFirst("documents".count)
        guard rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix(":") else { return nil }
        self.database = DatabaseName(project: String(parts[1]), database: String(parts[3]))
        self.isEmulatorAdmin = isEmulatorAdmin
        self.rest = String(rest)
    }
}
