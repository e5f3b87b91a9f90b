import CutoverCore
import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// `ParityReplay` in-process on a snapshot of the demo world: what it replays and from when, what
/// the shipped rules leave explained, the A/A noise, and byte-identical JSON from the same snapshot.
struct ParityReplayTests {
    func json(_ report: ParityReport) throws -> String {
        var text = ""
        try report.writeJSON { text += $0 }
        return text
    }

    @Test func theReplayCoversTheUnsyncedRowsFromTheSnapshotsMoment() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let snapshot = try await world.snapshot("snapshot-before.sqlite")
            let report = try await world.parity()
            let unsynced = try world.rows().values.filter { $0.status != .synced }
            #expect(report.counts.rowsReplayed == unsynced.count)
            #expect(report.counts.membersReplayed == Set(unsynced.map(\.normalisedSSN)).count)
            #expect(report.counts.registerMembers == world.seeded.members)
            #expect(report.counts.baselineDocuments == (try await world.store.count(collection: "members")))
            #expect(report.problems.isEmpty)
            // Path A's next run happens at the snapshot's moment, since the last successful run in sync_logs.
            #expect(report.setting.pathARunAt.iso8601 == snapshot.manifest.values["source_read_at"])
            #expect(report.setting.pathASince == DemoTimeline.lastSuccessfulRunCompleted)
            #expect(report.setting.snapshotID == snapshot.manifest.snapshotID)
            #expect(report.setting.masked)
        }
    }

    /// Under the shipped rules every remaining difference is explained and every A/A noise field is
    /// ignored; with no rules the raw shapes fail and the noise shows.
    @Test func theShippedRulesExplainWhatNoRulesShowRaw() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let path = "\(directory)/snapshot.sqlite"
            _ = try await world.snapshot("snapshot.sqlite")
            let raw = try await ParityReplay(.init(snapshotPath: path, rules: .none)).run()
            #expect(raw.verdict == .fail && raw.verdict.exitCode == 11)
            #expect(raw.noise.notIgnored.contains("metadata.last_sync"), "\(raw.noise.notIgnored)")
            #expect(raw.counts[.different] > 0)

            let shipped = try await ParityReplay(.init(snapshotPath: path, rules: .shipped())).run()
            #expect(shipped.noise.notIgnored.isEmpty, "\(shipped.noise.notIgnored)")
            #expect(shipped.noise.membersCompared == raw.noise.membersCompared && shipped.noise.membersCompared > 0)
            #expect(shipped.counts.membersCompared == raw.counts.membersCompared)
            #expect(shipped.verdict == (shipped.failingMembers == 0 ? .accepted : .fail))
            var explained = 0
            try shipped.members.forEach { line in
                let explanation = line["explanation"]?.stringValue ?? ""
                #expect(!explanation.isEmpty && !explanation.contains("unexplained"), "\(line)")
                explained += 1
            }
            #expect(explained == shipped.members.count && explained > 0)
        }
    }

    /// The same snapshot replayed twice gives the same bytes, and its members are masked.
    @Test func theSameSnapshotGivesTheSameBytesMasked() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory, members: 120, queueRows: 600)
            _ = try await world.snapshot("snapshot.sqlite")
            let configuration = ParityReplay.Configuration(
                snapshotPath: "\(directory)/snapshot.sqlite", rules: .shipped())
            let first = try json(try await ParityReplay(configuration).run())
            let second = try json(try await ParityReplay(configuration).run())
            #expect(first == second)
            let kennitalas = Set(try world.rows().values.map(\.normalisedSSN))
            #expect(!kennitalas.contains { first.contains($0) }, "no kennitala unmasked")
        }
    }
}
