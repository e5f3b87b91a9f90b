import CutoverSupport
import Foundation

/// The run lock on SQLite: `flock` on `<database>.cutover-lock`, which holds the holder's line.
///
/// `flock`, not `fcntl`: a POSIX record lock belongs to the process, so a second lock from the same
/// process would succeed and closing any descriptor of the file would drop it; `flock` belongs to the
/// open file, so two runs in one process (a test, a rehearsal) exclude each other as two processes do.
/// The file is left in place afterwards, emptied: removing it could let a third run lock a new file while
/// a second still waits on the old one.
extension SQLiteLegacyDatabase {
    public var runLockPath: String { Self.runLockPath(for: database.path) }

    /// The lock file beside the database file at `path`.
    public static func runLockPath(for path: String) -> String { path + ".cutover-lock" }

    public func acquireRunLock(for table: QueueTableName, holder: QueueRunHolder) throws -> QueueRunLock {
        let path = runLockPath
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw CutoverError(
                .output, "cannot open the run lock file \(path): \(String(cString: strerror(errno)))",
                nextStep: "check the permissions of the database's directory")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let line = Self.contents(of: descriptor)
            close(descriptor)
            guard failure == EWOULDBLOCK else {
                throw CutoverError(.output, "cannot lock \(path): \(String(cString: strerror(failure)))")
            }
            let named =
                QueueRunHolder(line: line).map(\.description) ?? "another cutover run (not yet named in the file)"
            throw QueueRunLock.busy("\(redactedTarget) (lock file \(path))", heldBy: named)
        }
        let line = Array((holder.line() + "\n").utf8)
        guard ftruncate(descriptor, 0) == 0,
            line.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) == line.count
        else {
            let failure = String(cString: strerror(errno))
            close(descriptor)
            throw CutoverError(.output, "cannot write the run lock file \(path): \(failure)")
        }
        _ = fchmod(descriptor, 0o600)  // a file made by an earlier version or by hand: no one else reads who runs
        return QueueRunLock(holder: holder) {
            _ = ftruncate(descriptor, 0)
            _ = flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// The lock file's first line (it holds one), read from the start whatever the descriptor's offset.
    private static func contents(of descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }
}
