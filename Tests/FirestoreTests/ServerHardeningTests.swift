import CutoverSupport
import Firestore
import Foundation
import LocalServers
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The local Firestore server against clumsy and hostile clients (issue 19, servers): every mistake a
/// client can make is a 4xx in Google's error shape, and the server stays up.
@Suite struct ServerHardeningTests {
    func withServer(_ body: (String) async throws -> Void) async throws {
        let path = NSTemporaryDirectory() + "hardening-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try EmbeddedDocumentStore(path: path, database: DatabaseName(project: "p"))
        let server = try await LocalServer.start(store: store)
        do { try await body("\(server.url)/v1/projects/p/databases/%28default%29/documents") } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func call(_ method: String, _ url: String, _ body: Data? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The server's error shape: {"error": {"code", "message", "status"}}.
    func errorStatus(_ body: String) -> String? {
        (try? JSONValue(parsing: body))?["error"]?["status"]?.stringValue
    }

    @Test func negativeLimitsAndOffsetsAreInvalidArgumentsNotACrash() async throws {
        try await withServer { base in
            for clause in [#""limit": -1"#, #""offset": -5"#, #""limit": {"value": -3}"#, #""limit": 99999999999"#] {
                let query = #"{"structuredQuery": {"from": [{"collectionId": "members"}], \#(clause)}}"#
                let (status, body) = try await call("POST", "\(base):runQuery", Data(query.utf8))
                #expect(status == 400, "\(clause)")
                #expect(errorStatus(body) == "INVALID_ARGUMENT", "\(clause): \(body)")
            }
            // Still up, and a sound query still answers.
            let query = #"{"structuredQuery": {"from": [{"collectionId": "members"}], "limit": 1}}"#
            #expect(try await call("POST", "\(base):runQuery", Data(query.utf8)).status == 200)
        }
    }

    @Test func clientMistakesInValuesAre400() async throws {
        try await withServer { base in
            let document = "projects/p/databases/(default)/documents/members/1"
            for fields in [
                #"{"n": {"integerValue": "99999999999999999999"}}"#, #"{"t": {"timestampValue": "yesterday"}}"#,
                #"{"x": {"unknownValue": 1}}"#,
            ] {
                let commit = #"{"writes": [{"update": {"name": "\#(document)", "fields": \#(fields)}}]}"#
                let (status, body) = try await call("POST", "\(base):commit", Data(commit.utf8))
                #expect(status == 400, "\(fields): \(body)")
                #expect(errorStatus(body) == "INVALID_ARGUMENT", "\(fields): \(body)")
            }
        }
    }

    @Test func oversizedBodiesAre413AndInvalidUTF8Is400() async throws {
        try await withServer { base in
            let huge = Data(repeating: UInt8(ascii: " "), count: 17 * 1_024 * 1_024)
            let (status, body) = try await call("POST", "\(base):commit", huge)
            #expect(status == 413)
            #expect((try? JSONValue(parsing: body))?["error"]?["code"] == .integer(413))
            // A kennitala with a byte that is not UTF-8 is refused, never stored with a replacement character.
            var commit = Data(
                #"{"writes": [{"update": {"name": "projects/p/databases/(default)/documents/members/1", "#.utf8)
            commit +=
                Data(#""fields": {"ssn": {"stringValue": "01017"#.utf8) + Data([0xFF]) + Data(#"2389"}}}}]}"#.utf8)
            let (badStatus, badBody) = try await call("POST", "\(base):commit", commit)
            #expect(badStatus == 400)
            #expect(errorStatus(badBody) == "INVALID_ARGUMENT")
            #expect(try await call("GET", "\(base)/members/1").status == 404)
            // The token endpoint's form is bounded too.
            let root = base.components(separatedBy: "/v1/").first ?? base
            #expect(try await call("POST", "\(root)/oauth2/token", Data(repeating: 97, count: 100_000)).status == 413)
        }
    }

    /// Random and malformed requests, bounded in count: none is answered 500, and the server still
    /// serves a sound request afterwards.
    @Test func randomRequestsNeverCrashTheServerOrAnswer500() async throws {
        try await withServer { base in
            var random = SystemRandomNumberGenerator()
            let methods = ["GET", "POST", "PATCH", "DELETE", "PUT"]
            let suffixes = [
                "", ":commit", ":runQuery", ":batchGet", "/members", "/members/1", "/a/b/c/d", "/%00", "/members/..",
                ":listCollectionIds", "/members?pageSize=-1", "/members?pageToken=%%%", "/members?mask.fieldPaths=a.b",
            ]
            let bodies: [() -> Data] = [
                { Data() }, { Data("{".utf8) }, { Data("null".utf8) }, { Data("[1,2]".utf8) },
                { Data(#"{"structuredQuery": {"from": [{"collectionId": 5}], "where": {"fieldFilter": {}}}}"#.utf8) },
                { Data(#"{"writes": [{"delete": 7}]}"#.utf8) }, { Data(#"{"documents": ["x"], "mask": {}}"#.utf8) },
                { Data((0..<256).map { _ in UInt8.random(in: 0...255, using: &random) }) },
                {
                    Data(
                        #"{"writes": [{"update": {"name": "projects/other/databases/(default)/documents/a/b"}}]}"#.utf8)
                },
            ]
            var statuses: [Int: Int] = [:]
            for _ in 0..<300 {
                let method = methods.randomElement(using: &random)!
                let suffix = suffixes.randomElement(using: &random)!
                // URLSession on Linux refuses to send a body with GET or DELETE.
                let payload = ["GET", "DELETE"].contains(method) ? nil : bodies.randomElement(using: &random)!()
                let (status, body) = try await call(method, base + suffix, payload)
                statuses[status, default: 0] += 1
                #expect(status != 500, "\(method) \(suffix) → \(status) \(body.prefix(200))")
            }
            #expect(try await call("GET", "\(base)/members").status == 200, "\(statuses)")
        }
    }
}
