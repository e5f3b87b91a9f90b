/// Faults the local server injects for tests and drills: error statuses at given rates, latency,
/// and dropped connections.
public struct FaultInjection: Sendable {
    /// HTTP status → fraction of requests answered with it (429, 500, 503, 504, …).
    public var failureRates: [(status: Int, fraction: Double)] = []
    /// Seconds added to every request.
    public var latency: Double = 0
    /// Fraction of requests whose connection is cut before the body is complete.
    public var dropRate: Double = 0
    /// Fraction of requests answered 200 with a body that is not JSON.
    public var malformedRate: Double = 0
    /// Sent with injected 429/503 answers when set.
    public var retryAfterSeconds: Int?

    public init() {}

    /// Parses `503=0.2,429=0.05`.
    public static func parseRates(_ text: String) throws -> [(status: Int, fraction: Double)] {
        let rates: [(status: Int, fraction: Double)] = try text.split(separator: ",").map { entry in
            let parts = entry.split(separator: "=")
            guard parts.count == 2, let status = Int(parts[0]), (400...599).contains(status),
                let fraction = Double(parts[1]), (0...1).contains(fraction)
            else { throw FaultError("'\(entry)' is not CODE=FRACTION (e.g. 503=0.2)") }
            return (status, fraction)
        }
        // One draw decides among them, so together they are at most every request.
        let total = rates.reduce(0.0) { $0 + $1.fraction }
        guard total <= 1 else { throw FaultError("the fractions add up to \(total): together they can be at most 1") }
        return rates
    }

    public enum Decision: Equatable {
        case proceed
        case fail(status: Int)
        case drop
        case malformed
    }

    /// One random draw per request.
    public func decide() -> Decision {
        var draw = Double.random(in: 0..<1)
        if draw < dropRate { return .drop }
        draw = Double.random(in: 0..<1)
        if draw < malformedRate { return .malformed }
        draw = Double.random(in: 0..<1)
        for rate in failureRates {
            if draw < rate.fraction { return .fail(status: rate.status) }
            draw -= rate.fraction
        }
        return .proceed
    }
}

public struct FaultError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
