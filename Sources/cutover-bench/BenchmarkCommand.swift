import ArgumentParser
import CutoverCore
import CutoverSupport
import Foundation

/// `cutover-bench`: the toolkit against the reference tools, side by side on this machine.
/// Run it through `scripts/benchmark.sh`, which builds in release mode and starts a throwaway PostgreSQL.
@main
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutover-bench",
        abstract: "Benchmark cutover against pg_dump, psql | gzip and the legacy run; print medians and ratios.",
        discussion: """
            Needs CUTOVER_TEST_PG_URL (and the CUTOVER_TEST_PG_* parts) naming a PostgreSQL server it may create \
            databases on: scripts/benchmark.sh provides one. Each case runs --runs times, interleaved with its \
            references; results go to Benchmarks/results/latest.{json,md}.
            """)

    @Option(help: "Runs per command (the median is reported).")
    var runs = 3

    @Option(help: "Queue sizes to measure, comma-separated.")
    var queueRows = "100000,1000000"

    @Option(
        help:
            """
            Register sizes for replay parity and verify, comma-separated (10 queue rows per member up to 100000 \
            members, then 100000 rows).
            """
    )
    var members = "10000,100000,1000000"

    @Option(help: "Register size from which replay parity and verify run once instead of --runs times.")
    var singleRunFrom = 1_000_000

    @Option(help: "Queue rows of the drain case (members: a tenth of it; 0 skips it).")
    var drainRows = 100_000

    @Option(help: "Seconds of latency of the server the second drain case drains into (0 skips it).")
    var drainLatency = DrainCase.latency

    @Option(help: "Queue rows of the drain cases at --drain-latency (members: a tenth of it).")
    var drainLatencyRows = 100_000

    @Option(help: "Queue rows of the drain's peak-memory cases (members: a tenth of it; 0 skips them).")
    var drainPeakRows = 1_000_000

    @Option(help: "Where to write latest.json and latest.md.")
    var results = "Benchmarks/results"

    @Option(help: "The cutover binary to measure.")
    var cutover = ".build/release/cutover"

    @Option(help: "Seconds of steady load on the shadow receiver (0 skips it).")
    var shadowSeconds = 60

    @Option(
        help: ArgumentHelp(
            "Another cutover binary (a build with other flags), run interleaved beside --cutover as a reference.",
            discussion: "Snapshot, replay, verify and drain only; the set-up steps use --cutover.", valueName: "binary")
    )
    var compareCutover: String?

    @Option(
        help: ArgumentHelp(
            "Measure only the JSON parsers (ours, JSONDecoder, JSONSerialization) on this snapshot's texts, then exit.",
            discussion: "Take the snapshot with --firestore; no PostgreSQL is needed.", valueName: "snapshot"))
    var jsonParsers: String?

    @Option(
        help: ArgumentHelp(
            "Measure only the archive's compressor against zlib level 6 and gzip -6 on this file, then exit.",
            discussion: "A queue table's COPY text (psql -c '\\copy TABLE TO FILE'); no PostgreSQL is needed.",
            valueName: "file"))
    var compressors: String?

    func run() async throws {
        if let jsonParsers { return try JSONParserComparison(snapshot: jsonParsers, runs: runs).run() }
        if let compressors { return try CompressorComparison(file: compressors, runs: runs).run() }
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["CUTOVER_TEST_PG_URL"], let password = environment["CUTOVER_TEST_PG_PASSWORD"],
            let host = environment["CUTOVER_TEST_PG_HOST"], let port = environment["CUTOVER_TEST_PG_PORT"],
            let user = environment["CUTOVER_TEST_PG_USER"]
        else { throw BenchError("CUTOVER_TEST_PG_URL and CUTOVER_TEST_PG_* are not set: run scripts/benchmark.sh") }
        let work = NSTemporaryDirectory() + "cutover-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var childEnvironment = environment
        childEnvironment["PGPASSWORD"] = password
        let runner = BenchmarkRunner(runs: runs, environment: childEnvironment)

        var outcomes: [BenchmarkRunner.Outcome] = []
        for rows in queueRows.split(separator: ",").compactMap({ Int($0) }) {
            let database = "bench_\(rows)"
            let databaseURL = "postgresql://\(user):\(password)@\(host):\(port)/\(database)"
            let admin = "psql -q -h \(host) -p \(port) -U \(user)"
            print("== preparing \(rows) queue rows in \(database)")
            try runner.prepare(
                "\(admin) -d postgres -c 'DROP DATABASE IF EXISTS \(database)' -c 'CREATE DATABASE \(database)'")
            try runner.prepare(
                "\(cutover) demo seed --into '\(databaseURL)' --members 10000 --queue-rows \(rows) --no-firestore "
                    + "--quiet"
            )
            try runner.prepare("\(admin) -d \(database) -c 'VACUUM ANALYZE'")
            let table = "public.membership_membersyncqueue"
            let snapshotCase = BenchmarkCase(
                name: "snapshot, \(rows) queue rows",
                subject: .init(
                    label: "cutover snapshot --no-register",
                    shell:
                        "\(cutover) snapshot --source '\(databaseURL)' --no-register --out \(work)/s.sqlite --force "
                        + "--quiet",
                    output: "\(work)/s.sqlite"),
                references: [
                    .init(
                        label: "pg_dump -Fc -t",
                        shell: "pg_dump -Fc -h \(host) -p \(port) -U \(user) -t \(table) -f \(work)/q.dump \(database)",
                        output: "\(work)/q.dump"),
                    .init(
                        label: "psql \\copy | gzip -6",
                        shell: "\(admin) -d \(database) -c '\\copy \(table) TO STDOUT' | gzip -6 > \(work)/q.copy.gz",
                        output: "\(work)/q.copy.gz"),
                ]
                    + (compareCutover.map { other in
                        [
                            .init(
                                label: "compared build: snapshot",
                                shell:
                                    "\(other) snapshot --source '\(databaseURL)' --no-register --out \(work)/s2.sqlite "
                                    + "--force --quiet",
                                output: "\(work)/s2.sqlite")
                        ]
                    } ?? []),
                baseline: "pg_dump -Fc -t", timeRatioTarget: 1.0, peakTargetMiB: 64)
            outcomes.append(try runner.measure(snapshotCase))

            // Snapshot + archive, the whole way to a verifiable file, against pg_dump's custom format.
            let archiveCase = BenchmarkCase(
                name: "snapshot + archive, \(rows) queue rows",
                subject: .init(
                    label: "cutover snapshot + archive create",
                    shell:
                        "\(cutover) snapshot --source '\(databaseURL)' --no-register --out \(work)/sa.sqlite --force "
                        + "--quiet "
                        + "&& \(cutover) archive create --snapshot \(work)/sa.sqlite --out \(work)/a.tar.gz --force "
                        + "--quiet",
                    output: "\(work)/a.tar.gz"),
                references: [
                    .init(
                        label: "pg_dump -Fc -t",
                        shell: "pg_dump -Fc -h \(host) -p \(port) -U \(user) -t \(table) -f \(work)/q.dump \(database)",
                        output: "\(work)/q.dump")
                ],
                baseline: "pg_dump -Fc -t", timeRatioTarget: 1.0, peakTargetMiB: 64, sizeRatioTarget: 1.0)
            outcomes.append(try runner.measure(archiveCase))
            outcomes.append(
                try runner.measure(
                    OnePassArchiveCase(
                        cutover: cutover, work: work, pgDump: archiveCase.references[0], compare: compareCutover
                    )
                    .benchmark(rows: rows, databaseURL: databaseURL)))

            // Archive create alone (libdeflate in chunks on two cores) against gzip -6 of the same COPY text.
            try runner.prepare("\(admin) -d \(database) -c '\\copy \(table) TO \(work)/q.copy'")
            let compressCase = BenchmarkCase(
                name: "archive create, \(rows) queue rows",
                subject: .init(
                    label: "cutover archive create",
                    shell:
                        "\(cutover) archive create --snapshot \(work)/sa.sqlite --out \(work)/ac.tar.gz --force "
                        + "--quiet",
                    output: "\(work)/ac.tar.gz"),
                references: [
                    .init(
                        label: "gzip -6 (COPY text)", shell: "gzip -6 -c \(work)/q.copy > \(work)/q.copy.gz",
                        output: "\(work)/q.copy.gz")
                ],
                baseline: "gzip -6 (COPY text)", timeRatioTarget: nil, peakTargetMiB: 64, sizeRatioTarget: 1.0)
            outcomes.append(try runner.measure(compressCase))
            outcomes.append(
                try runner.measure(
                    ArchiveVerifyCase(cutover: cutover, work: work).benchmark(rows: rows, archive: "\(work)/ac.tar.gz"))
            )

            // Restore into a second database, replacing the table each time.
            let target = "\(database)_restore"
            try runner.prepare(
                "\(admin) -d postgres -c 'DROP DATABASE IF EXISTS \(target)' -c 'CREATE DATABASE \(target)'")
            let targetURL = "postgresql://\(user):\(password)@\(host):\(port)/\(target)"
            try runner.prepare("\(cutover) restore --snapshot \(work)/sa.sqlite --into '\(targetURL)' --quiet")
            let restoreCase = BenchmarkCase(
                name: "restore, \(rows) queue rows",
                subject: .init(
                    label: "cutover restore --replace",
                    shell: "\(cutover) restore --snapshot \(work)/sa.sqlite --into '\(targetURL)' --replace --quiet",
                    output: nil),
                references: [
                    // Like cutover's restore, without the foreign key (the target has no member register).
                    .init(
                        label: "pg_restore --clean",
                        shell: "pg_restore -l \(work)/q.dump | grep -v 'FK CONSTRAINT' > \(work)/q.list && "
                            + "pg_restore --clean --if-exists -L \(work)/q.list -h \(host) -p \(port) -U \(user) -d "
                            + "\(target) \(work)/q.dump",
                        output: nil)
                ],
                baseline: "pg_restore --clean", timeRatioTarget: 1.0, peakTargetMiB: 64)
            outcomes.append(try runner.measure(restoreCase))
            _ = url
        }
        let admin = "psql -q -h \(host) -p \(port) -U \(user)"
        for count in members.split(separator: ",").compactMap({ Int($0) }) {
            outcomes += try ReplayAndVerifyCases(
                cutover: cutover, compare: compareCutover, work: work, runner: runner,
                singleRunFrom: singleRunFrom
            ).measure(members: count)
        }
        let drainCase = DrainCase(cutover: cutover, compare: compareCutover, work: work, runner: runner, admin: admin) {
            database in
            "postgresql://\(user):\(password)@\(host):\(port)/\(database)"
        }
        if drainRows > 0 { outcomes += try drainCase.measure(members: drainRows / 10, queueRows: drainRows) }
        if drainPeakRows > 0 {
            outcomes += try DrainPeakCase(
                cutover: cutover, compare: compareCutover, work: work, runner: runner, admin: admin,
                databaseURL: drainCase.databaseURL
            ).measure(members: drainPeakRows / 10, queueRows: drainPeakRows)
        }
        if drainLatency > 0 && drainLatencyRows > 0 {
            outcomes += try drainCase.measure(
                members: drainLatencyRows / 10, queueRows: drainLatencyRows, latency: drainLatency)
        }
        let shadow =
            shadowSeconds > 0
            ? try await ShadowLoadCase(cutover: cutover, work: work).measure(seconds: shadowSeconds) : nil
        let report = BenchmarkReport(outcomes: outcomes, shadow: shadow, machine: MachineDescription.current())
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        try report.json.prettyText.write(toFile: "\(results)/latest.json", atomically: true, encoding: .utf8)
        try report.markdown.write(toFile: "\(results)/latest.md", atomically: true, encoding: .utf8)
        print(report.markdown)
        if outcomes.contains(where: { $0.passed == false }) || shadow?.passed == false {
            throw ArgumentParser.ExitCode(2)
        }
    }
}
