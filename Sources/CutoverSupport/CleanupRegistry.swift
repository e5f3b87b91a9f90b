import Foundation

/// The files and directories a command must not leave behind if it is stopped: staging directories
/// and temporary files that hold unmasked personal data until the output is complete. Their owner
/// registers each one when it creates it and unregisters it once it is removed or renamed into place;
/// the command line's SIGINT/SIGTERM handler removes whatever is still registered before it exits.
/// A run that is SIGKILLed leaves them; `StagingDirectory` sweeps those on the next run.
package final class CleanupRegistry: @unchecked Sendable {
    /// The process's one registry: a signal handler has no other way to find the paths.
    package static let shared = CleanupRegistry()

    // The signal handler runs on another thread than the command that registers.
    private let lock = NSLock()
    private var paths: Set<String> = []

    package init() {}

    package func register(_ path: String) {
        lock.withLock { _ = paths.insert(path) }
    }

    package func unregister(_ path: String) {
        lock.withLock { _ = paths.remove(path) }
    }

    /// The paths registered now, sorted.
    package var registered: [String] { lock.withLock { paths.sorted() } }

    /// Removes every registered path (a directory with its contents) and forgets them; returns those
    /// that existed. Longest first, so a file inside a registered directory goes before it.
    @discardableResult
    package func removeAll() -> [String] {
        let taken = lock.withLock {
            defer { paths.removeAll() }
            return paths.sorted { $0.count > $1.count }
        }
        return taken.filter { path in
            // lstat, not fileExists: a dangling name is still ours to remove.
            var info = stat()
            guard lstat(path, &info) == 0 else { return false }
            try? FileManager.default.removeItem(atPath: path)
            return true
        }
    }
}
