import ArgumentParser
import CutoverCore
import CutoverDemo
import CutoverSupport

extension CutoverCommand {
    struct Rehearse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rehearse the whole cutover and end with a go/no-go.",
            discussion: """
                With no arguments: on the embedded default — a demo legacy database (SQLite) and the embedded \
                document store, generated in --out — it runs seed → status → snapshot → replay parity → drain → \
                verify → archive → restore rehearsal → retire → rollback → verify, writes every artifact under \
                --out (cutover-out/ by default), and prints a one-screen summary with a go/no-go.

                With --source and --target it works on copies: it snapshots the database and the store (only \
                reading them), restores the snapshot into a scratch SQLite file and its Firestore collections into a \
                scratch embedded store under --out, checks the copy against the snapshot, and runs the same steps \
                there — retire and rollback included. The source and its store are never written.

                Each step is gated as the single command is with --ledger: a failed gate stops the rehearsal \
                (a parity FAIL stops it before the drain); --force goes on, and the ledger records what it was \
                forced past. Pending rows are split into stranded and fresh by the last successful run: \
                --last-run, else the store's sync_logs.

                Exit codes: 0 go, 50 no-go (a step failed or a gate stopped the rehearsal; see its line).

                Examples:
                  cutover rehearse
                  cutover rehearse --source postgresql://app@db/register --target firestore:my-project
                """)

        @Option(help: ArgumentHelp("Where every artifact goes.", valueName: "DIR"), completion: .directory)
        var out = "cutover-out"

        @Option(help: ArgumentHelp("A legacy database to rehearse on instead of demo data.", valueName: "URL"))
        var source: String?

        @Option(help: ArgumentHelp("Its document store (with --source).", valueName: "STORE"))
        var target: String?

        @Option(help: "Demo members (without --source).")
        var members = 2_174

        @Option(help: "Demo queue rows (without --source).")
        var queueRows = 3_000

        @Flag(help: "Go on past a failed gate (a parity FAIL, rows left by the drain); the ledger records it.")
        var force = false

        @Option(
            help: ArgumentHelp(
                "completed_at of the last successful nightly run (RFC 3339), to split pending rows into stranded and "
                    + "fresh.",
                valueName: "TIME"))
        var lastRun: Timestamp?

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionRange.count(members, "--members", atLeast: 0)
            try OptionRange.count(queueRows, "--queue-rows", atLeast: 0)
        }

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                try OutputPreflight.writableDirectory(out, for: "--out", created: created)
                var configuration = Rehearsal.Configuration()
                configuration.directory = out
                configuration.source = source
                configuration.target = target
                configuration.members = members
                configuration.queueRows = queueRows
                configuration.force = force
                configuration.lastRun = lastRun
                configuration.masker = output.masker
                configuration.seeder = DemoRehearsalSeeder()
                let result = try await Rehearsal(configuration: configuration).run { output.progress($0) }
                let code = (result.go ? CutoverSupport.ExitCode.success : .noGo).code
                if output.json {
                    JSONEnvelope.printResult(
                        JSONValue.object([
                            "go": .bool(result.go),
                            "stopped": JSONValue(result.stopped),
                            "forced": .array(result.forced.map(JSONValue.string)),
                            "steps": .array(
                                result.steps.map {
                                    [
                                        "step": .string($0.name), "passed": .bool($0.passed),
                                        "summary": .string($0.summary),
                                        "seconds": .double(($0.seconds * 10).rounded() / 10),
                                    ]
                                }),
                        ]), exitCode: code)
                } else {
                    var lines = ["cutover rehearsal — artifacts in \(out)/", ""]
                    for step in result.steps {
                        lines.append(
                            "  \(step.passed ? "ok  " : "FAIL") "
                                + "\(step.name.padding(toLength: 22, withPad: " ", startingAt: 0))"
                                + "\(String(format: "%6.1f s", step.seconds))  \(step.summary)")
                    }
                    lines += result.forced.map { "  FORCED \($0)" }
                    if let stopped = result.stopped {
                        let after =
                            result.forceGoesOn
                            ? "nothing after it ran; --force goes on, recorded in \(out)/ledger.sqlite"
                            : "nothing after it can run"
                        lines += ["", "NO-GO: \(stopped) (\(after))."]
                    } else {
                        lines += [
                            "",
                            result.go
                                ? "GO: every step passed."
                                : "NO-GO: a step failed (see above; its report is under \(out)/).",
                        ]
                    }
                    CommandRunner.printOut(lines.joined(separator: "\n") + "\n")
                }
                return code
            }
        }
    }
}

extension CutoverCommand.Rehearse: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        source = source ?? configuration.source
        target = target ?? configuration.target
        // Checked here, not in validate(): the configuration file may name either. The rehearsal works on
        // a copy of the store too: without one there is nothing to rehearse on.
        guard (source == nil) == (target == nil) else {
            throw ValidationError("give both --source and --target (the store is copied, never written), or neither")
        }
    }
}
