import Foundation

/// Removes, when the test process exits, what the run keeps for all its tests: the seeded worlds' directory
/// and their template databases.
///
/// Swift Testing has no hook after the last test, so this is an `atexit` handler, and it makes C calls
/// only: the first version removed the directory with `FileManager` and dropped the databases through the
/// Postgres wrapper from the handler, and the test process ended with signal 11 after every test had
/// passed. The shell command is therefore kept ready as a C string, rebuilt whenever something is added.
public enum RunCleanup {
    // `command` and `password` are written under `lock`; the exit handler reads them once, at exit.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var command: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var password: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var directories: [String] = []
    nonisolated(unsafe) private static var databases: [String] = []

    /// Removes `path` (a directory) at exit.
    public static func remove(directory path: String) {
        update { directories.append(path) }
    }

    /// Drops the test server's database `name` at exit (`psql`; the password through the environment,
    /// never on a command line).
    static func drop(database name: String) {
        update { databases.append(name) }
    }

    private static func update(_ change: () -> Void) {
        lock.withLock {
            let first = command == nil
            change()
            var script = directories.map { "rm -rf '\($0)'" }
            if !databases.isEmpty {
                let drops = databases.map { "-c 'DROP DATABASE IF EXISTS \($0) WITH (FORCE)'" }
                script.append(
                    "psql -X -q -h '\(TestPostgres.host)' -p '\(TestPostgres.port)' -U '\(TestPostgres.user)' "
                        + "-d postgres \(drops.joined(separator: " ")) >/dev/null 2>&1")
            }
            free(command)
            command = strdup(script.joined(separator: "; "))
            if password == nil { password = strdup(TestPostgres.password) }
            if first { atexit { RunCleanup.run() } }
        }
    }

    private static func run() {
        guard let command else { return }
        if let password { setenv("PGPASSWORD", password, 1) }
        _ = system(command)
    }
}
