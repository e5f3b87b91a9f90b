import Foundation

/// A token bucket for writes to a store that wants traffic ramped up, as Firestore's 500/50/5 rule asks:
/// start at 500 operations a second and raise the rate by 50% every 5 minutes. It works as the official
/// clients' BulkWriter does (its `RateLimiter`): the bucket holds one second of the current rate and starts
/// full, it refills at the current rate, and the ramp's clock starts at the first request.
///
/// A value with no clock of its own: every call says what time it is (seconds on any monotonic clock), so
/// the schedule is tested without sleeping. A request may take more tokens than the bucket holds; it then
/// waits until the debt is refilled, which keeps the long-run rate exact for any request size.
public struct RampedRateLimiter: Sendable {
    /// How the allowed rate grows from the first request on.
    public struct Ramp: Sendable, Equatable {
        public var initialRate: Double
        public var growth: Double
        public var window: Double

        public init(initialRate: Double, growth: Double, window: Double) {
            self.initialRate = initialRate
            self.growth = growth
            self.window = window
        }

        /// Firestore's rule: 500 operations a second, 50% more every 5 minutes.
        public static let firestore = Ramp(initialRate: 500, growth: 1.5, window: 300)
    }

    public let ramp: Ramp?
    /// A ceiling on the rate, ramp or not (`--max-rate`).
    public let maxRate: Double?
    /// When the first request came: the ramp's windows count from here.
    public private(set) var origin: Double?
    private var tokens = 0.0
    private var refilledAt = 0.0

    /// Without a ramp and without `maxRate`, nothing is limited.
    public init(ramp: Ramp?, maxRate: Double? = nil) {
        self.ramp = ramp
        self.maxRate = maxRate.map { max($0, 0.001) }
    }

    /// Whether any request can ever wait.
    public var limits: Bool { ramp != nil || maxRate != nil }

    /// Operations a second allowed at `time`; nil when unlimited. Before the first request, the initial rate.
    public func rate(at time: Double) -> Double? {
        var rate: Double?
        if let ramp {
            let windows = origin.map { max(0, ((time - $0) / ramp.window).rounded(.down)) } ?? 0
            rate = ramp.initialRate * pow(ramp.growth, windows)
        }
        if let maxRate { rate = min(rate ?? maxRate, maxRate) }
        return rate
    }

    /// Takes `count` operations' tokens at `time` and answers how many seconds to wait before sending them
    /// (0: at once). The tokens are taken either way: a caller that waits the answer keeps to the schedule.
    public mutating func reserve(_ count: Int, at time: Double) -> Double {
        guard limits else { return 0 }
        if origin == nil {
            origin = time
            refilledAt = time
            tokens = rate(at: time)!
        } else if time > refilledAt {
            tokens = min(tokens + refill(from: refilledAt, to: time), rate(at: time)!)
            refilledAt = time
        }
        tokens -= Double(count)
        // The debt is repaid at today's rate: the rate only grows, so the wait is never too short.
        return tokens >= 0 ? 0 : -tokens / rate(at: time)!
    }

    /// Operations the schedule lets a greedy caller start within `seconds` of its first request: the full
    /// bucket it starts with plus what refills meanwhile. What a benchmark's measured rate is held against.
    public func allowance(within seconds: Double) -> Double {
        guard limits else { return .infinity }
        var fresh = RampedRateLimiter(ramp: ramp, maxRate: maxRate)
        fresh.origin = 0
        return fresh.rate(at: 0)! + fresh.refill(from: 0, to: max(0, seconds))
    }

    /// Tokens the rate adds between two times, window by window (the rate steps up at each boundary).
    private func refill(from start: Double, to end: Double) -> Double {
        var total = 0.0
        var time = start
        while time < end {
            var next = end
            if let ramp, let origin {
                let windows = max(0, ((time - origin) / ramp.window).rounded(.down))
                next = min(end, origin + (windows + 1) * ramp.window)
            }
            // A boundary that rounding put at or before `time` must not stall the walk.
            next = max(next, time.nextUp)
            total += rate(at: time)! * (next - time)
            time = next
        }
        return total
    }
}
