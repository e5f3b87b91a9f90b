import Dispatch

/// One chunk's compression on a worker thread: the worker stores the member (or the error) and then
/// signals; the owner waits before reading. The semaphore orders the write before the read, which is
/// what `@unchecked Sendable` relies on.
final class ChunkJob: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[UInt8], any Error> = .success([])
    private var waited = false

    /// Runs on the worker: exactly once per job.
    func run(_ work: () throws -> [UInt8]) {
        result = Result { try work() }
        done.signal()
    }

    /// Blocks until `run` has finished; returns the member or rethrows its error. May be called again.
    @discardableResult
    func wait() throws -> [UInt8] {
        if !waited {
            done.wait()
            waited = true
        }
        return try result.get()
    }
}
