import Foundation

/// The drain's peak memory at scale (issue 21 point 4: at most 64 MiB at 1,000,000 unresolved rows), as
/// the kernel counts it for the drain process (`/usr/bin/time`'s maximum resident set). Two cases on
/// one seeded register of `members` members and `queueRows` queue rows, drained from PostgreSQL into
/// `cutover firestore serve`: the demo's queue as seeded (its pending and failed rows), and every row
/// made unresolved (`sync_status` back to pending), so the drain reads, plans and reports them all.
struct DrainPeakCase {
    let cutover: String
    let compare: String?
    let work: String
    let runner: BenchmarkRunner
    let admin: String
    let databaseURL: (String) -> String

    static let peakTargetMiB = 64

    func measure(members: Int, queueRows: Int) throws -> [BenchmarkRunner.Outcome] {
        let seeded = "bench_drain_peak_seeded"
        let unresolved = "bench_drain_peak_unresolved"
        let database = "bench_drain_peak"
        let data = "\(work)/drain-peak-firestore.sqlite"
        let port = DrainCase.freePort(from: 59_431)
        print("== preparing the drain's peak memory: \(queueRows) queue rows, \(members) members")
        try runner.prepare("rm -f \(data).template \(data).template-wal \(data).template-shm")
        try runner.prepare(
            "\(admin) -d postgres -c 'DROP DATABASE IF EXISTS \(seeded)' -c 'CREATE DATABASE \(seeded)' "
                + "-c 'DROP DATABASE IF EXISTS \(unresolved)'")
        try runner.prepare(
            "\(cutover) demo seed --into '\(databaseURL(seeded))' --firestore embedded:\(data).template "
                + "--members \(members) --queue-rows \(queueRows) --quiet")
        // The faster bulk path to a million unresolved rows: the same seed, every row pending again.
        try runner.prepare(
            "\(admin) -d postgres -c 'CREATE DATABASE \(unresolved) TEMPLATE \(seeded)' && \(admin) -d \(unresolved) "
                + "-c \"UPDATE membership_membersyncqueue SET sync_status = 'pending', synced_at = NULL\"")
        let pidFile = "\(work)/drain-peak-server.pid"
        let stopServer =
            "if [ -f \(pidFile) ]; then kill $(cat \(pidFile)) 2>/dev/null; "
            + "for i in $(seq 100); do kill -0 $(cat \(pidFile)) 2>/dev/null || break; sleep 0.1; done; rm -f "
            + "\(pidFile); fi; true"
        defer { try? runner.prepare(stopServer) }
        func reset(from template: String) -> String {
            [
                stopServer,
                "\(admin) -d postgres -c 'DROP DATABASE IF EXISTS \(database)' -c 'CREATE DATABASE \(database) "
                    + "TEMPLATE \(template)'",
                "rm -f \(data) \(data)-wal \(data)-shm", "cp \(data).template \(data)",
                "rm -rf \(work)/drain-peak.journal* \(work)/drain-peak-report",
                "{ nohup \(cutover) firestore serve --port \(port) --data \(data) > /dev/null 2>&1 & "
                    + "echo $! > \(pidFile); }",
                "for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/\(port)) 2>/dev/null && break; sleep 0.1; done",
            ].joined(separator: " && ")
        }
        func drain(_ binary: String) -> String {
            "\(binary) drain --source '\(databaseURL(database))' --target http://127.0.0.1:\(port) --include-failed "
                + "--ramp off --journal \(work)/drain-peak.journal --out \(work)/drain-peak-report --quiet > /dev/null"
        }
        func command(_ label: String, _ binary: String) -> BenchmarkCase.Command {
            // 20: dead letters (the demo's malformed rows) are the drain working, not failing.
            .init(label: label, shell: drain(binary), output: nil, acceptedExitCodes: [0, 20])
        }
        var outcomes: [BenchmarkRunner.Outcome] = []
        for (template, name) in [
            (seeded, "drain peak RSS at \(members) members with \(queueRows) rows"),
            (unresolved, "drain peak RSS at \(try count(in: unresolved)) unresolved rows"),
        ] {
            let rows = try count(in: template)
            outcomes.append(
                try runner.measure(
                    BenchmarkCase(
                        name: name, subject: command("cutover drain --include-failed --ramp off", cutover),
                        references: compare.map { [command("compared build: drain", $0)] } ?? [], baseline: "",
                        timeRatioTarget: nil, peakTargetMiB: Self.peakTargetMiB,
                        throughput: .init(count: rows, unit: "rows/s", target: 0),
                        beforeEachRun: reset(from: template))))
        }
        return outcomes
    }

    /// The rows a drain with `--include-failed` works on in `database`.
    private func count(in database: String) throws -> Int {
        let file = "\(work)/drain-peak-rows.txt"
        try runner.prepare(
            "\(admin) -d \(database) -tAc \"SELECT count(*) FROM membership_membersyncqueue WHERE sync_status IS NULL "
                + "OR sync_status <> 'synced'\" > \(file)")
        return Int(
            (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        ) ?? 0
    }
}
