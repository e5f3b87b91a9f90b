import CutoverDemo
import CutoverSupport
import DocumentParity
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

@testable import CutoverCore

/// One transform everywhere: on random payloads (see `PathBPayloadGenerator`), the replay's webhook,
/// `verify`'s expectation, the shadow receiver's Path B store and `drain --via webhook` write exactly
/// the document `PathBMemberDocument.fields` builds, and its addresses are §5's
/// (`PathBAddressOracle`); the demo's Path B documents are the transform of the register's payloads.
struct PathBTransformAgreementTests {
    static let time = Timestamp(parsing: "2025-11-25T10:00:00Z")!
    /// Three seeds of 1,111: 3,333 members in all, 9999 placeholders among them. The rarest corners the
    /// rules name (a placeholder, an empty local address, a number sent as "") come up about once in ten
    /// payloads, so each seed reaches every one a hundred times over (checked below). Three seeds of 3,333
    /// took 11.7 s of CPU, the in-process suites' largest share, for no corner these do not reach.
    static let payloadCount = 1_111

    func payloads(seed: UInt64) -> [(kennitala: String, data: JSONValue)] {
        var generator = PathBPayloadGenerator(seed: seed)
        return (0..<Self.payloadCount).map { _ in generator.payload() }
    }

    func createRow(_ kennitala: String) -> QueueRow {
        QueueRow(
            id: 1, memberID: 1, ssn: kennitala, action: .create, fieldsChanged: [:], createdAt: Self.time,
            syncedAt: nil,
            status: .pending, errorMessage: "", retryCount: 0)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyConsumerWritesTheTransformsDocument(seed: UInt64) async throws {
        let cases = payloads(seed: seed)
        // The generator must reach every corner the rules name, or agreement proves little.
        let texts = cases.map { $0.data.canonicalText }
        #expect(cases.contains { Kennitala.isPlaceholder(Kennitala.normalised($0.kennitala)) })
        #expect(texts.contains { $0.contains(#""local_address":{}"#) })
        #expect(texts.contains { $0.contains(#""number":"#) && $0.contains(#""postal_code":1"#) })
        #expect(texts.contains { $0.contains(#""number":""#) })
        #expect(
            cases.contains {
                ($0.data["foreign_addresses"].map { if case .array(let list) = $0 { list.count } else { 0 } } ?? 0) >= 3
            })
        #expect(cases.contains { $0.data["reachable"] == nil })

        // verify compares under the shipped ignores only: the shipped acceptances would hide an
        // address difference, and this test is about the expectation itself.
        var rules = ParityRules.shipped()
        rules.acceptances = []
        let comparer = DocumentComparer(rules: rules)
        try await withTemporaryDirectory { directory in
            let shadowStore = ScratchDocumentStore(serverTime: Self.time)
            let receiver = ShadowReceiver(
                recording: try DeliveryRecording(path: "\(directory)/record.sqlite"), key: "k",
                mode: .apply(shadowStore), clock: { Self.time })
            for (index, payload) in cases.enumerated() {
                let id = Kennitala.normalised(payload.kennitala)
                let path = "members/\(id)"
                let placeholder = Kennitala.isPlaceholder(id)
                let context = "seed \(seed), payload \(index): \(texts[index])"
                let expected = PathBMemberDocument.fields(
                    data: payload.data, serverTime: Self.time, functionClock: Self.time)
                #expect(
                    expected["profile"]?.mapValue?["addresses"] == PathBAddressOracle.addresses(payload.data),
                    "\(context)")

                // The shadow receiver (it applies whatever Django posts, 9999 members too).
                let body = JSONValue.object([
                    "kennitala": .string(payload.kennitala), "action": "create", "data": payload.data,
                ]).canonicalText
                let answer = try await receiver.receive(method: "POST", authorization: "Bearer k", body: body)
                #expect(answer.status == 200, "\(context)")
                #expect(try await shadowStore.getDocument(path)?.fields == expected, "shadow: \(context)")

                // The replay's webhook: the POST at the row's time, committed 180 ms later.
                let replay = MemberReplay(
                    since: Self.time.adding(seconds: -86_400), runAt: Self.time.adding(seconds: 3_600))
                let replayed = await replay.runPathB(
                    MemberChanges(kennitala: id, rows: [createRow(id)], pathB: payload.data))
                if placeholder {
                    #expect(replayed.document == nil, "replay: \(context)")
                } else {
                    let sentAt = Self.time
                    let landed = Timestamp(microseconds: sentAt.microseconds + MemberReplay.webhookLatencyMicroseconds)
                    let expected = PathBMemberDocument.fields(
                        data: payload.data, serverTime: landed, functionClock: sentAt)
                    #expect(replayed.document?.fields == expected, "replay: \(context)")
                }

                // drain --via webhook: the plan's one write, committed.
                let plan = MemberDrainPlan.make(
                    kennitala: id, rows: [createRow(id)], document: nil, pathB: payload.data,
                    via: .webhook, maxRetries: 5, now: Self.time)
                if placeholder {
                    #expect(plan.write == nil && plan.settled.map(\.outcome) == [.orphan], "drain: \(context)")
                } else {
                    let target = ScratchDocumentStore(serverTime: Self.time)
                    _ = try await target.commit([try #require(plan.write)])
                    #expect(try await target.getDocument(path)?.fields == expected, "drain: \(context)")
                }

                // verify's expectation: the transform's document matches; 9999 members are not expected.
                let pair = ReconciliationPair(
                    expected: .init(kennitala: id, pathB: payload.data.canonicalText),
                    document: FirestoreDocument(path: path, fields: expected))
                switch try pair.check(comparer) {
                case .placeholder: #expect(placeholder, "verify: \(context)")
                case .matching: #expect(!placeholder, "verify: \(context)")
                case .finding(let finding): Issue.record("verify found \(finding.paths): \(context)")
                }
            }
        }
    }

    /// verify is not agreeing by accident: a document with the old shape (number as an int) is a finding.
    @Test func verifyFindsADocumentWithTheOldAddressShape() throws {
        let data: JSONValue = [
            "ssn": "0101702389",
            "local_address": ["street": "Laugavegur", "number": 37, "postal_code": 101, "city": "R"],
        ]
        var fields = PathBMemberDocument.fields(data: data, serverTime: Self.time, functionClock: Self.time)
        #expect(
            fields["profile"]?.mapValue?["addresses"]?.json == [
                [
                    "street": "Laugavegur", "number": "37", "letter": "", "postal_code": "101",
                    "city": "R", "country": "IS", "is_default": true,
                ]
            ])
        var profile = fields["profile"]!.mapValue!
        profile["addresses"] = [
            [
                "street": "Laugavegur", "number": 37, "letter": "", "postal_code": "", "city": "R", "country": "IS",
                "is_default": true,
            ]
        ]
        fields["profile"] = .map(profile)
        var rules = ParityRules.shipped()
        rules.acceptances = []
        let pair = ReconciliationPair(
            expected: .init(kennitala: "0101702389", pathB: data.canonicalText),
            document: FirestoreDocument(path: "members/0101702389", fields: fields))
        guard case .finding(let finding) = try pair.check(DocumentComparer(rules: rules)) else {
            Issue.record("the old shape passed verify")
            return
        }
        #expect(finding.paths == ["profile.addresses"])
    }

    /// The demo's Path B documents (created or merged by the webhook after the last run) carry exactly
    /// what the transform makes of the register's payload for that member.
    @Test func theDemosPathBDocumentsAreTheTransformOfTheRegister() async throws {
        try await withTemporaryDirectory { directory in
            let plan = seedPlan(members: 400, queueRows: 1_200)
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            _ = try DemoSeeder(plan: plan).run(into: database)
            let store = try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite")
            _ = try await DemoFirestoreSeeder(plan: plan).run(into: store)
            var members: [RegisterMember] = []
            try database.withConsistentRead { _ in
                try RegisterReader(database: database, schema: "public").scan { members.append($0) }
            }
            var checked = 0
            for member in members {
                guard let document = try await store.getDocument("members/\(member.ssn)"),
                    case .timestamp(let synced)? = document.value(at: FieldPath(["metadata", "synced_at"]))
                else { continue }  // not written by the webhook
                let leaves = FlatDocument(document.fields).leaves
                let expected = FlatDocument(
                    PathBMemberDocument.fields(data: member.pathBDataJSON, serverTime: synced, functionClock: synced)
                ).leaves
                for (path, value) in expected where path != "metadata.last_modified" {
                    #expect(leaves[path] == value, "member \(member.id) \(path)")
                }
                checked += 1
            }
            #expect(checked > 10)
        }
    }
}
