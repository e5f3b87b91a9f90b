import Foundation

/// A repeating timer that calls back while a phase of a command runs, so a plain progress log gets a line
/// even when the phase itself reports nothing for a long time (hashing, an index build, a slow server).
///
/// The display starts one per phase and cancels it when the phase ends; tests inject timers they fire by
/// hand (`ProgressDisplay(heartbeat:)`), so no test waits on a real one.
protocol HeartbeatTimer: AnyObject, Sendable {
    /// No call back after this returns, except one already running (the display ignores a stale one).
    func cancel()
}

/// Makes a timer that calls `fire` every `seconds` until cancelled.
typealias HeartbeatTimerFactory =
    @Sendable (_ seconds: Double, _ fire: @escaping @Sendable () -> Void) ->
    any HeartbeatTimer

/// The process's heartbeat: a dispatch timer on a queue of its own, so it ticks while the command's thread is
/// busy in a synchronous step (the archive commands hash on the main thread).
final class DispatchHeartbeatTimer: HeartbeatTimer, @unchecked Sendable {
    private static let queue = DispatchQueue(label: "cutover.progress.heartbeat")
    // Only the dispatch source, which is thread-safe to cancel from any thread.
    private let source: any DispatchSourceTimer

    init(every seconds: Double, fire: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: Self.queue)
        let nanoseconds = Int(seconds * 1e9)
        source.schedule(
            deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
            leeway: .nanoseconds(nanoseconds / 10))
        source.setEventHandler(handler: fire)
        source.resume()
    }

    static let factory: HeartbeatTimerFactory = { DispatchHeartbeatTimer(every: $0, fire: $1) }

    func cancel() { source.cancel() }

    deinit { source.cancel() }
}
