/// When and how long to retry (FIRESTORE.md §3): capped, jittered exponential backoff on the codes
/// Google marks retryable, honouring `Retry-After`.
public struct RetryPolicy: Sendable {
    public var maxAttempts = 5
    public var initialDelay = 0.1
    public var multiplier = 1.3
    public var maxDelay = 60.0
    /// Full jitter: each wait is uniform in [0, backoff]. Off makes waits predictable for tests.
    public var jitter = true

    public init() {}

    public static let standard = RetryPolicy()

    /// Reads may be retried on more codes than commits: a commit that may have happened is retried
    /// only on codes that say it did not (UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED) or when the
    /// request never left (connection refused).
    public func isRetryable(_ error: FirestoreError, isCommit: Bool, requestSent: Bool) -> Bool {
        switch error.status {
        case .unavailable, .resourceExhausted, .aborted: return true
        case .internal, .deadlineExceeded: return !isCommit
        case .transport: return !isCommit || !requestSent
        default: return false
        }
    }

    /// Seconds to wait before attempt `attempt + 1` (attempts count from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        var backoff = initialDelay
        for _ in 1..<max(attempt, 1) { backoff *= multiplier }
        backoff = min(backoff, maxDelay)
        let wait = jitter ? Double.random(in: 0...backoff) : backoff
        guard let retryAfter else { return wait }
        return min(max(wait, retryAfter), maxDelay)
    }
}
