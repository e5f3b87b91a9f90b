import Dispatch
import Foundation

/// Work on a thread of its own (blocking libpq calls stay off the cooperative pool), started at once;
/// `wait()` returns its result or rethrows its error.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the thread before it signals, read only after `wait` saw the signal.
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            outcome = Result(catching: body)
            done.signal()
        }.start()
    }

    /// Waits for the work to end. Call it once.
    func wait() throws -> Value {
        done.wait()
        return try outcome!.get()
    }
}
