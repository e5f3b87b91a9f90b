import Foundation

/// Drain throughput (rows/s) into `cutover firestore serve` over HTTP, from PostgreSQL, against the
/// legacy nightly run's ~26 members/s. Before each run the database is recreated from a template and
/// the server restarted on a fresh copy of its data file, so every run drains the same queue.
struct DrainCase {
    let cutover: String
    /// Another build, measured interleaved beside `cutover` (`--compare-cutover`); the server stays `cutover`.
    let compare: String?
    let work: String
    let runner: BenchmarkRunner
    let admin: String
    let databaseURL: (String) -> String

    static let rowsPerSecondTarget = 2_000.0
    static let legacyMembersPerSecond = 26.0

    func measure(members: Int, queueRows: Int) throws -> BenchmarkRunner.Outcome {
        let template = "bench_drain_template"
        let database = "bench_drain"
        let port = 58_431
        let data = "\(work)/drain-firestore.sqlite"
        print("== preparing a drain of \(queueRows) queue rows, \(members) members (PostgreSQL + local server)")
        try runner.prepare(
            "\(admin) -d postgres -c 'DROP DATABASE IF EXISTS \(template)' -c 'CREATE DATABASE \(template)'")
        try runner.prepare(
            "\(cutover) demo seed --into '\(databaseURL(template))' --firestore embedded:\(data).template "
                + "--members \(members) --queue-rows \(queueRows) --quiet")
        try runner.prepare(
            "\(admin) -d \(template) -tAc \"SELECT count(*) FROM membership_membersyncqueue WHERE sync_status <> "
                + "'synced'\" "
                + "> \(work)/drain-rows.txt")
        let rows =
            Int(
                (try? String(contentsOfFile: "\(work)/drain-rows.txt", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        let pidFile = "\(work)/drain-server.pid"
        // Wait for the server to be gone before its data file is replaced: a server still shutting down
        // writes into the fresh copy, and a stale -wal file is replayed onto it ("malformed").
        let stopServer =
            "if [ -f \(pidFile) ]; then kill $(cat \(pidFile)) 2>/dev/null; "
            + "for i in $(seq 100); do kill -0 $(cat \(pidFile)) 2>/dev/null || break; sleep 0.1; done; rm -f "
            + "\(pidFile); fi; true"
        let reset = [
            stopServer,
            "\(admin) -d postgres -c 'DROP DATABASE IF EXISTS \(database)' -c 'CREATE DATABASE \(database) TEMPLATE "
                + "\(template)'",
            "rm -f \(data) \(data)-wal \(data)-shm", "cp \(data).template \(data)", "rm -f \(work)/drain.journal*",
            "{ nohup \(cutover) firestore serve --port \(port) --data \(data) > /dev/null 2>&1 & echo $! > \(pidFile); "
                + "}",
            "for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/\(port)) 2>/dev/null && break; sleep 0.1; done",
        ].joined(separator: " && ")
        let drain = BenchmarkCase(
            name: "drain, \(rows) unresolved rows into the local server",
            subject: .init(
                label: "cutover drain --include-failed",
                shell:
                    "\(cutover) drain --source '\(databaseURL(database))' --target http://127.0.0.1:\(port) "
                    + "--include-failed "
                    + "--journal \(work)/drain.journal --out \(work)/drain-report --quiet > /dev/null", output: nil),
            references: compare.map { other in
                [
                    .init(
                        label: "compared build: drain",
                        shell:
                            "\(other) drain --source '\(databaseURL(database))' --target http://127.0.0.1:\(port) "
                            + "--include-failed "
                            + "--journal \(work)/drain.journal --out \(work)/drain-report --quiet > /dev/null",
                        output: nil)
                ]
            } ?? [],
            baseline: "", timeRatioTarget: nil, peakTargetMiB: 64,
            throughput: .init(count: rows, unit: "rows/s", target: Self.rowsPerSecondTarget), beforeEachRun: reset)
        // Stopped also when a run fails: a server left on the port would answer the next benchmark.
        defer { try? runner.prepare(stopServer) }
        return try runner.measure(drain)
    }
}
