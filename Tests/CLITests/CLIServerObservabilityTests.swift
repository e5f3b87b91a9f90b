import CutoverSupport
import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The servers as an operator runs them (issue 20 points 2 and 3): `GET /healthz` and `GET /metrics`
/// without a key, counters that move with real requests, an access line per request on standard error
/// that carries no body, key or kennitala, and `--log-level` honoured.
struct CLIServerObservabilityTests {
    static let key = CLIShadowTests.key
    static let kennitala = "0101702389"

    static func send(
        _ url: String, _ body: Data? = nil, method: String = "GET", key: String? = nil
    ) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func shadow(in directory: String, logLevel: String? = nil) throws -> ServedProcess {
        try ServedProcess(
            ["shadow", "serve", "--listen", "127.0.0.1:0", "--record", "record.sqlite"]
                + (logLevel.map { ["--log-level", $0] } ?? []),
            environment: CutoverBinary.cleanEnvironment(["SYNC_API_KEY": key]), directory: directory,
            errorLog: "\(directory)/serve.log")
    }

    /// Six requests to the webhook, each refused for a different reason or accepted.
    static func deliveries(to url: String) async throws -> [Int] {
        let member = #"{"kennitala": "\#(kennitala)", "action": "update", "data": {"name": "Jón Jónsson"}}"#
        let delete = #"{"kennitala": "\#(kennitala)", "action": "delete"}"#
        return [
            try await send(url, Data(member.utf8), method: "POST", key: "wrong-key").status,
            try await send(url, Data("{not json".utf8), method: "POST", key: key).status,
            try await send(url, Data(repeating: 32, count: 2_000_000), method: "POST", key: key).status,
            try await send(url, Data(#"{"action": "delete"}"#.utf8), method: "POST", key: key).status,
            try await send(url, Data(member.utf8), method: "POST", key: key).status,
            try await send(url, Data(delete.utf8), method: "POST", key: key).status,
        ]
    }

    @Test func shadowServeCountsDeliveriesAndRejectionsByReason() async throws {
        try await withTemporaryDirectory { directory in
            let server = try Self.shadow(in: directory)
            defer { server.stop() }
            let before = try PrometheusText(try await Self.send("\(server.url)/metrics").body)
            #expect(try await Self.deliveries(to: server.url) == [401, 400, 413, 400, 200, 200])
            let (healthStatus, healthBody) = try await Self.send("\(server.url)/healthz")
            let (metricsStatus, text) = try await Self.send("\(server.url)/metrics")
            #expect(healthStatus == 200 && metricsStatus == 200)
            let health = try JSONValue(parsing: healthBody)
            #expect(health["status"] == "ok")
            #expect(health["record"]?["open"] == true)
            #expect(health["serves"]?.stringValue?.contains("recording only") == true)

            let metrics = try PrometheusText(text)
            let rejections = "cutover_shadow_rejections_total"
            #expect(before.value(rejections, ["reason": "bad_key"]) == 0)
            #expect(before.value("cutover_shadow_deliveries_recorded_total") == 0)
            for reason in ["bad_key", "bad_json", "too_large", "missing_kennitala"] {
                #expect(metrics.value(rejections, ["reason": reason]) == 1, "\(reason)")
            }
            #expect(metrics.value(rejections, ["reason": "bad_action"]) == 0)
            #expect(metrics.value("cutover_shadow_deliveries_recorded_total") == 2)
            #expect(metrics.value("cutover_shadow_record_failures_total") == 0)
            let requests = "cutover_http_requests_total"
            #expect(metrics.value(requests, ["route": "{webhook}", "method": "POST", "status": "401"]) == 1)
            #expect(metrics.value(requests, ["route": "{webhook}", "method": "POST", "status": "200"]) == 2)
            #expect(metrics.value(requests, ["route": "/healthz", "status": "200"]) == 1)
            let buckets = metrics.samples("cutover_http_request_duration_seconds_bucket", ["route": "{webhook}"])
            #expect(buckets.count >= 10)
            #expect(buckets.first { $0.labels["le"] == "+Inf" }?.value == 6)
            #expect(!text.contains(Self.kennitala) && !text.contains(Self.key))
        }
    }

    @Test func shadowServeLogsOneAccessLinePerRequestWithoutBodiesKeysOrKennitala() async throws {
        try await withTemporaryDirectory { directory in
            let server = try Self.shadow(in: directory)
            _ = try await Self.deliveries(to: server.url)
            _ = try await Self.send("\(server.url)/healthz")
            _ = try await Self.send("\(server.url)/metrics")
            #expect(server.stop() == 0)
            let log = try String(contentsOfFile: "\(directory)/serve.log", encoding: .utf8)
            let access = log.split(separator: "\n").filter { $0.contains("cutover.shadow.access") }
            #expect(access.count == 8, "\(log)")
            #expect(access.filter { $0.hasSuffix(" ms") && $0.contains("POST {webhook} ") }.count == 6, "\(access)")
            #expect(access.contains { $0.contains("GET /healthz 200 ") })
            #expect(access.contains { $0.contains("POST {webhook} 413 ") })
            // A refusal is logged once, on its access line, with its rejection counter's reason; an accepted
            // delivery's line has no reason.
            #expect(!log.contains("delivery rejected"), "\(log)")
            let webhook = access.filter { $0.contains("POST {webhook} ") }
            for (status, reason) in [
                ("401", "bad_key"), ("400", "bad_json"), ("413", "too_large"), ("400", "missing_kennitala"),
            ] {
                #expect(
                    webhook.contains { $0.contains("reason=\(reason) ") && $0.contains(" \(status) ") }, "\(reason)")
            }
            #expect(webhook.filter { $0.contains(" 200 ") }.allSatisfy { !$0.contains("reason=") }, "\(webhook)")
            #expect(
                log.split(separator: "\n").filter { $0.contains("Unauthorized") || $0.contains(" 401 ") }.count == 1)
            for secret in [Self.kennitala, "010170-2389", Self.key, "wrong-key", "Jón", "not json"] {
                #expect(!log.contains(secret), "\(secret) in the log")
            }

            // --log-level warning: no access lines at all.
            let quiet = try Self.shadow(in: directory, logLevel: "warning")
            _ = try await Self.deliveries(to: quiet.url)
            #expect(quiet.stop() == 0)
            let quietLog = try String(contentsOfFile: "\(directory)/serve.log", encoding: .utf8)
            #expect(!quietLog.contains("cutover.shadow.access"), "\(quietLog)")
        }
    }

    /// A record deleted under the running receiver: SQLite would keep writing to the unlinked file,
    /// so health says so (503) for a load balancer to act on.
    @Test func shadowHealthIs503WhenTheRecordIsGone() async throws {
        try await withTemporaryDirectory { directory in
            let server = try Self.shadow(in: directory)
            defer { server.stop() }
            #expect(try await Self.send("\(server.url)/healthz").status == 200)
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: "\(directory)/record.sqlite\(suffix)")
            }
            let (status, body) = try await Self.send("\(server.url)/healthz")
            #expect(status == 503)
            let health = try JSONValue(parsing: body)
            #expect(health["status"] == "unhealthy")
            #expect(health["record"]?["open"] == false)
            #expect(health["problem"]?.stringValue?.contains("gone") == true)
        }
    }

    @Test func firestoreServeCountsInjectedFaultsAndLogsRouteTemplates() async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(
                data: "\(directory)/served.sqlite", extraArguments: ["--fail-rate", "503=1"],
                errorLog: "\(directory)/serve.log")
            let document =
                "\(server.url)/v1/projects/demo-cutover/databases/(default)/documents/members/\(Self.kennitala)"
            for _ in 0..<3 { #expect(try await Self.send(document).status == 503) }
            let (healthStatus, healthBody) = try await Self.send("\(server.url)/healthz")
            let (_, text) = try await Self.send("\(server.url)/metrics")
            #expect(server.stop() == 0)
            #expect(healthStatus == 200)
            #expect(try JSONValue(parsing: healthBody)["faults_injected"] == true)
            let metrics = try PrometheusText(text)
            #expect(metrics.value("cutover_firestore_faults_injected_total", ["fault": "http_503"]) == 3)
            let template = "/v1/projects/{project}/databases/{database}/documents/{document}"
            #expect(metrics.value("cutover_http_requests_total", ["route": template, "status": "503"]) == 3)
            let log = try String(contentsOfFile: "\(directory)/serve.log", encoding: .utf8)
            let access = log.split(separator: "\n").filter { $0.contains("cutover.firestore.access") }
            #expect(access.count == 5, "\(log)")
            #expect(access.filter { $0.contains("GET \(template) 503 ") }.count == 3)
            #expect(!log.contains(Self.kennitala) && !text.contains(Self.kennitala))
        }
    }
}
