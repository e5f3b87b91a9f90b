import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Postgres
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The shadow receiver through the binary: the webhook's contract, the tee, and a steady load.
struct CLIShadowTests {
    static let key = "test-sync-key"

    /// `cutover shadow serve` as a process, with the key in its environment.
    final class Receiver {
        let server: ServedProcess
        var url: String { server.url }
        init(record: String, arguments: [String] = [], directory: String) throws {
            server = try ServedProcess(
                ["shadow", "serve", "--listen", "127.0.0.1:0", "--record", record] + arguments,
                environment: CutoverBinary.cleanEnvironment(["SYNC_API_KEY": CLIShadowTests.key]), directory: directory)
        }
    }

    func post(
        _ url: String, _ body: String, authorization: String? = "Bearer \(key)", method: String = "POST"
    ) async throws -> Int {
        try await Self.post(url, body, authorization: authorization, method: method)
    }

    static func post(
        _ url: String, _ body: String, authorization: String? = "Bearer \(key)", method: String = "POST"
    ) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if method != "GET" { request.httpBody = Data(body.utf8) }
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        return try #require(response as? HTTPURLResponse).statusCode
    }

    @Test func badRequestsAreRejectedAndRecordedWithTheirReasons() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try Receiver(record: "record.sqlite", directory: directory)
            defer { receiver.server.stop() }
            #expect(try await post(receiver.url, "{}", authorization: "Bearer wrong") == 401)
            #expect(try await post(receiver.url, "", method: "GET") == 405)
            #expect(try await post(receiver.url, "{not json") == 400)
            #expect(
                try await post(receiver.url, #"{"action":"update","data":{}}"#, authorization: "Token \(Self.key)")
                    == 400)
            #expect(
                try await post(
                    receiver.url, #"{"kennitala":"0101702389","action":"merge","data":{}}"#, authorization: Self.key)
                    == 400)
            #expect(try await post(receiver.url, #"{"kennitala":"0101702389","action":"delete"}"#) == 200)
            let recording = try DeliveryRecording(path: "\(directory)/record.sqlite")
            let reasons = try await recording.deliveries().map { "\($0.status) \($0.reason)" }
            #expect(
                reasons == [
                    "401 Unauthorized", "405 Method not allowed", "400 Invalid JSON", "400 Missing kennitala",
                    "400 Invalid action", "200 ",
                ])
            // The key never reaches the record.
            let bytes = try String(contentsOfFile: "\(directory)/record.sqlite", encoding: .isoLatin1)
            #expect(!bytes.contains(Self.key))
        }
    }

    /// A tee: the caller gets the real webhook's answer, and the delivery is recorded regardless.
    @Test func forwardingTeesTheRealAnswerAndRecordsEveryDelivery() async throws {
        try await withTemporaryDirectory { directory in
            let real = try Receiver(
                record: "real.sqlite", arguments: ["--target", "embedded:\(directory)/real-b.sqlite"],
                directory: directory)
            defer { real.server.stop() }
            // This one reads its key from a file, not the environment.
            try "\(Self.key)\n".write(toFile: "\(directory)/key.txt", atomically: true, encoding: .utf8)
            let tee = try ServedProcess(
                [
                    "shadow", "serve", "--listen", "127.0.0.1:0", "--record", "tee.sqlite", "--forward", real.url,
                    "--key-file", "key.txt",
                ], environment: CutoverBinary.cleanEnvironment(), directory: directory)
            defer { tee.stop() }
            let create = #"{"kennitala":"010170-2389","action":"create","data":{"ssn":"0101702389","name":"Tee"}}"#
            #expect(try await post(tee.url, create) == 200)
            // A delete of a missing document: the real webhook answers 500, and so does the tee.
            #expect(try await post(tee.url, #"{"kennitala":"0202702389","action":"delete"}"#) == 500)
            let teed = try await DeliveryRecording(path: "\(directory)/tee.sqlite").deliveries().map(\.status)
            let received = try await DeliveryRecording(path: "\(directory)/real.sqlite").deliveries().map(\.status)
            #expect(teed == [200, 500])
            #expect(received == [200, 500])
            let document = try await DocumentStoreOpener.open("embedded:\(directory)/real-b.sqlite").getDocument(
                "members/0101702389")
            #expect(document?.value(at: FieldPath(["profile", "name"])) == "Tee")
        }
    }

    /// A bounded load: 2,000 deliveries at 500/s; every one answered and recorded.
    @Test func theReceiverKeepsUpWithFiveHundredDeliveriesASecond() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try Receiver(record: "record.sqlite", directory: directory)
            defer { receiver.server.stop() }
            let body = #"{"kennitala":"010170-2389","action":"update","data":{"ssn":"0101702389","name":"Load"}}"#
            let total = 2_000
            let rate = 500.0
            let start = Date()
            let url = receiver.url
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<total {
                    let due = start.addingTimeInterval(Double(index) / rate)
                    let wait = due.timeIntervalSinceNow
                    if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
                    group.addTask { try await Self.post(url, body) }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.count == total && statuses.allSatisfy { $0 == 200 })
            #expect(receiver.server.stop() == 0, "a graceful stop")
            let recorded = try await DeliveryRecording(path: "\(directory)/record.sqlite").count()
            #expect(recorded == total)
        }
    }
}

/// The live dual-run through the binary: a driver changes members in PostgreSQL and, as Django's
/// signals would, writes queue rows and POSTs webhooks — some failing, delayed, duplicated, one for a
/// change that rolled back — and the comparison finds exactly the planted gaps.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIShadowDualRunTests {
    @Test func theComparisonFindsExactlyThePlantedGaps() async throws {
        try await withTemporaryDirectory { directory in
            try await TestPostgres.withFreshDatabase { url in
                let production = "embedded:\(directory)/production.sqlite"
                let seeded = try await CutoverBinary.run(
                    [
                        "demo", "seed", "--into", url, "--firestore", production, "--members", "300",
                        "--queue-rows", "900",
                    ], directory: directory)
                try #require(seeded.exitCode == 0, "\(seeded.stderr)")
                let receiver = try CLIShadowTests.Receiver(
                    record: "record.sqlite", arguments: ["--target", "embedded:\(directory)/path-b.sqlite"],
                    directory: directory)
                defer { receiver.server.stop() }
                let shadowRun = [
                    "shadow", "run", "--source", url, "--record", "record.sqlite", "--shadow",
                    "embedded:\(directory)/path-a.sqlite",
                    "--baseline", production,
                ]
                let started = try await CutoverBinary.run(shadowRun, directory: directory)
                #expect(
                    started.stdout.contains("the dual-run starts after row 900"), "\(started.stdout)\(started.stderr)")
                // The receiver stamps deliveries with the wall clock, so rather than wait for time to pass the
                // test dates queue rows: the window opens a minute back, so that a row dated two seconds
                // before its delivery still falls inside it.
                let since = Timestamp.now.adding(seconds: -60)

                // The driver: Django's signals, one member at a time.
                let connection = try PostgresConnection(url)
                let database = try LegacyDatabaseOpener.open(url)
                let members = try connection.query(
                    "SELECT id, ssn FROM membership_comrade WHERE ssn NOT LIKE '9999%' ORDER BY id LIMIT 12"
                ).rows
                    .map { (id: $0[0]!, ssn: $0[1]!) }
                let placeholder = try #require(
                    try connection.query("SELECT id, ssn FROM membership_comrade WHERE ssn LIKE '9999%' LIMIT 1")
                        .rows.first.map { (id: $0[0]!, ssn: $0[1]!) })
                /// `createdAt` is the queue row's time as SQL (`now()` unless the test dates it).
                func change(
                    _ member: (id: String, ssn: String), name: String, queueRow: Bool = true,
                    createdAt: String = "now()"
                ) throws -> String {
                    try connection.execute("UPDATE membership_comrade SET name = '\(name)' WHERE id = \(member.id)")
                    if queueRow {
                        try connection.execute(
                            """
                            INSERT INTO membership_membersyncqueue (member_id, ssn, action, fields_changed, \
                            created_at, synced_at,
                                sync_status, error_message, retry_count)
                            VALUES (\(member.id), '\(member.ssn)', 'update', '{"name": "\(name)"}', \(createdAt), NULL,
                                'pending', '', 0)
                            """)
                    }
                    let data = try database.withConsistentRead { _ in
                        try RegisterReader(database: database, schema: "public", ssn: member.ssn).next()!.pathBDataJSON
                    }
                    return JSONValue.object([
                        "kennitala": .string(Kennitala.hyphenated(member.ssn)), "action": "update", "data": data,
                    ]).canonicalText
                }
                // Delivered as it should be.
                for member in members.prefix(5) {
                    #expect(try await CLIShadowTests.post(receiver.url, try change(member, name: "Sent Fine")) == 200)
                }
                // The POST failed on the key: recorded as rejected, the change never reached Path B.
                #expect(
                    try await CLIShadowTests.post(
                        receiver.url, try change(members[5], name: "Wrong Key"), authorization: "Bearer nope") == 401)
                // The POST never went out (Django does not retry).
                _ = try change(members[6], name: "Never Sent")
                // Sent twice.
                let twice = try change(members[7], name: "Sent Twice")
                #expect(try await CLIShadowTests.post(receiver.url, twice) == 200)
                #expect(try await CLIShadowTests.post(receiver.url, twice) == 200)
                // Delivered two seconds after its row (the row is dated two seconds back): still matched.
                let delayed = try change(members[8], name: "Sent Late", createdAt: "now() - interval '2 seconds'")
                // A change whose transaction rolled back after the POST: a delivery with no queue row.
                let body = try change(members[9], name: "Rolled Back", queueRow: false)
                try connection.execute("UPDATE membership_comrade SET name = 'Original' WHERE id = \(members[9].id)")
                #expect(try await CLIShadowTests.post(receiver.url, body) == 200)
                // A 9999 placeholder: queue row, no webhook, by design.
                _ = try change(placeholder, name: "Merged Duplicate")
                #expect(try await CLIShadowTests.post(receiver.url, delayed) == 200)
                // The window ends ten seconds ahead of the last delivery, not when the comparison gets to run
                // (a busy machine may take a while); with --settle 5s every delivery so far is judged, and a
                // change dated seven seconds ahead lies inside the settling window: not judged yet.
                let until = Timestamp.now.adding(seconds: 10)
                _ = try change(members[10], name: "Just Now", createdAt: "now() + interval '7 seconds'")

                let applied = try await CutoverBinary.run(shadowRun, directory: directory)
                #expect(applied.stdout.contains("11 rows applied"), "\(applied.stdout)")
                #expect(
                    try connection.query(
                        "SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending' AND id > 900"
                    )
                    .value(0, 0) == "11", "shadow run leaves the queue rows as they are")

                let compared = try await CutoverBinary.run(
                    [
                        "shadow", "compare", "--source", url, "--record", "record.sqlite", "--path-a",
                        "embedded:\(directory)/path-a.sqlite",
                        "--path-b", "embedded:\(directory)/path-b.sqlite", "--since", since.iso8601, "--until",
                        until.iso8601,
                        "--settle", "5s", "--unmask", "--json",
                    ], directory: directory)
                #expect(compared.exitCode == 11, "\(compared.stderr)")
                let report = try DecodedOutput.result(ShadowJSON.self, from: compared.stdout)
                var found: [String: Set<String>] = [:]
                for finding in report.findings { found[finding.kind, default: []].insert(finding.member) }
                #expect(found["missing-webhook"] == [members[5].ssn, members[6].ssn])
                #expect(found["duplicate-delivery"] == [members[7].ssn])
                #expect(found["webhook-without-row"] == [members[9].ssn])
                #expect(found["skipped-placeholder"] == [placeholder.ssn])
                #expect(found["in-flight"] == [members[10].ssn])
                #expect(found["rejected"] == [members[5].ssn])
                #expect(report.coverage["matched"] == 7, "five sent, one of the duplicate pair, one delayed")
                // Content: the members whose change reached one side only.
                let differing = Set(report.content.differences.map(\.member))
                #expect(differing == [members[5].ssn, members[6].ssn, members[9].ssn], "\(compared.stdout)")
            }
        }
    }
}
