import CutoverSupport
import Firestore
import Foundation
import LocalServers
import Logging
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `firestore serve`'s health, metrics and access log (issue 20 points 2 and 3), in-process: each
/// server counts into its own registry, so these run beside every other server in the test process.
struct ServerObservabilityTests {
    static let documents = "/v1/projects/demo-cutover/databases/(default)/documents"
    static let kennitala = "0101702389"
    static let missing = "3112992019"

    static func send(
        _ url: String, method: String = "GET", body: String? = nil, token: String? = nil
    ) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func metrics(_ server: LocalServer) async throws -> PrometheusText {
        let (status, text) = try await send("\(server.url)/metrics")
        #expect(status == 200)
        return try PrometheusText(text)
    }

    static let requests = "cutover_http_requests_total"
    static let rejections = "cutover_firestore_rejections_total"
    static let document = "/v1/projects/{project}/databases/{database}/documents/{document}"

    @Test func healthzAnswersWithoutTheTokenTheServerRequires() async throws {
        var options = FirestoreHTTPServer.Options()
        options.requiredToken = "secret-token"
        let started = ContinuousClock.now
        let server = try await LocalServer.start(store: try temporaryStore(), options: options)
        let (status, body) = try await Self.send("\(server.url)/healthz")
        // The server's age can be no more than the time since this test began starting it; a fixed
        // bound failed under a loaded machine, where starting a server took over a minute.
        let sinceStart = ContinuousClock.now - started
        let upperBound = Double(sinceStart.components.seconds) + 1
        let (refused, _) = try await Self.send("\(server.url)\(Self.documents)/members/\(Self.kennitala)")
        let metrics = try await Self.metrics(server)
        await server.stop()
        #expect(status == 200)
        let health = try JSONValue(parsing: body)
        #expect(health["status"] == "ok")
        #expect(health["serves"]?.stringValue?.hasPrefix("firestore serve") == true)
        #expect(health["store"]?["project"] == "demo-cutover")
        #expect(health["store"]?["readable"] == true)
        #expect(health["auth_required"] == true)
        #expect(health["faults_injected"] == false)
        guard case .double(let uptime)? = health["uptime_seconds"] else {
            Issue.record("no uptime in \(body)")
            return
        }
        #expect(uptime >= 0 && uptime <= upperBound)
        #expect(refused == 401)
        #expect(metrics.value(Self.rejections, ["reason": "unauthenticated"]) == 1)
        #expect(metrics.value(Self.requests, ["route": "/healthz", "status": "200"]) == 1)
    }

    @Test func metricsCountRoutesByTemplateAndRefusalsByReason() async throws {
        let server = try await LocalServer.start(store: try temporaryStore())
        let before = try await Self.metrics(server)
        let member = "\(server.url)\(Self.documents)/members/\(Self.kennitala)"
        let fields = #"{"fields": {"name": {"stringValue": "Jón Jónsson"}}}"#
        #expect(try await Self.send(member, method: "PATCH", body: fields).status == 200)
        #expect(try await Self.send(member).status == 200)
        #expect(try await Self.send("\(server.url)\(Self.documents)/members/\(Self.missing)").status == 404)
        #expect(try await Self.send("\(server.url)\(Self.documents):commit", method: "POST", body: "{").status == 400)
        #expect(try await Self.send("\(server.url)/nowhere/\(Self.kennitala)").status == 404)
        let text = try await Self.send("\(server.url)/metrics").body
        await server.stop()
        let after = try PrometheusText(text)

        // Known reasons are there at 0 before anything happened.
        #expect(before.value(Self.rejections, ["reason": "not_found"]) == 0)
        #expect(before.value(Self.rejections, ["reason": "invalid_argument"]) == 0)
        #expect(after.value(Self.requests, ["route": Self.document, "method": "PATCH", "status": "200"]) == 1)
        #expect(after.value(Self.requests, ["route": Self.document, "method": "GET", "status": "200"]) == 1)
        #expect(after.value(Self.requests, ["route": Self.document, "method": "GET", "status": "404"]) == 1)
        let commit = "/v1/projects/{project}/databases/{database}/documents:commit"
        #expect(after.value(Self.requests, ["route": commit, "method": "POST", "status": "400"]) == 1)
        #expect(after.value(Self.requests, ["route": "{unserved}", "status": "404"]) == 1)
        #expect(after.value(Self.rejections, ["reason": "not_found"]) == 2)
        #expect(after.value(Self.rejections, ["reason": "invalid_argument"]) == 1)
        // The latency histogram: buckets per route, cumulative, ending in +Inf with every request.
        let buckets = after.samples("cutover_http_request_duration_seconds_bucket", ["route": Self.document])
        #expect(buckets.count >= 10)
        #expect(buckets.first { $0.labels["le"] == "+Inf" }?.value == 3)
        #expect(after.value("cutover_http_request_duration_seconds_count", ["route": Self.document]) == 3)
        // No id of any document, nor any name, reaches a label.
        for secret in [Self.kennitala, Self.missing, "Jón"] { #expect(!text.contains(secret)) }
        let routes = Set(after.samples(Self.requests).compactMap { $0.labels["route"] })
        #expect(routes.allSatisfy { !$0.contains("members") && !$0.contains("demo-cutover") }, "\(routes)")
    }

    @Test func injectedFaultsAreCountedAndNeverHitHealthOrMetrics() async throws {
        var options = FirestoreHTTPServer.Options()
        options.faults.failureRates = [(status: 503, fraction: 1)]
        let server = try await LocalServer.start(store: try temporaryStore(), options: options)
        for _ in 0..<3 {
            #expect(try await Self.send("\(server.url)\(Self.documents)/members/\(Self.kennitala)").status == 503)
        }
        let (health, body) = try await Self.send("\(server.url)/healthz")
        let metrics = try await Self.metrics(server)
        await server.stop()
        #expect(health == 200)
        #expect(try JSONValue(parsing: body)["faults_injected"] == true)
        #expect(metrics.value("cutover_firestore_faults_injected_total", ["fault": "http_503"]) == 3)
        #expect(metrics.value(Self.requests, ["route": Self.document, "status": "503"]) == 3)
        // An injected failure is the server's doing, not a client's mistake.
        #expect(metrics.total(Self.rejections) == 0)
    }

    @Test func accessLogHasOneLinePerRequestWithoutIdsBodiesOrTokens() async throws {
        let lines = CapturedLines()
        var options = FirestoreHTTPServer.Options()
        options.requiredToken = "secret-token"
        options.accessLog = Logger(label: "test.access") { _ in CapturingLogHandler(lines: lines) }
        let server = try await LocalServer.start(store: try temporaryStore(), options: options)
        let member = "\(server.url)\(Self.documents)/members/\(Self.kennitala)"
        let fields = #"{"fields": {"email": {"stringValue": "jon@example.is"}}}"#
        _ = try await Self.send(member, method: "PATCH", body: fields, token: "secret-token")
        _ = try await Self.send(member, token: "secret-token")
        _ = try await Self.send(member)
        _ = try await Self.send("\(server.url)/healthz")
        _ = try await Self.send("\(server.url)/metrics")
        await server.stop()
        let logged = lines.all
        #expect(logged.count == 5, "\(logged)")
        let shape = #/^(GET|PATCH) \S+ \d{3} \d+\.\d ms$/#
        #expect(logged.allSatisfy { $0.wholeMatch(of: shape) != nil }, "\(logged)")
        #expect(logged.first?.hasPrefix("PATCH \(Self.document) 200 ") == true)
        #expect(logged[2].hasPrefix("GET \(Self.document) 401 "))
        for secret in [Self.kennitala, "jon@example.is", "secret-token", "demo-cutover"] {
            #expect(logged.allSatisfy { !$0.contains(secret) }, "\(secret) in \(logged)")
        }
    }
}

/// Log messages kept in memory, for tests that read what a server logged.
final class CapturedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct CapturingLogHandler: LogHandler {
    let lines: CapturedLines
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { lines.append(event.message.description) }
}
