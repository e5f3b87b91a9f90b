import CutoverCore
import CutoverSupport
import DocumentParity
import Firestore
import Testing

/// Comparing two members' documents under rules: translation into Path A's terms, ignored and
/// accepted fields, causes from lineage.
struct DocumentComparerTests {
    let a = FirestoreDocument(
        path: "members/0101702389",
        fields: [
            "kennitala": "0101702389",
            "profile": ["gender": "female", "name": "G", "phone": "581-2345"],
            "membership": ["joined": "2021-03-04T12:00:00+00:00", "status": "active"],
            "metadata": ["last_sync": .timestamp(Timestamp(microseconds: 1))],
        ])
    let b = FirestoreDocument(
        path: "members/0101702389",
        fields: [
            "profile": ["kennitala": "0101702389", "gender": 2, "name": "G", "phone": "5812345"],
            "membership": ["date_joined": .timestamp(Timestamp(parsing: "2021-03-04T12:00:00Z")!), "status": "active"],
            "metadata": ["synced_at": .timestamp(Timestamp(microseconds: 2))],
        ])

    @Test func withoutRulesEveryShapeDifferenceShows() throws {
        let comparison = try #require(
            DocumentComparer(rules: .none).compare(kennitala: "0101702389", a: a, b: b, events: []))
        #expect(comparison.verdict == .different)
        let kinds = Dictionary(uniqueKeysWithValues: comparison.differences.map { ($0.path, $0.kind) })
        #expect(kinds["kennitala"] == .onlyInA && kinds["profile.kennitala"] == .onlyInB)
        #expect(kinds["profile.gender"] == .type && kinds["profile.phone"] == .value)
        #expect(kinds["membership.joined"] == .onlyInA && kinds["membership.date_joined"] == .onlyInB)
    }

    @Test func theShippedRulesTranslateIgnoreAndAccept() throws {
        let comparison = try #require(
            DocumentComparer(rules: .shipped()).compare(kennitala: "0101702389", a: a, b: b, events: []))
        #expect(comparison.verdict == .accepted)
        #expect(Set(comparison.equivalentPaths) == ["kennitala", "profile.gender", "membership.joined"])
        #expect(comparison.differences.map(\.path) == ["profile.phone"])
        #expect(comparison.differences.first?.acceptedBy?.reason.contains("7 digits") == true)
    }

    @Test func aDifferenceNoRuleAcceptsFailsAndCarriesItsCause() throws {
        var changed = b
        changed.setValue("Other", at: FieldPath(["profile", "name"]))
        let stranded = ReplayEvent(
            rowID: 4, action: .update, outcome: .skipped, detail: "stranded", cause: .pathAStranded,
            scope: ["profile.name"])
        let rules = try ParityRules(yaml: "version: 1\n", origin: "empty")
        let comparison = try #require(
            DocumentComparer(rules: rules).compare(kennitala: "0101702389", a: a, b: changed, events: [stranded]))
        let name = try #require(comparison.differences.first { $0.path == "profile.name" })
        #expect(name.causes == [.pathAStranded] && !name.isAccepted)
        #expect(comparison.verdict == .different)
        // The shipped rules accept what stranded rows explain.
        let shipped = try #require(
            DocumentComparer(rules: .shipped()).compare(kennitala: "0101702389", a: a, b: changed, events: [stranded]))
        #expect(shipped.verdict == .accepted)
    }

    @Test func documentsOnOneSideAreAcceptedOnlyByARule() throws {
        let failed = ReplayEvent(rowID: 9, action: .update, outcome: .failed, detail: "NOT_FOUND", cause: .pathAFailed)
        let comparison = try #require(
            DocumentComparer(rules: .shipped()).compare(kennitala: "0101702389", a: nil, b: b, events: [failed]))
        #expect(comparison.verdict == .onlyInB && !comparison.isAcceptable)
        let placeholder = try #require(
            DocumentComparer(rules: .shipped()).compare(kennitala: "9999000001", a: a, b: nil, events: []))
        #expect(placeholder.verdict == .onlyInA && placeholder.isAcceptable)
    }
    @Test func documentsDifferingOnlyInServerTimesAreEquivalent() throws {
        var later = b
        later.setValue(.timestamp(Timestamp(microseconds: 99)), at: FieldPath(["metadata", "synced_at"]))
        later.setValue(.timestamp(Timestamp(microseconds: 98)), at: FieldPath(["metadata", "last_modified"]))
        let comparer = DocumentComparer(rules: .shipped())
        let same = try #require(comparer.compare(kennitala: "0101702389", a: b, b: later, events: []))
        #expect(same.verdict == .equivalent && same.differences.isEmpty && same.equivalentPaths.isEmpty)
        // A real difference beside the server times is still found, and only it.
        later.setValue("Other", at: FieldPath(["profile", "name"]))
        let changed = try #require(comparer.compare(kennitala: "0101702389", a: b, b: later, events: []))
        #expect(changed.verdict == .different && changed.differences.map(\.path) == ["profile.name"])
    }

    @Test func aCorrespondenceReadingAnIgnoredFieldIsComparedAfterTranslation() throws {
        let rules = try ParityRules(
            yaml: """
                version: 1
                correspondences:
                  - a: metadata.last_sync
                    b: metadata.synced_at
                    reason: a test rule reading a server time under another name
                ignore:
                  - path: metadata.synced_at
                    reason: server time
                """, origin: "test")
        var later = b
        later.setValue(.timestamp(Timestamp(microseconds: 99)), at: FieldPath(["metadata", "synced_at"]))
        let comparison = try #require(
            DocumentComparer(rules: rules).compare(kennitala: "0101702389", a: b, b: later, events: []))
        #expect(comparison.verdict == .different && comparison.differences.map(\.path) == ["metadata.last_sync"])
    }
}
