import CutoverSupport
import Foundation

/// A clock a test sets and moves by hand, for the steps that take `clock: () -> Timestamp`: ages,
/// freshness limits and settling windows are then exact, and no test waits for time to pass.
public final class TestClock: @unchecked Sendable {
    // Read from the steps' tasks while the test moves it: the lock keeps each read whole.
    private let lock = NSLock()
    private var current: Timestamp

    public init(_ start: Timestamp = Timestamp(parsing: "2026-11-30T12:00:00Z")!) { current = start }

    public var now: Timestamp { lock.withLock { current } }

    /// The closure the steps take.
    public var closure: @Sendable () -> Timestamp { { [self] in now } }

    public func set(_ time: Timestamp) { lock.withLock { current = time } }

    public func advance(seconds: Int64) { lock.withLock { current = current.adding(seconds: seconds) } }
}
