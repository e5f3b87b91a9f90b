import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// Path B's transform against the golden cases (one per rule of LEGACY.md §5), in-process and through
/// `cutover shadow serve` — the live dual-run's receiver — with payloads shaped as Django's signal
/// handler builds them (integer postal codes and numbers, `{}` local addresses, foreign addresses
/// current and not).
struct PathBGoldenTests {
    static let serverTime = Timestamp(parsing: "2025-11-25T10:00:00.180Z")!
    static let functionClock = Timestamp(parsing: "2025-11-25T10:00:00Z")!

    @Test func theGoldenFileHasOneCasePerRuleEachForItsOwnMember() throws {
        let cases = try PathBGolden.load()
        #expect(cases.count >= 17)
        #expect(Set(cases.map(\.rule)).count == cases.count)
        #expect(Set(cases.map(\.documentID)).count == cases.count)
    }

    @Test func theTransformWritesEveryGoldenDocument() throws {
        for golden in try PathBGolden.load() {
            let written = PathBMemberDocument.fields(
                data: golden.data, serverTime: Self.serverTime, functionClock: Self.functionClock)
            let expected = golden.fields(serverTime: Self.serverTime, functionClock: Self.functionClock)
            #expect(written == expected, "\(golden.rule)")
            if written != expected {
                // The address list is where the rules live: show it alone when the documents differ.
                #expect(
                    written["profile"]?.mapValue?["addresses"] == expected["profile"]?.mapValue?["addresses"],
                    "\(golden.rule)")
            }
        }
    }

    /// The acceptance's live dual-run: every golden payload posted to `shadow serve --target`, as Django
    /// posts it; each Path B document the receiver writes equals the golden document.
    @Test func shadowServeWritesTheGoldenDocuments() async throws {
        let cases = try PathBGolden.load()
        try await withTemporaryDirectory { directory in
            let receiver = try CLIShadowTests.Receiver(
                record: "record.sqlite", arguments: ["--target", "embedded:\(directory)/shadow-b.sqlite"],
                directory: directory)
            for golden in cases {
                let body = JSONValue.object([
                    "kennitala": .string(golden.kennitala), "action": "create", "data": golden.data,
                ]).canonicalText
                #expect(try await CLIShadowTests.post(receiver.url, body) == 200, "\(golden.rule)")
            }
            #expect(receiver.server.stop() == 0)
            let store = try DocumentStoreOpener.open("embedded:\(directory)/shadow-b.sqlite")
            for golden in cases {
                let document = try #require(
                    try await store.getDocument("members/\(golden.documentID)"), "\(golden.rule)")
                // The times are the receiver's: taken from the document, checked to be timestamps.
                guard case .timestamp(let synced)? = document.value(at: FieldPath(["metadata", "synced_at"])),
                    case .timestamp(let modified)? = document.value(at: FieldPath(["metadata", "last_modified"]))
                else {
                    Issue.record("\(golden.rule): metadata times are not timestamps")
                    continue
                }
                #expect(document.fields == golden.fields(serverTime: synced, functionClock: modified), "\(golden.rule)")
            }
            // Every delivery was recorded and answered 200.
            let statuses = try await DeliveryRecording(path: "\(directory)/record.sqlite").deliveries().map(\.status)
            #expect(statuses == Array(repeating: 200, count: cases.count))
        }
    }
}
