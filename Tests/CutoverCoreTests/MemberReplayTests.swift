import CutoverCore
import CutoverSupport
import Firestore
import LegacySync
import Testing

/// One member through both paths' models, as a replay runs them: which rows each path sees, what it
/// does with them, and why (the lineage the parity report explains differences with).
struct MemberReplayTests {
    static let since = Timestamp(parsing: "2025-11-24T03:30:07.412Z")!
    static let runAt = Timestamp(parsing: "2025-11-26T03:30:00Z")!
    let replay = MemberReplay(since: since, runAt: runAt)
    let ssn = "0101702389"

    func row(
        _ id: Int64, _ action: QueueRow.Action, _ fields: [String: JSONValue] = [:],
        created: String = "2025-11-25T12:00:00Z",
        status: QueueRow.Status = .pending, ssn: String? = nil
    ) -> QueueRow {
        QueueRow(
            id: id, memberID: 1, ssn: ssn ?? self.ssn, action: action, fieldsChanged: fields,
            createdAt: Timestamp(parsing: created)!, syncedAt: nil, status: status, errorMessage: "", retryCount: 0)
    }

    func registered(_ ssn: String? = nil) -> RegisterMember {
        var member = RegisterMember(
            id: 7, ssn: ssn ?? self.ssn, name: "Guðrún Jónsdóttir", birthday: "1970-01-01", gender: 2,
            housingSituation: 1, reachable: true, groupable: false,
            dateJoined: Timestamp(parsing: "2021-03-04T12:00:00Z"))
        member.contact = .init(email: "g@example.is", phone: "+354 581-2345", foreignPhone: "", facebook: "")
        return member
    }

    func baseline(_ ssn: String? = nil) throws -> FirestoreDocument {
        let fields = try PathACreateDocument.fields(memberJSON: registered(ssn).pathAMemberJSON, serverTime: Self.since)
        return FirestoreDocument(path: "members/\(ssn ?? self.ssn)", fields: fields)
    }

    func changes(
        _ rows: [QueueRow], inRegister: Bool = true, baseline: FirestoreDocument? = nil, ssn: String? = nil
    ) -> MemberChanges {
        let member = registered(ssn)
        // Optional(…) spelled out: JSONValue is itself nil-literal-expressible (JSON null).
        return MemberChanges(
            kennitala: ssn ?? self.ssn, rows: rows, pathA: inRegister ? Optional(member.pathAMemberJSON) : .none,
            pathB: inRegister ? Optional(member.pathBDataJSON) : .none, baseline: baseline)
    }

    @Test func pathASkipsStrandedAndFailedRowsAndAppliesFreshOnes() async throws {
        let result = await replay.run(
            changes(
                [
                    row(1, .update, ["name": "Old"], created: "2025-11-20T10:00:00Z"),  // stranded
                    row(2, .update, ["name": "Failed"], status: .failed),
                    row(3, .update, ["name": "Fresh"]),
                ], baseline: try baseline()))
        #expect(result.pathAEvents.map(\.cause) == [.pathAStranded, .pathAFailedRow, nil])
        #expect(result.pathAEvents.map(\.outcome) == [.skipped, .skipped, .written])
        #expect(result.pathA?.fields["profile"]?.mapValue?["name"] == "Fresh")
        // Path A stamps its run's server time.
        #expect(result.pathA?.value(at: FieldPath(["metadata", "last_sync"])) == .timestamp(Self.runAt))
        // Path B got a webhook for each of the three: the register's current data, merged.
        #expect(result.pathBEvents.map(\.outcome) == [.written, .written, .written])
        #expect(result.pathB?.value(at: FieldPath(["profile", "name"])) == "Guðrún Jónsdóttir")
    }

    @Test func droppedFieldsAreTracedToThePathTheyWouldHaveReached() async throws {
        let result = await replay.run(
            changes([row(1, .update, ["reachable": false, "name": "Ný"])], baseline: try baseline()))
        let event = try #require(result.pathAEvents.first)
        #expect(event.cause == .pathADroppedField)
        #expect(event.scope == ["privacy.reachable"])
        #expect(event.explains("privacy.reachable") && !event.explains("profile.name"))
    }

    @Test func pathBSendsNothingForPlaceholdersAndContactEditsAlone() async throws {
        let placeholder = "9999010101"
        let skipped = await replay.run(changes([row(1, .create, ssn: placeholder)], ssn: placeholder))
        #expect(skipped.pathBEvents.map(\.cause) == [.pathBSkippedPlaceholder])
        #expect(skipped.pathB == nil && skipped.pathA != nil)  // Path A synced it

        let contact = await replay.run(
            changes([row(2, .update, ["email": "new@example.is"])], baseline: try baseline()))
        #expect(contact.pathBEvents.map(\.cause) == [.pathBNotSent])
        #expect(contact.pathA?.value(at: FieldPath(["profile", "email"])) == "new@example.is")
        #expect(contact.pathB?.value(at: FieldPath(["profile", "email"])) == "g@example.is")
    }

    @Test func deletesOfMissingDocumentsSucceedInAAndFailInB() async throws {
        let result = await replay.run(changes([row(1, .delete)], inRegister: false))
        #expect(result.pathAEvents.map(\.outcome) == [.noWrite])
        #expect(result.pathBEvents.map(\.outcome) == [.failed])
        #expect(result.pathBEvents.first?.cause == .pathBFailed)
        #expect(result.pathA == nil && result.pathB == nil)
    }

    @Test func updatesOfMissingDocumentsFailInAAndCreateInB() async throws {
        let result = await replay.run(changes([row(1, .update, ["name": "Ný"])]))
        #expect(result.pathAEvents.first?.cause == .pathAFailed)
        #expect(result.pathA == nil)
        #expect(result.pathB?.value(at: FieldPath(["profile", "kennitala"])) == .string(ssn))
        // The webhook's commit lands just after Django's POST; its own clock is the change's time.
        #expect(
            result.pathB?.value(at: FieldPath(["metadata", "last_modified"]))
                == .timestamp(Timestamp(parsing: "2025-11-25T12:00:00Z")!))
        #expect(
            result.pathB?.value(at: FieldPath(["metadata", "synced_at"]))
                == .timestamp(Timestamp(parsing: "2025-11-25T12:00:00.18Z")!))
    }

    @Test func membersGoneFromTheRegisterCannotBeReplayedThroughTheWebhook() async throws {
        let result = await replay.run(changes([row(1, .create)], inRegister: false))
        #expect(result.pathAEvents.first?.detail == "member endpoint answered 404")
        #expect(result.pathBEvents.first?.cause == .pathBNotReplayable)
    }

    @Test func writtenFieldsAreRecordedPerPath() async throws {
        let result = await replay.run(changes([row(1, .create)]))
        #expect(result.pathAWrote["kennitala"] == "stringValue" && result.pathAWrote["profile.gender"] == "stringValue")
        #expect(
            result.pathBWrote["profile.kennitala"] == "stringValue"
                && result.pathBWrote["profile.gender"] == "integerValue")
        #expect(result.pathBWrote["kennitala"] == nil)
        #expect(result.pathAWrote["metadata.last_sync"] == "timestampValue")
    }
}
