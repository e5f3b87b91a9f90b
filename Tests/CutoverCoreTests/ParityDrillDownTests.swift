import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import TestSupport
import Testing

/// Drill-down: a replay restricted to some members or to a window of rows says so and is refused by
/// the gates; `parity show` puts one member's two documents side by side with each field's rule.
struct ParityDrillDownTests {
    static func members(_ report: ParityReport) throws -> [JSONValue] {
        var lines: [JSONValue] = []
        try report.members.forEach { lines.append($0) }
        return lines
    }

    @Test func aReplayRestrictedToMembersOrAWindowSaysSoAndNoGateAcceptsIt() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            _ = try await world.snapshot("snapshot.sqlite")
            let snapshot = "\(directory)/snapshot.sqlite"
            let unmasked = Masker(unmasked: true)
            let full = try await ParityReplay(.init(snapshotPath: snapshot, rules: .none, masker: unmasked)).run()
            let chosen = try Self.members(full).prefix(2).compactMap { $0["member"]?.stringValue }
            #expect(chosen.count == 2)

            let scope = try ReplayScope(members: chosen)
            let some = try await ParityReplay(
                .init(snapshotPath: snapshot, rules: .none, masker: unmasked, scope: scope)
            ).run()
            #expect(some.counts.membersCompared == 2)
            #expect(Set(try Self.members(some).compactMap { $0["member"]?.stringValue }) == Set(chosen))
            #expect(some.setting.scope?.hasPrefix("2 members") == true)
            let files = try some.write(into: "\(directory)/some")
            let file = try ParityReportFile(path: files.json)
            #expect(file.scope != nil && !file.letsGatesPass && file.summary.contains("drill-down"))
            let markdown = try String(contentsOfFile: "\(directory)/some/parity.md", encoding: .utf8)
            #expect(markdown.contains("- restricted to: **2 members ("))
            // A full replay stays a gate's evidence.
            let whole = try ParityReportFile(path: try full.write(into: "\(directory)/full").json)
            #expect(whole.scope == nil)

            // A window of created_at: exactly the unsynced rows created in it are replayed.
            let unsynced = try world.rows().values.filter { $0.status != .synced }.map(\.createdAt).sorted()
            let (since, until) = (unsynced[unsynced.count / 4], unsynced[unsynced.count * 3 / 4])
            let window = try await ParityReplay(
                .init(snapshotPath: snapshot, rules: .none, scope: try ReplayScope(since: since, until: until))
            ).run()
            #expect(window.counts.rowsReplayed == unsynced.filter { $0 >= since && $0 < until }.count)
            #expect(window.setting.scope == "rows created from \(since.iso8601) until \(until.iso8601)")
            #expect(throws: CutoverError.self) { try ReplayScope(since: until, until: since) }
            #expect(throws: CutoverError.self) { try ReplayScope(members: ["12345"]) }
        }
    }

    @Test func showPutsOneMembersDocumentsSideBySideWithEachFieldsRule() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            _ = try await world.snapshot("snapshot.sqlite")
            let snapshot = "\(directory)/snapshot.sqlite"
            let unmasked = Masker(unmasked: true)
            let report = try await ParityReplay(.init(snapshotPath: snapshot, rules: .shipped(), masker: unmasked))
                .run()
            // A member both paths leave a document for, with a difference: every field is judged.
            let line = try #require(
                try Self.members(report).first {
                    $0["verdict"] == "accepted" || $0["verdict"] == "different"
                })
            let kennitala = try #require(line["member"]?.stringValue)
            let shown = try await MemberSideBySide.replay(
                snapshotPath: snapshot, kennitala: kennitala, rules: .shipped(), masker: unmasked)
            #expect(shown.member == kennitala)
            #expect(shown.verdict?.rawValue == line["verdict"]?.stringValue)
            guard case .array(let differing)? = line["differing_paths"] else { throw CutoverError(.input, "no paths") }
            for path in differing.compactMap(\.stringValue) {
                let field = try #require(shown.fields.first { $0.path == path }, "\(path)")
                #expect(field.verdict == .accepted || field.verdict == .different)
                #expect(field.verdict != .accepted || field.rule.hasPrefix("accept "))
            }
            // Shapes the rules translate: gender is an int in B and a name in A, yet equivalent.
            if let gender = shown.fields.first(where: { $0.path == "profile.gender" }), gender.a != gender.b {
                #expect(gender.verdict == .equivalent && gender.rule.contains("map gender"))
            }
            #expect(shown.fields.contains { $0.verdict == .ignored && $0.rule.hasPrefix("ignore metadata.") })

            // Masked by default: the tag beside the mask, no kennitala anywhere in the output.
            let masked = try await MemberSideBySide.replay(
                snapshotPath: snapshot, kennitala: kennitala, rules: .shipped(), masker: Masker())
            #expect(masked.member.hasPrefix(String(kennitala.prefix(6)) + "-**** "))
            #expect(!masked.text.contains(kennitala) && !masked.json.prettyText.contains(kennitala))
            #expect(masked.text.contains("field") && masked.text.contains("Path A:"))

            await #expect(throws: CutoverError.self) {
                _ = try await MemberSideBySide.replay(
                    snapshotPath: snapshot, kennitala: "0000000000", rules: .shipped(), masker: Masker())
            }
        }
    }
}
