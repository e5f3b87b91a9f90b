import Foundation

/// A `RampedRateLimiter` on a clock, for the one task that sends: it answers how long to hold each
/// request back and measures the rate the requests actually went at (the last few seconds' worth), for
/// a progress line. Not shared between tasks: the sender reserves, and hands the wait to whoever sends.
public final class RateGate {
    private var limiter: RampedRateLimiter
    /// Seconds on a monotonic clock; injected so that tests turn it by hand.
    public let now: @Sendable () -> Double
    /// What was sent, when: (time, operations so far), the last `span` seconds' worth.
    private var samples: [(time: Double, total: Int)] = []
    public private(set) var sent = 0
    private let span: Double
    /// The first reservation and the last record: the span the rate is judged over.
    private var firstReserved: Double?
    private var lastRecorded: Double?

    public init(
        _ limiter: RampedRateLimiter, span: Double = 5,
        now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        self.limiter = limiter
        self.span = span
        self.now = now
    }

    /// Seconds to hold `count` operations back before sending them (their tokens are taken now).
    public func reserve(_ count: Int) -> Double {
        let time = now()
        if firstReserved == nil { firstReserved = time }
        return limiter.reserve(count, at: time)
    }

    /// Holds this task back until `count` operations may go.
    public func wait(for count: Int) async {
        let seconds = reserve(count)
        if seconds > 0 { try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
    }

    /// Counts operations that went through, for `measuredRate`.
    public func record(_ count: Int) {
        let time = now()
        lastRecorded = time
        sent += count
        samples.append((time, sent))
        while let first = samples.first, time - first.time > span, samples.count > 2 { samples.removeFirst() }
    }

    /// Operations a second over the last few seconds; nil until two records are apart in time.
    public var measuredRate: Double? {
        guard let first = samples.first, let last = samples.last, last.time > first.time else { return nil }
        return Double(last.total - first.total) / (last.time - first.time)
    }

    /// Operations the limiter lets a greedy sender start within `seconds` of its first request; nil when
    /// it allows any.
    public func allowance(within seconds: Double) -> Double? {
        limiter.limits ? limiter.allowance(within: seconds) : nil
    }

    /// The rate the limiter allows now; nil when it allows any.
    public var allowedRate: Double? { limiter.rate(at: now()) }

    /// From the first reservation to the last record: how long, and what the limiter allowed in that time
    /// (nil when it allows any). What "keeps pace with the ramp" is measured against.
    public var judgedSpan: (seconds: Double, allowed: Double?)? {
        guard let firstReserved, let lastRecorded else { return nil }
        let seconds = max(0, lastRecorded - firstReserved)
        return (seconds, limiter.limits ? limiter.allowance(within: seconds) : nil)
    }
}
