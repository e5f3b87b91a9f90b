import Foundation

/// The files and directories a command must not leave behind if it is stopped: staging directories
/// and temporary files that hold unmasked personal data until the output is complete. Their owner
/// registers each one when it creates it and unregisters it once it is removed or renamed into place;
/// the command line's SIGINT/SIGTERM handler removes whatever is still registered before it exits.
/// A run that is SIGKILLed leaves them; `StagingDirectory` sweeps those on the next run. What is not a path
/// (a restore's staging schema in PostgreSQL) registers an action that removes it, run by the same handler.
package final class CleanupRegistry: @unchecked Sendable {
    /// The process's one registry: a signal handler has no other way to find the paths.
    package static let shared = CleanupRegistry()

    // The signal handler runs on another thread than the command that registers.
    private let lock = NSLock()
    private var paths: Set<String> = []
    private var actions: [String: @Sendable () -> Bool] = [:]
    // Taken for good by `closeAndRemoveAll`: a command thread about to create a file in staging after
    // that waits (until the process exits) instead of re-creating what was just removed. Without it a
    // test saw a bag's directory come back between the removal and the exit.
    private let gate = NSLock()

    package init() {}

    package func register(_ path: String) {
        lock.withLock { _ = paths.insert(path) }
    }

    package func unregister(_ path: String) {
        lock.withLock { _ = paths.remove(path) }
    }

    /// Registers `remove`, which removes what `name` names (e.g. `staging schema cutover_restore_…`) and says
    /// whether it did.
    package func register(action name: String, _ remove: @escaping @Sendable () -> Bool) {
        lock.withLock { actions[name] = remove }
    }

    package func unregister(action name: String) {
        lock.withLock { _ = actions.removeValue(forKey: name) }
    }

    /// Runs `body`, which creates files or directories inside a registered path — unless the signal
    /// handler has begun removing them; then it waits for the process to end.
    package func creating<Result>(_ body: () throws -> Result) rethrows -> Result {
        gate.lock()
        defer { gate.unlock() }
        return try body()
    }

    /// Returns at once, unless the signal handler has begun removing what is registered: then waits for the
    /// process to end. For a command whose work the removal breaks (its database connections ended), so that
    /// its own error does not race the handler's exit code and message.
    package func waitIfStopping() {
        gate.lock()
        gate.unlock()
    }

    /// For the signal handler, which exits next: closes `creating` for good, removes every registered
    /// path (a directory with its contents), and returns those that existed. Longest first, so a file
    /// inside a registered directory goes before it. Registered actions run first; those that removed what
    /// they name are named in the result.
    package func closeAndRemoveAll() -> [String] {
        gate.lock()  // never unlocked: the process is ending
        let (taken, removals) = lock.withLock {
            defer {
                paths.removeAll()
                actions.removeAll()
            }
            return (paths.sorted { $0.count > $1.count }, actions.sorted { $0.key < $1.key })
        }
        return removals.filter { $0.value() }.map(\.key)
            + taken.filter { path in
                // lstat, not fileExists: a dangling name is still ours to remove.
                var info = stat()
                guard lstat(path, &info) == 0 else { return false }
                // Again if the first pass lost a race with a file being written into the directory.
                for _ in 0..<3 where lstat(path, &info) == 0 { try? FileManager.default.removeItem(atPath: path) }
                return true
            }
    }
}
