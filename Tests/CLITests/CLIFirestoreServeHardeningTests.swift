import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `cutover firestore serve` as an operator runs it, a process on loopback, under random, malformed and
/// large requests (issue 19 point 1): it stays up, answers 2xx, 4xx or 501 (a route it does not serve),
/// and its memory stays bounded by its body limit, not by what is sent to it. (`ServerHardeningTests`
/// checks each refusal's shape in-process.)
struct CLIFirestoreServeHardeningTests {
    static func send(_ url: String, _ body: Data?, method: String) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func randomRequestsNeverGetAServerErrorAndMemoryStaysBounded() async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
            defer { server.stop() }
            let base = "\(server.url)/v1/projects/p/databases/%28default%29/documents"
            var random = SystemRandomNumberGenerator()
            let suffixes = [
                "", ":commit", ":runQuery", ":batchGet", "/members", "/members/1", "/a/b/c/d", "/%00", "/members/..",
                ":listCollectionIds", "/members?pageSize=-1", "/members?pageToken=%%%", "/members?mask.fieldPaths=a.b",
            ]
            let bodies: [Data] = [
                Data(), Data("{".utf8), Data("null".utf8), Data("[1,2]".utf8), Data([0xff, 0xfe, 0x22]),
                Data(#"{"structuredQuery": {"from": [{"collectionId": "members"}], "limit": -1}}"#.utf8),
                Data(#"{"writes": [{"update": {"name": "x", "fields": {"n": {"integerValue": "9e99"}}}}]}"#.utf8),
                Data((0..<512).map { _ in UInt8.random(in: 0...255, using: &random) }),
            ]
            for _ in 0..<200 {
                let method = ["GET", "POST", "PATCH", "DELETE"].randomElement(using: &random)!
                let suffix = suffixes.randomElement(using: &random)!
                // URLSession on Linux refuses to send a body with GET or DELETE.
                let body = ["GET", "DELETE"].contains(method) ? nil : bodies.randomElement(using: &random)!
                let (status, text) = try await Self.send(base + suffix, body, method: method)
                // 501 is Firestore's UNIMPLEMENTED, the stand-in's answer for a method and route it does not
                // serve (listCollectionIds, or GET on :batchGet): a deliberate answer, not a failure.
                #expect(
                    (200..<500).contains(status) || status == 501, "\(method) \(suffix) → \(status) \(text.prefix(200))"
                )
            }
            // Eight bodies of 40 MB at once, 320 MB in all: each is refused at the 16 MiB limit. The
            // server may close the connection before the client has sent everything, which the client
            // sees as an error instead of the 413; either way nothing past the limit is held.
            let large = Data(repeating: UInt8(ascii: "x"), count: 40_000_000)
            let statuses = await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<8 {
                    group.addTask { try? await Self.send("\(base):commit", large, method: "POST").0 }
                }
                var statuses: [Int?] = []
                for await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.allSatisfy { $0 == nil || $0 == 413 } && statuses.contains(413), "\(statuses)")
            let resident = residentKilobytes(server.process.processIdentifier)
            #expect(resident > 0 && resident < 256_000, "resident \(resident) kB after 320 MB of bodies")
            // Still up, and still serving.
            #expect(try await Self.send("\(base)/members", nil, method: "GET").0 == 200)
            #expect(server.process.isRunning)
        }
    }
}
