import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Testing

/// The executable path models, rule by rule against LEGACY.md §4 (Path A) and §5 (Path B).
struct PathModelTests {
    static let runTime = Timestamp(parsing: "2025-11-25T03:30:00Z")!
    static let lastSuccess = Timestamp(parsing: "2025-11-24T03:30:07.412Z")!

    func store() throws -> EmbeddedDocumentStore {
        try EmbeddedDocumentStore(path: NSTemporaryDirectory() + "paths-\(UUID().uuidString).sqlite")
    }

    func member(_ ssn: String, gender: Int = 2) -> RegisterMember {
        var member = RegisterMember(
            id: 1, ssn: ssn, name: "Guðrún", birthday: "1970-01-01", gender: gender, housingSituation: 1,
            reachable: true, groupable: false, dateJoined: Timestamp(parsing: "2021-03-04T12:00:00Z"))
        member.contact = .init(email: "g@example.is", phone: "581-2345", foreignPhone: "", facebook: "")
        member.simpleAddress = .init(street: "Laugavegur 1", postalCode: "101", city: "Reykjavík", country: "Ísland")
        return member
    }

    func row(
        _ id: Int64, _ ssn: String, _ action: QueueRow.Action, _ fields: [String: JSONValue] = [:],
        created: String = "2025-11-24T12:00:00Z"
    ) -> QueueRow {
        QueueRow(
            id: id, memberID: nil, ssn: ssn, action: action, fieldsChanged: fields,
            createdAt: Timestamp(parsing: created)!,
            syncedAt: nil, status: .pending, errorMessage: "", retryCount: 0)
    }

    func lastRunLog(_ store: EmbeddedDocumentStore) async throws {
        _ = try await store.commit([
            .set(
                "sync_logs/previous",
                [
                    "type": "bidirectional_sync", "status": "success",
                    "completed_at": .timestamp(Self.lastSuccess),
                ])
        ])
    }

    @Test func sinceRuleLeavesStrandedRowsBehind() async throws {
        let store = try store()
        try await lastRunLog(store)
        let django = InMemoryDjango(
            rows: [
                row(1, "0101702389", .create, created: "2025-11-20T10:00:00Z"),  // stranded: before the last run
                row(2, "0101702389", .create, created: "2025-11-24T12:00:00Z"),  // fresh
            ], members: [member("0101702389")])
        let report = try await PathANightlyRun(store: store, django: django, clock: { Self.runTime }).run()
        #expect(report.since == Self.lastSuccess)
        #expect(report.rowOutcomes == [2: .written])
        #expect(await django.rows.first { $0.id == 1 }?.status == .pending)
        #expect(await django.rows.first { $0.id == 2 }?.status == .synced)
        // The run's own record now drives the next run's `since`.
        let next = try await PathANightlyRun(
            store: store, django: django, clock: { Self.runTime.adding(seconds: 86_400) }
        ).run()
        #expect(next.since > Self.lastSuccess)
        #expect(next.rowOutcomes.isEmpty)
        // Without any successful run, `since` is the last 24 hours.
        let fresh = try await PathANightlyRun(
            store: try self.store(), django: InMemoryDjango(rows: [], members: []),
            clock: { Self.runTime }
        ).run()
        #expect(fresh.since == Self.runTime.adding(seconds: -86_400))
    }

    @Test func createsReplaceFailOnNotFoundAndOnGenderOutOfRange() async throws {
        let store = try store()
        try await lastRunLog(store)
        _ = try await store.commit([.set("members/0101702389", ["stale": true])])
        let django = InMemoryDjango(
            rows: [
                row(1, "0101702389", .create), row(2, "1201743399", .create), row(3, "0202023330", .create),
            ], members: [member("0101702389"), member("0202023330", gender: 7)])
        let report = try await PathANightlyRun(store: store, django: django, clock: { Self.runTime }).run()
        #expect(report.rowOutcomes[1] == .written)
        #expect(report.rowOutcomes[2] == .failed("member endpoint answered 404"))
        #expect(report.rowOutcomes[3] == .failed("invalid gender value 7"))
        let document = try #require(try await store.getDocument("members/0101702389"))
        #expect(document.fields["stale"] == nil)  // replaced
        #expect(document.value(at: FieldPath(["profile", "gender"])) == "female")
        #expect(document.value(at: FieldPath(["profile", "phone"])) == "581-2345")
        #expect(await django.rows.filter { $0.status == .pending }.map(\.id) == [2, 3])
    }

    @Test func updatesPatchMappedFieldsDropTheRestAndFailOnMissingDocuments() async throws {
        let store = try store()
        try await lastRunLog(store)
        _ = try await store.commit([
            .set("members/0101702389", ["kennitala": "0101702389", "profile": ["name": "Old", "gender": "male"]])
        ])
        let django = InMemoryDjango(
            rows: [
                row(
                    1, "0101702389", .update,
                    ["name": "New", "gender": 9, "housing_situation": 2, "reachable": false, "email": ""]),
                row(2, "0101702389", .update, ["groupable": true, "facebook": "x"]),
                row(3, "1201743399", .update, ["name": "Nobody"]),
            ], members: [])
        let report = try await PathANightlyRun(store: store, django: django, clock: { Self.runTime }).run()
        #expect(report.rowOutcomes[1] == .written)
        #expect(report.rowOutcomes[2] == .successWithoutWrite("every field dropped"))
        guard case .failed(let reason)? = report.rowOutcomes[3] else { Issue.record("row 3 should fail"); return }
        #expect(reason.contains("No document to update"))
        let document = try #require(try await store.getDocument("members/0101702389"))
        #expect(document.value(at: FieldPath(["profile", "name"])) == "New")
        #expect(document.value(at: FieldPath(["profile", "gender"])) == "unknown")  // out of range in an update
        #expect(document.value(at: FieldPath(["profile", "housingSituation"])) == "rental")
        #expect(document.value(at: FieldPath(["privacy", "reachable"])) == nil)  // dropped
        #expect(document.value(at: FieldPath(["profile", "email"])) == nil)  // empty: skipped
        #expect(document.value(at: FieldPath(["metadata", "last_sync"])) != nil)
        #expect(await django.rows.filter { $0.status == .synced }.map(\.id).sorted() == [1, 2])
    }

    @Test func deletesMarkInactiveAndOrphansCountAsSuccess() async throws {
        let store = try store()
        try await lastRunLog(store)
        _ = try await store.commit([.set("members/0101702389", ["membership": ["status": "active"]])])
        let django = InMemoryDjango(rows: [row(1, "0101702389", .delete), row(2, "0103097930", .delete)], members: [])
        let report = try await PathANightlyRun(store: store, django: django, clock: { Self.runTime }).run()
        #expect(report.rowOutcomes[1] == .written)
        #expect(report.rowOutcomes[2] == .successWithoutWrite("document does not exist (logged as a warning)"))
        #expect(
            try await store.getDocument("members/0101702389")?.value(at: FieldPath(["membership", "status"]))
                == "inactive")
        #expect(try await store.getDocument("members/0103097930") == nil)
        #expect(report.markedSynced == 2)
    }

    @Test func portalEditsAreGroupedLimitedToOneHundredAndIgnoredPathsStillSucceed() async throws {
        let store = try store()
        try await lastRunLog(store)
        var writes: [FirestoreWrite] = []
        for index in 0..<105 {
            writes.append(
                .set(
                    "sync_queue/s\(String(format: "%03d", index))",
                    [
                        "source": "firestore", "target": "django",
                        "kennitala": index % 2 == 0 ? "010170-2389" : "120174-3399",
                        "sync_status": "pending",
                        "created_at": .timestamp(Self.lastSuccess.adding(seconds: Int64(index))),
                        "changes": index == 0
                            ? ["profile.email": "new@example.is", "address.street": "Hverfisgata 1"]
                            : ["profile.name": .string("N\(index)")],
                    ]))
        }
        writes.append(
            .set(
                "sync_queue/camel",
                [
                    "source": "firestore", "target": "django", "kennitala": "010170-2389",
                    "status": "pending", "createdAt": .timestamp(Self.lastSuccess),
                    "changes": ["profile.name": "Camel"],
                ]))
        _ = try await store.commit(writes)
        let django = InMemoryDjango(rows: [], members: [member("0101702389")])
        let report = try await PathANightlyRun(store: store, django: django, clock: { Self.runTime }).run()
        #expect(report.reverseApplied + report.reverseFailed == 100)
        #expect(report.reverseApplied == 50)  // 0101702389's edits
        #expect(report.reverseFailed == 50)  // 1201743399 is not a member: "Member not found"
        #expect(report.ignoredReversePaths == ["address.street"])
        #expect(await django.members["0101702389"]?.contact?.email == "new@example.is")
        #expect(try await store.getDocument("sync_queue/s104")?.fields["sync_status"] == "pending")  // past the limit
        #expect(try await store.getDocument("sync_queue/camel")?.fields["status"] == "pending")  // never picked up
        #expect(try await store.getDocument("sync_queue/s001")?.fields["error_message"] == "Member not found")
    }

    @Test func pathBReplacesMergesAndFailsDeletesOfMissingDocuments() async throws {
        let store = try store()
        let webhook = PathBWebhook(store: store, clock: { Self.runTime })
        let member = member("0101702389")
        _ = try await store.commit([
            .set("members/0101702389", ["kennitala": "0101702389", "privacy": ["reachable": true]])
        ])
        let payload = try #require(PathBSender.payload(for: member, action: .update))
        #expect(
            await webhook.deliver(
                kennitala: Kennitala.hyphenated(payload.kennitala), action: .update, data: payload.data
            ).status == 200)
        var document = try #require(try await store.getDocument("members/0101702389"))
        #expect(document.fields["kennitala"] == "0101702389")  // merge: Path A's fields survive
        #expect(document.value(at: FieldPath(["profile", "phone"])) == "5812345")
        #expect(document.value(at: FieldPath(["profile", "gender"])) == 2)
        #expect(await webhook.deliver(kennitala: payload.kennitala, action: .create, data: payload.data).status == 200)
        document = try #require(try await store.getDocument("members/0101702389"))
        #expect(document.fields["kennitala"] == nil)  // create replaces
        #expect(await webhook.deliver(kennitala: payload.kennitala, action: .delete, data: .null).status == 200)
        #expect(
            try await store.getDocument("members/0101702389")?.value(at: FieldPath(["membership", "status"]))
                == "inactive")
        #expect(await webhook.deliver(kennitala: "1201743399", action: .delete, data: .null).status == 500)
        #expect(PathBSender.payload(for: self.member("9999000123"), action: .create) == nil)
    }

    @Test func pathBRequestContract() {
        func parse(_ body: String, method: String = "POST", auth: String? = "Bearer k") -> Int {
            switch PathBWebhookRequest.parse(method: method, authorization: auth, body: body, key: "k") {
            case .success: 200
            case .failure(let answer): answer.status
            }
        }
        let good = #"{"kennitala": "010170-2389", "action": "update", "data": {"ssn": "0101702389"}}"#
        #expect(parse(good) == 200)
        #expect(parse(good, auth: "Token k") == 200)
        #expect(parse(good, auth: "k") == 200)
        #expect(parse(good, method: "GET") == 405)
        // The key is checked first: a stranger's GET is 401, not 405.
        #expect(parse(good, method: "GET", auth: nil) == 401)
        #expect(PathBWebhookRequest.constantTimeEqual("k", "k") && !PathBWebhookRequest.constantTimeEqual("k", "kk"))
        #expect(parse(good, auth: "Bearer wrong") == 401)
        #expect(parse(good, auth: nil) == 401)
        #expect(parse("{not json") == 400)
        #expect(parse(#"{"action": "update", "data": {}}"#) == 400)
        #expect(parse(#"{"kennitala": "1", "action": "merge", "data": {}}"#) == 400)
        #expect(parse(#"{"kennitala": "1", "action": "update"}"#) == 400)
        #expect(parse(#"{"kennitala": "1", "action": "delete"}"#) == 200)
    }
}
