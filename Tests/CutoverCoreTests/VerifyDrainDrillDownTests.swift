import CutoverCore
import CutoverLedger
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// Drill-down beyond the replay: a verify restricted to some members or to a window of queue rows
/// reconciles only them and says so; a drain's dry run restricted the same way plans exactly what the
/// whole dry run plans for those rows, and a real drain refuses a restriction; the ledger never lets
/// a drill-down stand for its step; and one member's register row against its document, as verify
/// compares them.
struct VerifyDrainDrillDownTests {
    /// A world drained, with one applied member's stored name changed behind the drain's back.
    static func drainedWithOneDifferent(_ directory: String) async throws -> (CutoverWorld, String, String) {
        let world = try await CutoverWorld(directory: directory)
        let drained = try await world.drain()
        let applied = try drained.results.filter { $0.outcome == .applied && $0.action != .delete }
            .map(\.kennitala).filter { !Kennitala.isPlaceholder($0) }
        let tampered = try #require(applied.first)
        let untouched = try #require(applied.first { $0 != tampered })
        _ = try await world.store.commit([
            .update("members/\(tampered)", [FieldPath(["profile", "name"]): "Someone Else"])
        ])
        return (world, tampered, untouched)
    }

    func verify(_ world: CutoverWorld, _ scope: ReplayScope) async throws -> VerifyReport {
        var configuration = DrainVerifier.Configuration(
            table: world.table, journalPath: world.journalPath, rules: .shipped())
        configuration.scope = scope
        return try await DrainVerifier(configuration: configuration, database: world.database, store: world.store)
            .run()
    }

    @Test func aVerifyRestrictedToMembersOrAWindowReconcilesOnlyThemAndSaysSo() async throws {
        try await withTemporaryDirectory { directory in
            let (world, tampered, untouched) = try await Self.drainedWithOneDifferent(directory)
            let full = try await world.verify()
            #expect(full.reconciliation.counts == [.different: 1] && full.scopeDescription(masker: Masker()) == nil)

            let one = try await verify(world, try ReplayScope(members: [tampered]))
            #expect(one.reconciliation.members == 1 && one.reconciliation.documents == 1)
            #expect(one.reconciliation.counts == [.different: 1] && one.exitCode == ExitCode.verifyFailed.code)
            #expect(one.reconciliation.findings.map(\.paths) == [["profile.name"]])
            let named = try #require(one.scopeDescription(masker: Masker()))
            #expect(named.hasPrefix("1 member (\(tampered.prefix(6))-****") && !named.contains(tampered))
            #expect(one.json(masker: Masker())["scope"]?.stringValue == named)
            try one.write(into: "\(directory)/one", masker: Masker())
            let markdown = try String(contentsOfFile: "\(directory)/one/verify.md", encoding: .utf8)
            #expect(markdown.contains("- restricted to: **1 member ("), "\(markdown)")
            // The drain proof stays the whole queue's.
            #expect(one.proof.passes && one.proof.classified == full.proof.classified)

            let other = try await verify(world, try ReplayScope(members: [untouched]))
            #expect(other.passes && other.reconciliation.members == 1 && other.reconciliation.matching == 1)

            // A window: the members with a queue row created in it, whatever the row's status.
            let rows = try world.rows().values.sorted { $0.createdAt < $1.createdAt }
            let (since, until) = (rows[rows.count / 3].createdAt, rows[rows.count * 2 / 3].createdAt)
            let inWindow = Set(
                rows.filter { $0.createdAt >= since && $0.createdAt < until }.map { Kennitala.normalised($0.ssn) })
            let window = try await verify(world, try ReplayScope(since: since, until: until))
            let counted = window.reconciliation
            #expect(counted.members > 0 && counted.members < full.reconciliation.members)
            #expect(counted.members <= inWindow.count && counted.documents <= inWindow.count)
            #expect(counted.findings.allSatisfy { inWindow.contains($0.kennitala) })
            #expect(
                counted.findings.contains { $0.kennitala == tampered } == inWindow.contains(tampered),
                "the tampered member is found exactly when a row of it is in the window")
            #expect(
                window.scopeDescription(masker: Masker())
                    == "members with queue rows created from \(since.iso8601) until \(until.iso8601)")

            // A member in neither the register nor the store: nothing reconciled, and said so.
            let nobody = try await verify(world, try ReplayScope(members: ["0101010000"]))
            #expect(nobody.verdict == "inconclusive" && nobody.missing.first?.contains("drill-down") == true)
        }
    }

    @Test func aRestrictedDryRunPlansItsRowsAsTheWholeDryRunDoesAndARealDrainRefuses() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            func dryRun(_ scope: ReplayScope) async throws -> DrainReport {
                var configuration = Drainer.Configuration(table: world.table, journalPath: world.journalPath)
                configuration.includeFailed = true
                configuration.dryRun = true
                configuration.scope = scope
                return try await Drainer(
                    configuration: configuration, database: world.database, store: world.store,
                    clock: world.clock.closure
                ).run()
            }
            let whole = try await dryRun(.everything).results
            let planned = Dictionary(uniqueKeysWithValues: whole.map { ($0.rowID, $0.outcome) })
            let busiest = Dictionary(grouping: whole, by: \.kennitala).max { $0.value.count < $1.value.count }
            let chosen = try #require(busiest?.key)

            let oneReport = try await dryRun(try ReplayScope(members: [chosen]))
            let one = try oneReport.results
            #expect(!one.isEmpty && one.allSatisfy { $0.kennitala == chosen })
            #expect(Set(one.map(\.rowID)) == Set(whole.filter { $0.kennitala == chosen }.map(\.rowID)))
            #expect(one.allSatisfy { planned[$0.rowID] == $0.outcome })
            #expect(try oneReport.text(masker: Masker()).contains("restricted to: 1 member (\(chosen.prefix(6))-****)"))

            // A window: the rows created in it, each planned as the whole run plans it.
            let rows = try world.rows()
            let times = whole.compactMap { rows[$0.rowID]?.createdAt }.sorted()
            let (since, until) = (times[times.count / 4], times[times.count * 3 / 4])
            let windowReport = try await dryRun(try ReplayScope(since: since, until: until))
            let window = try windowReport.results
            let expected = whole.filter { result in
                rows[result.rowID].map { $0.createdAt >= since && $0.createdAt < until } ?? false
            }
            #expect(!expected.isEmpty && Set(window.map(\.rowID)) == Set(expected.map(\.rowID)))
            #expect(window.allSatisfy { planned[$0.rowID] == $0.outcome })
            var json = ""
            try windowReport.writeJSON(masker: Masker()) { json += $0 }
            #expect(json.contains("\"scope\": \"rows created from \(since.iso8601) until \(until.iso8601)\""))

            var real = Drainer.Configuration(table: world.table, journalPath: world.journalPath)
            real.scope = try ReplayScope(members: [chosen])
            let refused = await #expect(throws: CutoverError.self) {
                _ = try await Drainer(configuration: real, database: world.database, store: world.store).run()
            }
            #expect(refused?.message.contains("strand") == true)
            #expect(
                try world.count("SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'synced'")
                    == rows.values.filter { $0.status == .synced }.count, "the refused drain touched nothing")
        }
    }

    @Test func theLedgerNeverLetsADrillDownStandForItsStep() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let ledger = try Ledger(path: path)
            for step in [Ledger.Step.snapshot, .parity, .drain] {
                try LedgerRun(ledger: ledger, step: step, started: .now).finish(
                    exitCode: 0, verdict: step == .drain ? .drained : step == .snapshot ? .written : .pass,
                    outputs: .init())
            }
            try LedgerRun(ledger: ledger, step: .verify, started: .now).finish(
                exitCode: 0, verdict: .drillDown, outputs: .init())
            #expect(try ledger.latest(.verify)?.passed == false)
            #expect(try ledger.latest(.verify)?.verdict == .drillDown)
            let problems = try ledger.problems(before: .archive, now: .now, maxAgeSeconds: 3_600)
            #expect(problems == ["verify is a drill-down (--member, --since or --until): run it without them"])
            let refused = #expect(throws: CutoverError.self) {
                _ = try LedgerRun.begin(ledger: path, step: .archive, force: false, maxAgeHours: 1)
            }
            #expect(refused?.kind == .outOfOrder && refused?.message.contains("drill-down") == true)
            // A whole verify afterwards stands again.
            try LedgerRun(ledger: ledger, step: .verify, started: .now).finish(
                exitCode: 0, verdict: .pass, outputs: .init())
            #expect(try ledger.problems(before: .archive, now: .now, maxAgeSeconds: 3_600).isEmpty)
        }
    }

    @Test func oneMembersRegisterRowAgainstItsDocumentAsVerifyComparesThem() async throws {
        try await withTemporaryDirectory { directory in
            let (world, tampered, untouched) = try await Self.drainedWithOneDifferent(directory)
            func shown(_ kennitala: String, _ masker: Masker) async throws -> RegisterSideBySide {
                let sides = try await RegisterSideBySide.sides(
                    database: world.database, schema: world.table.schema, store: world.store, kennitala: kennitala)
                return try RegisterSideBySide.compare(
                    kennitala: kennitala, sides: sides, rules: .shipped(), masker: masker)
            }
            let different = try await shown(tampered, Masker(unmasked: true))
            #expect(different.verdict == .different && different.member == tampered)
            let name = try #require(different.fields.first { $0.path == "profile.name" })
            #expect(name.verdict == .different && name.a == "\"Someone Else\"" && name.b != name.a)
            #expect(name.rule.contains("no rule accepts the difference"))
            // Exactly the fields verify names, and no other, differ.
            let full = try await world.verify()
            let finding = try #require(full.reconciliation.findings.first { $0.kennitala == tampered })
            #expect(different.fields.filter { $0.verdict == .different }.map(\.path) == finding.paths)
            #expect(different.fields.contains { $0.verdict == .ignored })

            let masked = try await shown(tampered, Masker())
            #expect(!masked.text.contains("Someone Else") && !masked.text.contains(tampered))
            #expect(masked.text.contains("different (as verify sees it)") && masked.text.contains("profile.name"))
            #expect(masked.json["view"]?.stringValue == "register")

            let matching = try await shown(untouched, Masker())
            #expect(matching.verdict == .matching && !matching.fields.contains { $0.verdict == .different })
            await #expect(throws: CutoverError.self) { _ = try await shown("0101010000", Masker()) }
        }
    }
}
