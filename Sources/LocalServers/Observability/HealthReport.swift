import CutoverSupport
import Hummingbird
import NIOCore

/// `GET /healthz`'s answer: 200 with `"status": "ok"` while the server can do its job, 503 with
/// `"status": "unhealthy"` and the problem when it cannot (a load balancer then stops sending to it).
/// Small, and free of personal data: what the server serves, how long it has run, and its own checks.
public struct HealthReport: Sendable, Equatable {
    /// What is wrong, or nil when healthy.
    public var problem: String?
    /// `shadow serve` or `firestore serve`, and what it stands in front of.
    public var serves: String
    public var uptime: Duration
    /// The server's own checks (`record`, `store`, …), each a small JSON value.
    public var checks: [String: JSONValue]

    public var isHealthy: Bool { problem == nil }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "status": .string(isHealthy ? "ok" : "unhealthy"), "serves": .string(serves),
            "uptime_seconds": .double((uptime / .milliseconds(1)).rounded() / 1_000),
        ]
        if let problem { object["problem"] = .string(problem) }
        for (name, value) in checks { object[name] = value }
        return .object(object)
    }

    var response: Response {
        Response(
            status: isHealthy ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json.canonicalText + "\n")))
    }
}
