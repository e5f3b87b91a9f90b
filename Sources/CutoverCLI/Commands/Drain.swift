import ArgumentParser
import CutoverCore
import CutoverSupport
import LegacySync

extension CutoverCommand {
    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Empty the legacy queue into the target exactly once, never overwriting newer data.",
            discussion: """
                Records a high-water mark (the largest id at start) and touches only rows at or below it. First \
                the portal's pending edits (Firestore sync_queue, both naming styles) are applied to the Django \
                tables as Django's apply endpoint did (--reverse report only lists them). Then every pending \
                row (and failed ones with --include-failed), per member, oldest first, gets one outcome:

                  applied     its change reached the target
                  superseded  the document was written after the row was created: not overwritten
                  orphan      a delete of a document that never existed (or a member gone from the register)
                  dead        retries exhausted: left failed, written to the dead letters
                  invalid     the row itself is malformed: left as it is, written to the dead letters

                --via webhook (default) writes each member's current state through Path B's transform, once; \
                --via queue applies each row with Path A's exact semantics (a faithful last nightly run). A row is \
                marked synced only after its write succeeded; a failed write records error_message and one more \
                retry_count. Every write is announced in the journal first, so rerunning after a crash resumes \
                without writing anything twice. --dry-run prints the plan row by row and writes nothing.

                With --dry-run, --member (repeatable), --since and --until restrict the plan to those members' \
                rows, or to the rows created in that window (--since inclusive, --until exclusive): each member \
                with such a row is planned with all its rows, as a real drain would, and only the chosen rows \
                are listed; the portal's edits are still all listed. The plan names its scope. A real drain \
                refuses them (exit 64): a drain of some members would strand the rest.

                With --parity (or a --ledger, whose parity step must have passed) a replay that failed or was \
                inconclusive refuses the drain (exit 8), and a replay of another database's snapshot (exit 7, \
                naming both), unless --force (printed and recorded in the ledger).

                One run at a time: the drain holds the queue for its whole run (PostgreSQL: an advisory lock on \
                its connection; SQLite: DB.cutover-lock beside the file); another drain, restore, retire or \
                nightly run on it meanwhile exits 9 naming its process, host and start time. --dry-run takes no lock.

                Exit codes: 0 every row applied, superseded or orphan; 20 dead letters left (see the file); \
                21 stopped because the target kept failing (only retry bookkeeping changed in the queue); \
                9 another run holds the queue; 3, 5, 7, 8 as for every command.

                Examples:
                  cutover drain --source postgresql://app@db/register --target firestore:my-project --dry-run
                  cutover drain --source sqlite:legacy.sqlite --target embedded:legacy-firestore.sqlite
                  cutover drain --source sqlite:legacy.sqlite --target embedded:legacy-firestore.sqlite --dry-run \\
                      --member 010170-2389
                """)

        @OptionGroup var source: SourceOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The store to drain into: embedded:PATH, http://HOST:PORT or firestore:PROJECT[/DATABASE] (--firestore "
                    + "is a synonym).",
                valueName: "STORE"))
        var target: String?

        @OptionGroup var firestore: FirestoreOptions

        @Option(
            name: .long, help: "webhook (the member's current state, Path B's shape) or queue (Path A's semantics).")
        var via = DrainVia.webhook

        @Flag(name: .long, help: "Also drain rows left failed by the legacy run.")
        var includeFailed = false

        @Option(name: .long, help: "apply, report (list only) or skip the portal's pending edits (sync_queue).")
        var reverse = ReverseQueueMode.apply

        @Option(name: .long, help: "Failed rows with this many retries or more are dead without another try.")
        var maxRetries = 10

        @Option(name: .long, help: "Tries per write before a row is given up for this run.")
        var attempts = 4

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Backoff before the first retry, in seconds (doubles, capped at 5 s).", valueName: "SECONDS"))
        var backoff = 0.2

        @Option(name: .long, help: "Members per batch: one journal transaction, one commit, one queue update.")
        var batchSize = 200

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Batch commits in flight at once while the next batches are read and planned (1 to 64).",
                valueName: "N"))
        var commitsInFlight = 6

        @Option(
            name: .long,
            help:
                "auto (Firestore itself only), on or off: Firestore's ramp, 500 writes/s and 50% more every 5 minutes.")
        var ramp = DrainRamp.auto

        @Option(name: .long, help: ArgumentHelp("At most this many member writes a second.", valueName: "N"))
        var maxRate: Int?

        @Option(
            name: .long, help: ArgumentHelp("The drain journal (SQLite): what makes a rerun safe.", valueName: "FILE"),
            completion: .file())
        var journal = "cutover-out/drain-journal.sqlite"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Where to write drain.json, drain.md, drain.html and dead-letters.ndjson.", valueName: "DIR"),
            completion: .directory)
        var out = "cutover-out/drain"

        @Flag(name: .long, help: "Print the plan row by row; write nothing.")
        var dryRun = false

        @OptionGroup(title: "Drill-down (only with --dry-run)") var drillDown: DrillDownOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The parity report this drain stands on: refused unless its verdict is pass or accepted (--force runs "
                    + "anyway).",
                valueName: "FILE"), completion: .file())
        var parity: String?

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var forcing: ForceOption

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionRange.count(maxRetries, "--max-retries", atLeast: 0)
            try OptionRange.count(attempts, "--attempts", atLeast: 1)
            try OptionRange.count(batchSize, "--batch-size", atLeast: 1)
            let most = Drainer.Configuration.mostCommitsInFlight
            guard (1...most).contains(commitsInFlight) else {
                throw ValidationError("--commits-in-flight must be from 1 to \(most), not \(commitsInFlight)")
            }
            try OptionRange.seconds(backoff, "--backoff", maximum: 60)
            if let maxRate { try OptionRange.count(maxRate, "--max-rate", atLeast: 1) }
            if !dryRun && (!drillDown.members.isEmpty || drillDown.since != nil || drillDown.until != nil) {
                throw ValidationError(
                    "--member, --since and --until are only for --dry-run: a drain restricted to some members or "
                        + "rows would strand the rest in the queue")
            }
        }

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                if dryRun {
                    created.database(firestore.firestore ?? target)
                } else {
                    try OutputPreflight.writableDatabase(
                        firestore.firestore ?? target, for: "--target", created: created)
                }
                guard let store = try firestore.open(fallback: target) else {
                    throw ValidationError("name the store to drain into with --target STORE")
                }
                var configuration = Drainer.Configuration(table: try source.tableName(), journalPath: journal)
                configuration.via = via
                configuration.includeFailed = includeFailed
                configuration.dryRun = dryRun
                configuration.reverse = reverse
                configuration.maxRetries = maxRetries
                configuration.attempts = max(1, attempts)
                configuration.backoffBase = max(0, backoff)
                configuration.batchSize = max(1, min(batchSize, 500))
                configuration.commitsInFlight = commitsInFlight
                configuration.ramp = ramp
                configuration.maxRate = maxRate.map(Double.init)
                // The run's rows wait on disk beside its report (a dry run writes no report: the system's
                // temporary directory).
                if !dryRun { configuration.scratchDirectory = out }
                configuration.scope = try drillDown.scope()
                let step = dryRun ? nil : try ledger.begin(.drain, force: forcing.force, created: created)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try await CommandRunner.recording(step) {
                    // Before the queue is touched: a drain that cannot write its report or journal afterwards has
                    // marked rows synced with no record of it.
                    if !dryRun {
                        try OutputPreflight.writableDirectory(out, for: "--out", created: created)
                        try OutputPreflight.writableFile(journal, for: "--journal", created: created)
                    }
                    if let parity { try OutputPreflight.readableFile(parity, for: "--parity") }
                    let database = try LegacyDatabaseOpener.open(source.url())
                    var forcedPast =
                        try parity.map {
                            try ParityReportFile(path: $0).requireGate(
                                for: "drain", database: database, table: configuration.table, force: forcing.force)
                        } ?? []
                    if let problem = try await EmptyStoreCheck.problem(
                        database: database, table: configuration.table, store: store)
                    {
                        guard forcing.force else { throw EmptyStoreCheck.refusal(problem) }
                        forcedPast.append(problem)
                    }
                    // On stderr: stdout may be the JSON report.
                    for line in forcedPast { Terminal.error("FORCED past: \(line)\n") }
                    let meter = ProgressMeter()
                    let report = try await Drainer(configuration: configuration, database: database, store: store).run {
                        output.progressUpdate(meter.line("drain", $0.done, of: $0.total, unit: "rows") + Self.rate($0))
                    }
                    if !dryRun {
                        let replay =
                            "cutover drain --source \(Self.shellQuoted(database.redactedTarget)) --target "
                            + "\(Self.shellQuoted(store.label)) "
                            + "--include-failed --max-retries \(maxRetries + attempts) --journal "
                            + "\(Self.shellQuoted(journal))"
                        try report.write(into: out, masker: output.masker, deadLetterReplay: replay)
                    }
                    try step?.finish(
                        exitCode: report.exitCode, verdict: report.exitCode == 0 ? .drained : .rowsLeft,
                        forcedPast: forcedPast,
                        outputs: .init(report: "\(out)/drain.json", journal: journal))
                    if output.json && dryRun {
                        try JSONEnvelope.printResult(exitCode: report.exitCode) { write in
                            try report.writeJSON(masker: output.masker, write)
                        }
                    } else if output.json {
                        try JSONEnvelope.printResult(file: "\(out)/drain.json", exitCode: report.exitCode)
                    } else {
                        CommandRunner.printOut(
                            try report.text(masker: output.masker)
                                + (dryRun || report.deadLetterCount == 0
                                    ? "" : "  dead letters: \(out)/dead-letters.ndjson\n"))
                    }
                    return report.exitCode
                }
            }
        }

        /// The writes' current rate, and the throttle's when there is one: ` · 480 writes/s (allowed 500)`.
        static func rate(_ progress: Drainer.Progress) -> String {
            guard let measured = progress.writesPerSecond else { return "" }
            return " · \(Int(measured)) writes/s" + (progress.allowedPerSecond.map { " (allowed \(Int($0)))" } ?? "")
        }

        static func shellQuoted(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
}

extension CutoverCommand.Drain: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        firestore.fillCredentials(from: configuration)
        output.fill(from: configuration)
        try source.fill(from: configuration)
        // The file's target is this command's --target, unless --firestore (its synonym) is given.
        if target == nil && firestore.firestore == nil { target = configuration.target }
        ledger.fill(from: configuration)
    }
}
