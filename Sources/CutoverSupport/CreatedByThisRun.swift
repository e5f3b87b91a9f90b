import Foundation
import SQLite

/// The files and directories a command creates on this run, so that a command that fails leaves none of
/// them behind: no empty database, store, record or report directory that only looks like a result.
///
/// A path is noted before the run creates it, and only when nothing is there yet, so whatever existed
/// before the run is never removed. Directories are removed only when empty (what else is in them was
/// not noted, so it stays).
package final class CreatedByThisRun {
    /// What a failed run does with a file it created.
    package enum WhenFailed: Sendable {
        /// Always removed: the command's own product, which a failure leaves half made (a seeded database).
        case remove
        /// Removed only when it holds nothing: a zero-byte file, or an SQLite file whose tables hold no row.
        /// A drain journal that announced writes, or a ledger that recorded the failure, is what the next
        /// run needs, so it stays.
        case removeIfEmpty
    }

    private var files: [(path: String, whenFailed: WhenFailed)] = []
    private var directories: [String] = []

    package init() {}

    /// Notes a file the run may create, when nothing is at `path` yet.
    package func file(_ path: String, whenFailed: WhenFailed = .removeIfEmpty) {
        guard !Self.exists(path), !files.contains(where: { $0.path == path }) else { return }
        files.append((path, whenFailed))
    }

    /// Notes the file behind `sqlite:PATH` or `embedded:PATH`; servers and PostgreSQL are not files.
    package func database(_ url: String?, whenFailed: WhenFailed = .removeIfEmpty) {
        guard let path = url.flatMap(Self.filePath(of:)) else { return }
        file(path, whenFailed: whenFailed)
    }

    /// Makes a directory and its missing parents, noting each one made.
    package func makeDirectory(_ path: String) throws {
        var missing: [String] = []
        var level = path
        while !level.isEmpty && level != "/" && !Self.exists(level) {
            missing.append(level)
            level = OutputPreflight.parent(of: level)
        }
        for directory in missing.reversed() {
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                let reason = String(cString: strerror(errno))
                throw CutoverError(
                    .output, "cannot create the directory \(directory): \(reason)",
                    nextStep: "choose another location, or make its parent writable")
            }
            directories.append(directory)
        }
    }

    /// Removes what a failed run created: files as each one's rule says (with SQLite's journal and WAL
    /// files), then the directories it made, innermost first, when they are empty.
    package func removeAfterFailure() {
        for file in files.reversed() where Self.exists(file.path) {
            if file.whenFailed == .removeIfEmpty && !Self.isEmpty(file.path) { continue }
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(file.path + suffix) }
        }
        for directory in directories.reversed() { rmdir(directory) }
        files.removeAll()
        directories.removeAll()
    }

    /// The path of `sqlite:PATH` or `embedded:PATH`, else nil.
    package static func filePath(of url: String) -> String? {
        for scheme in ["sqlite:", "embedded:"] where url.hasPrefix(scheme) {
            var path = String(url.dropFirst(scheme.count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            return path.isEmpty ? nil : path
        }
        return nil
    }

    /// lstat, not stat: a dangling symbolic link is something that was there.
    package static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// A zero-byte file, or an SQLite database none of whose tables holds a row. Anything else — a file
    /// SQLite cannot read, a table with a row — counts as holding something.
    private static func isEmpty(_ path: String) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        if status.st_size == 0 { return true }
        guard let database = try? SQLiteDatabase(path: path, mode: .readOnly) else { return false }
        defer { database.close() }
        guard let tables = try? database.query("SELECT name FROM sqlite_master WHERE type = 'table'") else {
            return false
        }
        for table in tables {
            let name = (table[0].textValue ?? "").replacingOccurrences(of: "\"", with: "\"\"")
            guard let rows = try? database.query("SELECT 1 FROM \"\(name)\" LIMIT 1"), rows.isEmpty else {
                return false
            }
        }
        return true
    }
}
