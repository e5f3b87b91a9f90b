import Foundation

/// A private directory beside an output, `.<output-name>.cutover-staging-<pid>-<n>`, where a command
/// writes everything (unmasked) before the output is complete; the output is then renamed out of it,
/// which stays on one file system because the directory is the output's sibling.
///
/// Made 0700 by `mkdir` itself, never chmod-ed afterwards. Registered with `CleanupRegistry` so SIGINT
/// and SIGTERM remove it; removed by `remove()` (or when the value goes away) on success and failure.
/// What a SIGKILLed run left — a sibling with the same output name whose process is gone — is removed
/// when the next run makes its own, with one line on standard error.
package final class StagingDirectory {
    /// Between the output's name and the process id: how a staging directory is recognised.
    package static let marker = ".cutover-staging-"

    package let path: String
    private var removed = false

    // The n in the name: one process may stage for the same name more than once at a time (the
    // in-process tests run in parallel; a restore rebuilds a snapshot inside its own staging).
    nonisolated(unsafe) private static var made = 0
    private static let madeLock = NSLock()

    /// Makes the staging directory for `output` (a path, relative or absolute).
    package init(for output: String) throws {
        let parent = (output as NSString).deletingLastPathComponent
        let prefix = "." + (output as NSString).lastPathComponent + Self.marker
        Self.removeLeftovers(in: parent.isEmpty ? "." : parent, prefix: prefix)
        let sequence = Self.madeLock.withLock {
            Self.made += 1
            return Self.made
        }
        path = (parent.isEmpty ? "" : parent + "/") + prefix + "\(getpid())-\(sequence)"
        // Registered first: a signal between mkdir and registering would leave it behind.
        CleanupRegistry.shared.register(path)
        var created = mkdir(path, 0o700) == 0
        if !created && errno == EEXIST {
            // This process never made it: an older process that had the same id left it.
            try? FileManager.default.removeItem(atPath: path)
            created = mkdir(path, 0o700) == 0
        }
        guard created else {
            let reason = String(cString: strerror(errno))
            removed = true  // nothing of ours to remove when the value goes
            CleanupRegistry.shared.unregister(path)
            throw CutoverError(
                .output, "cannot create the staging directory \(path): \(reason)",
                nextStep: "check that the output's directory exists and can be written")
        }
    }

    deinit { remove() }

    /// A path inside the directory.
    package func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Creates an empty file inside the directory, 0600 from its first byte, and returns its path: for a
    /// scratch SQLite database, which SQLite would otherwise create with the umask's mode. `what` names it
    /// in the error ("the drain's row spool").
    package func createPrivateFile(_ name: String, naming what: String) throws -> String {
        let path = file(name)
        guard
            CleanupRegistry.shared.creating({
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            })
        else { throw CutoverError(.output, "cannot create \(what) in \(self.path)") }
        return path
    }

    /// Removes the directory and everything in it; safe to call more than once.
    package func remove() {
        guard !removed else { return }
        removed = true
        try? FileManager.default.removeItem(atPath: path)
        CleanupRegistry.shared.unregister(path)
    }

    /// Removes the staging directories for the same output whose process no longer runs.
    static func removeLeftovers(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() where name.hasPrefix(prefix) {
            let owner = name.dropFirst(prefix.count).prefix { $0 != "-" }
            guard let pid = pid_t(owner), pid > 0, pid != getpid(), !isRunning(pid) else { continue }
            let leftover = directory == "." ? name : "\(directory)/\(name)"
            guard (try? FileManager.default.removeItem(atPath: leftover)) != nil else { continue }
            Log.staging.warning("removed \(leftover), left by an interrupted run (process \(pid) no longer runs)")
        }
    }

    /// Whether a process with this id exists; one that exists but is another user's counts as running.
    static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }
}
