import Foundation

/// Replay parity and verify throughput (members/s) on the embedded default: a demo register of N
/// members, snapshotted with its Firestore side, then drained once for verify. Up to 100,000 members
/// the queue holds 10 N rows (issue 4's case: 100,000 members, 1,000,000 rows); beyond, 100,000 rows,
/// so the largest case measures the register's size and its drain takes seconds, not minutes.
/// No reference tool does either; the targets are rates.
struct ReplayAndVerifyCases {
    let cutover: String
    /// Another build, measured interleaved beside `cutover` (`--compare-cutover`).
    let compare: String?
    let work: String
    let runner: BenchmarkRunner
    /// Register sizes from which each case runs once (a million-member run takes minutes).
    let singleRunFrom: Int

    static func queueRows(members: Int) -> Int { members <= 100_000 ? members * 10 : 100_000 }

    static let membersPerSecondTarget = 200_000.0

    func measure(members: Int) throws -> [BenchmarkRunner.Outcome] {
        let legacy = "\(work)/replay-\(members).sqlite"
        let store = "embedded:\(work)/replay-\(members)-firestore.sqlite"
        let snapshot = "\(work)/replay-\(members).snapshot"
        let rows = Self.queueRows(members: members)
        let runs = members >= singleRunFrom ? 1 : nil
        let label = "\(members) members, \(rows) queue rows\(runs == 1 ? " (1 run)" : "")"
        print("== preparing \(members) members, \(rows) queue rows (SQLite + embedded store)")
        try runner.prepare(
            "\(cutover) demo seed --into sqlite:\(legacy) --firestore \(store) --members \(members) "
                + "--queue-rows \(rows) --replace --quiet")
        try runner.prepare(
            "\(cutover) snapshot --source sqlite:\(legacy) --firestore \(store) --out \(snapshot) --force --quiet")
        let replay = BenchmarkCase(
            name: "replay parity, \(label)",
            subject: .init(
                label: "cutover parity replay",
                shell: "\(cutover) parity replay --snapshot \(snapshot) --out \(work)/parity --quiet",
                output: nil, acceptedExitCodes: [0, 10, 11]),
            references: compare.map { other in
                [
                    .init(
                        label: "compared build: parity replay",
                        shell: "\(other) parity replay --snapshot \(snapshot) --out \(work)/parity2 --quiet",
                        output: nil,
                        acceptedExitCodes: [0, 10, 11])
                ]
            } ?? [],
            baseline: "", timeRatioTarget: nil, peakTargetMiB: 64,
            throughput: .init(count: members, unit: "members/s", target: Self.membersPerSecondTarget), runs: runs)
        let replayOutcome = try runner.measure(replay)

        try runner.prepare(
            "\(cutover) drain --source sqlite:\(legacy) --target \(store) --include-failed --journal "
                + "\(work)/verify.journal "
                + "--out \(work)/drain-out --quiet > /dev/null")
        let verify = BenchmarkCase(
            name: "verify, \(label)",
            subject: .init(
                label: "cutover verify",
                shell: "\(cutover) verify --source sqlite:\(legacy) --target \(store) "
                    + "--journal \(work)/verify.journal --out \(work)/verify --quiet > /dev/null", output: nil),
            references: compare.map { other in
                [
                    .init(
                        label: "compared build: verify",
                        shell: "\(other) verify --source sqlite:\(legacy) --target \(store) "
                            + "--journal \(work)/verify.journal --out \(work)/verify2 --quiet > /dev/null", output: nil)
                ]
            } ?? [],
            baseline: "", timeRatioTarget: nil, peakTargetMiB: 64,
            throughput: .init(count: members, unit: "members/s", target: Self.membersPerSecondTarget), runs: runs)
        let verifyOutcome = try runner.measure(verify)
        // A million members leave gigabytes behind: the next case should not pay for the disk space.
        for file in ["\(work)/verify.journal", legacy, String(store.dropFirst("embedded:".count)), snapshot] {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: file + suffix)
            }
        }
        return [replayOutcome, verifyOutcome]
    }
}
