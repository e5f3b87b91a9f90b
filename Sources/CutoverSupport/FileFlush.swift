import Dispatch
import Foundation

/// `fsync(2)` of a file that is complete, started on a thread of its own so the caller's next step
/// runs while the kernel writes the file out; `wait()` returns when it is on disk, or throws.
///
/// Why: `snapshot --archive` used to flush the 142 MB snapshot (about 0.1 s of waiting on this
/// machine) and only then pack the archive, which needs only to read the file. Both lie between the
/// end of the read and the rename, so overlapping them takes the shorter one off the command's time.
/// The file must not be written to while the flush runs; it may be read.
package final class FileFlush: @unchecked Sendable {
    private let path: String
    private let done = DispatchSemaphore(value: 0)
    /// Set on the flushing thread before `done` is signalled, read after waiting for it: the semaphore
    /// orders the write before the read, which is what `@unchecked Sendable` relies on.
    private var failure: String?
    private var waited = false

    /// Starts flushing `path`.
    package init(_ path: String) {
        self.path = path
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            failure = Self.flush(path)
            done.signal()
        }
    }

    deinit {
        // A flush abandoned by a throwing caller still ends before its path is forgotten.
        if !waited { done.wait() }
    }

    /// Blocks until the file is flushed; throws an output error when it could not be. Call once.
    package func wait() throws {
        if !waited {
            done.wait()
            waited = true
        }
        if let failure { throw CutoverError(.output, failure) }
    }

    /// Opens and flushes `path`; the failure's message, or nil.
    private static func flush(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return "cannot open \(path) to flush it: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { return "cannot flush \(path) to disk: \(String(cString: strerror(errno)))" }
        return nil
    }
}
