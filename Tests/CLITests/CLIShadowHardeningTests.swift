import CutoverCore
import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `cutover shadow serve` against strangers and clumsy senders (issue 19, servers): the key is checked
/// before anything else, rejected requests are recorded without their bodies, oversized and non-UTF-8
/// bodies are refused in the webhook's error shape, and the process's memory stays bounded.
struct CLIShadowHardeningTests {
    static func send(
        _ url: String, _ body: Data?, method: String = "POST", authorization: String? = nil
    ) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func strangersGetOnly401AndCannotGrowTheRecord() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try CLIShadowTests.Receiver(record: "record.sqlite", directory: directory)
            defer { receiver.server.stop() }
            // The method is not checked before the key: a stranger learns nothing, not even 405.
            #expect(try await Self.send(receiver.url, Data("{}".utf8), method: "PUT").0 == 401)
            let megabyte = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
            for _ in 0..<30 { #expect(try await Self.send(receiver.url, megabyte, method: "PUT").0 == 401) }
            let recording = try DeliveryRecording(path: "\(directory)/record.sqlite")
            let deliveries = try await recording.deliveries()
            #expect(deliveries.count == 31)
            #expect(deliveries.allSatisfy { $0.status == 401 && $0.kennitala.isEmpty && $0.action.isEmpty })
            let size =
                (try FileManager.default.attributesOfItem(atPath: "\(directory)/record.sqlite")[.size] as? Int) ?? 0
            let wal =
                (try? FileManager.default.attributesOfItem(atPath: "\(directory)/record.sqlite-wal")[.size] as? Int)
                ?? 0
            #expect(size + wal < 1_000_000, "30 MB of refused bodies grew the record to \(size + wal) bytes")
        }
    }

    /// The key is in the head and is checked before the body is read (README): a stranger sending more than
    /// the body limit is answered 401, not 413 — its body's size earns it no other answer — while the right
    /// key with the same body is answered 413; the limit bounds what is read either way.
    @Test func aStrangersOversizedBodyIs401AndTheRightKeysIs413() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try CLIShadowTests.Receiver(record: "record.sqlite", directory: directory)
            defer { receiver.server.stop() }
            let oversized = Data(repeating: 32, count: 2_000_000)
            #expect(try await Self.send(receiver.url, oversized, authorization: "Bearer wrong-key").0 == 401)
            #expect(try await Self.send(receiver.url, oversized).0 == 401)
            #expect(try await Self.send(receiver.url, oversized, method: "PUT").0 == 401)
            let (status, body) = try await Self.send(
                receiver.url, oversized, authorization: "Bearer \(CLIShadowTests.key)")
            #expect(status == 413 && body.contains("larger than"))
            // The strangers are recorded as the webhook's 401s, naming no member (their bodies were not kept).
            let deliveries = try await DeliveryRecording(path: "\(directory)/record.sqlite").deliveries()
            #expect(deliveries.map(\.status) == [401, 401, 401])
            #expect(deliveries.allSatisfy { $0.kennitala.isEmpty })
        }
    }

    @Test func oversizedAndNonUTF8BodiesAreRefusedInTheWebhooksShape() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try CLIShadowTests.Receiver(record: "record.sqlite", directory: directory)
            defer { receiver.server.stop() }
            let (status, body) = try await Self.send(
                receiver.url, Data(repeating: 32, count: 2_000_000), authorization: "Bearer \(CLIShadowTests.key)")
            #expect(status == 413)
            #expect(body.contains(#""error""#))
            var payload =
                Data(#"{"kennitala": "01017"#.utf8) + Data([0xC3, 0x28]) + Data(#"2389", "action": "delete"}"#.utf8)
            #expect(try await Self.send(receiver.url, payload, authorization: "Bearer \(CLIShadowTests.key)").0 == 400)
            payload = Data(#"{"kennitala": "0101702389", "action": "delete"}"#.utf8)
            #expect(try await Self.send(receiver.url, payload, authorization: "Bearer \(CLIShadowTests.key)").0 == 200)
        }
    }

    /// Random and malformed requests, bounded in count, some of them large and concurrent: answers are
    /// 2xx or 4xx, and the receiver's memory stays far below what the bodies add up to.
    @Test func randomRequestsGet4xxAndMemoryStaysBounded() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try CLIShadowTests.Receiver(record: "record.sqlite", directory: directory)
            defer { receiver.server.stop() }
            var random = SystemRandomNumberGenerator()
            let authorizations: [String?] = [
                nil, "Bearer \(CLIShadowTests.key)", "Token \(CLIShadowTests.key)", "Bearer \(CLIShadowTests.key)x",
                " ", "Bearer",
            ]
            let bodies: [Data] = [
                Data(), Data("{".utf8), Data("[]".utf8),
                Data(#"{"kennitala": 5, "action": "update", "data": {}}"#.utf8),
                Data(#"{"kennitala": "0101702389", "action": "update", "data": []}"#.utf8),
                Data((0..<512).map { _ in UInt8.random(in: 0...255, using: &random) }),
            ]
            for _ in 0..<200 {
                let method = ["POST", "PUT", "PATCH"].randomElement(using: &random)!
                let (status, body) = try await Self.send(
                    receiver.url, bodies.randomElement(using: &random)!, method: method,
                    authorization: authorizations.randomElement(using: &random)!)
                #expect((200..<500).contains(status), "\(method) → \(status) \(body.prefix(200))")
            }
            // Eight bodies of 20 MB at once: each is cut off at the limit, never held whole.
            let large = Data(repeating: UInt8(ascii: "x"), count: 20_000_000)
            try await withThrowingTaskGroup(of: Int.self) { group in
                let url = receiver.url
                for _ in 0..<8 {
                    group.addTask { try await Self.send(url, large, authorization: "Bearer \(CLIShadowTests.key)").0 }
                }
                for try await status in group { #expect(status == 413) }
            }
            let resident = residentKilobytes(receiver.server.process.processIdentifier)
            #expect(resident > 0 && resident < 160_000, "resident \(resident) kB after 160 MB of bodies")
            #expect(
                try await Self.send(
                    receiver.url, Data(#"{"kennitala": "0101702389", "action": "delete"}"#.utf8),
                    authorization: "Bearer \(CLIShadowTests.key)"
                ).0 == 200)
        }
    }
}
