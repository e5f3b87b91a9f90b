import Firestore
import Foundation

/// Capped, jittered exponential backoff for the drain's target writes: retries what may pass on
/// another try (the server busy, down or unreachable), never preconditions or bad requests.
struct DrainBackoff: Sendable {
    var attempts: Int
    var base: Double
    var cap: Double

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do { return try await body() } catch let error as FirestoreError
                where attempt < attempts && error.isTransient
            {
                try await Task.sleep(nanoseconds: delay(attempt))
                attempt += 1
            }
        }
    }

    /// Half to all of base × 2^(attempt−1), at most `cap` seconds.
    func delay(_ attempt: Int) -> UInt64 {
        let seconds = min(cap, base * pow(2, Double(attempt - 1)))
        return UInt64(seconds * Double.random(in: 0.5...1.0) * 1e9)
    }
}

extension FirestoreError {
    /// Worth another try: the server was busy, down or unreachable.
    var isTransient: Bool {
        [.unavailable, .resourceExhausted, .aborted, .deadlineExceeded, .internal, .transport, .unknown].contains(
            status)
    }
}
