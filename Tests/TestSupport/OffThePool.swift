import Foundation

/// Runs blocking work (waiting for a child process, reading its pipes) on a thread of its own and
/// suspends the calling task until it is done.
///
/// Swift Testing runs every test as a task on the cooperative pool, which has one thread per core: two
/// here. A test that calls `waitUntilExit()` directly holds one of the two for as long as its child
/// runs, and the rest of the suite waits for the other; a test that awaits this holds none, so other
/// tests run while its child does. The thread costs about a millisecond, a child process far more.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
