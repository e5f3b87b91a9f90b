import Foundation

/// Replay parity and verify throughput (members/s) on the embedded default: a demo register of N
/// members with 10 N queue rows, snapshotted with its Firestore side, then drained once for verify.
/// No reference tool does either; the targets are rates.
struct ReplayAndVerifyCases {
    let cutover: String
    let work: String
    let runner: BenchmarkRunner

    static let membersPerSecondTarget = 200_000.0

    func measure(members: Int) throws -> [BenchmarkRunner.Outcome] {
        let legacy = "\(work)/replay-\(members).sqlite"
        let store = "embedded:\(work)/replay-\(members)-firestore.sqlite"
        let snapshot = "\(work)/replay-\(members).snapshot"
        print("== preparing \(members) members, \(members * 10) queue rows (SQLite + embedded store)")
        try runner.prepare("\(cutover) demo seed --into sqlite:\(legacy) --firestore \(store) --members \(members) "
            + "--queue-rows \(members * 10) --replace --quiet")
        try runner.prepare("\(cutover) snapshot --source sqlite:\(legacy) --firestore \(store) --out \(snapshot) --force --quiet")
        let replay = BenchmarkCase(
            name: "replay parity, \(members) members",
            subject: .init(label: "cutover parity replay", shell: "\(cutover) parity replay --snapshot \(snapshot) --out \(work)/parity --quiet",
                           output: nil, acceptedExitCodes: [0, 10, 11]),
            references: [], baseline: "", timeRatioTarget: nil, peakTargetMiB: 64,
            throughput: .init(count: members, unit: "members/s", target: Self.membersPerSecondTarget))
        let replayOutcome = try runner.measure(replay)

        try runner.prepare("\(cutover) drain --source sqlite:\(legacy) --target \(store) --include-failed --journal \(work)/verify.journal "
            + "--out \(work)/drain-out --quiet > /dev/null")
        let verify = BenchmarkCase(
            name: "verify, \(members) members",
            subject: .init(label: "cutover verify", shell: "\(cutover) verify --source sqlite:\(legacy) --target \(store) "
                               + "--journal \(work)/verify.journal --out \(work)/verify --quiet > /dev/null", output: nil),
            references: [], baseline: "", timeRatioTarget: nil, peakTargetMiB: 64,
            throughput: .init(count: members, unit: "members/s", target: Self.membersPerSecondTarget))
        let verifyOutcome = try runner.measure(verify)
        try? FileManager.default.removeItem(atPath: "\(work)/verify.journal")
        return [replayOutcome, verifyOutcome]
    }
}
