import CutoverCore
import CutoverSupport
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
    /// Production Firestore is some 50 ms away; `firestore serve --latency` stands in for it.
    static let latency = 0.05
    /// With the ramp on, the writes must reach this share of what the ramp allows.
    static let rampShareTarget = 0.95

    /// The loopback case, and with `latency` the drain against a server that far away: with the ramp off
    /// for rows/s, and with it on for writes/s against the ramp's allowance in its first window.
    func measure(members: Int, queueRows: Int, latency: Double? = nil) throws -> [BenchmarkRunner.Outcome] {
        let template = "bench_drain_template"
        let database = "bench_drain"
        let port = Self.freePort(from: 58_431)
        let data = "\(work)/drain-firestore.sqlite"
        print("== preparing a drain of \(queueRows) queue rows, \(members) members (PostgreSQL + local server)")
        // Each case seeds its own store: the previous case's template already holds documents.
        try runner.prepare("rm -f \(data).template \(data).template-wal \(data).template-shm")
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
            "{ nohup \(cutover) firestore serve --port \(port) --data \(data) "
                + (latency.map { "--latency \($0) " } ?? "") + "> /dev/null 2>&1 & echo $! > \(pidFile); }",
            "for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/\(port)) 2>/dev/null && break; sleep 0.1; done",
        ].joined(separator: " && ")
        /// - Parameter log: where the drain's notices are appended (its writing rate), when they are wanted.
        func drain(_ binary: String, _ extra: String, log: String? = nil) -> String {
            "\(binary) drain --source '\(databaseURL(database))' --target http://127.0.0.1:\(port) --include-failed "
                + "\(extra)--journal \(work)/drain.journal --out \(work)/drain-report --quiet "
                + (log.map { "--log-level notice 2>> \($0) " } ?? "") + "> /dev/null"
        }
        let paceLogs = ["\(work)/drain-pace.log", "\(work)/drain-pace-compared.log"]
        func drainCase(
            _ name: String, _ extra: String, throughput: BenchmarkCase.Throughput, logPace: Bool = false
        ) -> BenchmarkCase {
            BenchmarkCase(
                name: name,
                subject: .init(
                    label: "cutover drain --include-failed \(extra)",
                    shell: drain(cutover, extra, log: logPace ? paceLogs[0] : nil), output: nil),
                references: compare.map {
                    [
                        .init(
                            label: "compared build: drain", shell: drain($0, extra, log: logPace ? paceLogs[1] : nil),
                            output: nil)
                    ]
                }
                    ?? [],
                baseline: "", timeRatioTarget: nil, peakTargetMiB: 64, throughput: throughput, beforeEachRun: reset)
        }
        // Stopped also when a run fails: a server left on the port would answer the next benchmark.
        defer { try? runner.prepare(stopServer) }
        let rowsPerSecond = BenchmarkCase.Throughput(count: rows, unit: "rows/s", target: Self.rowsPerSecondTarget)
        guard let latency else {
            return [
                try runner.measure(
                    drainCase("drain, \(rows) unresolved rows into the local server", "", throughput: rowsPerSecond))
            ]
        }
        let away = "\(Int(latency * 1000)) ms away"
        let off = try runner.measure(
            drainCase(
                "drain, \(rows) unresolved rows, server \(away), --ramp off", "--ramp off ", throughput: rowsPerSecond))
        // The ramp's case is judged on writes: one run first (unmeasured) counts them from its journal.
        try runner.prepare(reset + " && " + drain(cutover, "--ramp off "))
        let writes = try Self.writes(journal: "\(work)/drain.journal")
        // Judged while the drain writes: each run logs its batch commits' writes, the seconds from the first
        // commit sent to the last answered, and what the ramp allowed in that span (500 to start with, then
        // 500 a second). Start-up (the portal's edits, the queue and register reads) and the bookkeeping
        // after the last answer are not the ramp's to judge; the whole command's time is in the table.
        for log in paceLogs { try runner.prepare("rm -f \(log)") }
        var judged = drainCase(
            "drain, \(rows) unresolved rows (\(writes) member writes), server \(away), --ramp on", "--ramp on ",
            throughput: .init(count: writes, unit: "writes/s", target: 0), logPace: true)
        let measured = try runner.measure(judged)
        let paces = Self.paces(log: paceLogs[0])
        guard !paces.isEmpty else { throw BenchError("the drain logged no writing rate in \(paceLogs[0])") }
        let share = Self.median(paces.map { Double($0.writes) / $0.allowed })
        for pace in paces {
            print(
                String(
                    format: "  ramp on: %d writes in %.2f s while writing: %.0f writes/s, the ramp allowed %.0f "
                        + "(%.1f%%)",
                    pace.writes, pace.seconds, Double(pace.writes) / pace.seconds, pace.allowed,
                    100 * Double(pace.writes) / pace.allowed))
        }
        let compared = Self.paces(log: paceLogs[1])
        if !compared.isEmpty {
            let theirs = Self.median(compared.map { Double($0.writes) / $0.allowed })
            print(String(format: "  compared build: %.1f%% of the ramp's allowance while writing", 100 * theirs))
        }
        judged.throughput = .init(
            count: writes, unit: "% of the ramp's allowance while writing", target: 100 * Self.rampShareTarget,
            measured: 100 * share)
        let on = BenchmarkRunner.Outcome(benchmark: judged, results: measured.results)
        return [off, on]
    }

    /// What each run's drain logged of its writing (`writes=… writing_seconds=… allowed=…`), in run order;
    /// runs whose throttle allowed any rate are left out.
    static func paces(log path: String) -> [(writes: Int, seconds: Double, allowed: Double)] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            var fields: [String: String] = [:]
            for word in line.split(separator: " ") {
                let parts = word.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            guard let writes = fields["writes"].flatMap({ Int($0) }),
                let seconds = fields["writing_seconds"].flatMap({ Double($0) }),
                let allowed = fields["allowed"].flatMap({ Double($0) }), seconds > 0, allowed > 0
            else { return nil }
            return (writes, seconds, allowed)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Member writes a finished drain made: members with an applied row (one write each, `--via webhook`).
    static func writes(journal path: String) throws -> Int {
        guard let journal = try DrainJournal.existing(path: path), let drain = try journal.latest() else {
            throw BenchError("no drain journal at \(path)")
        }
        return Set(try journal.outcomes(drain).values.filter { $0.result.outcome == .applied }.map(\.result.kennitala))
            .count
    }

    /// A loopback port nothing is bound to: the machine is shared, and a fixed port may be another run's
    /// server, which the drain would then write into.
    static func freePort(from start: Int) -> Int {
        for port in start..<start + 1_000 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { break }
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound == 0 { return port }
        }
        return start
    }
}
