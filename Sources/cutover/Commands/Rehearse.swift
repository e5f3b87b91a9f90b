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

                With --source and --target it runs the same steps against those systems (no seeding); it retires \
                (and rolls back) only with --confirm — otherwise it stops at retirement's gates.

                Exit codes: 0 go, 50 no-go (a step failed; see its line).

                Examples:
                  cutover rehearse
                  cutover rehearse --source postgresql://app@db/register --target firestore:my-project
                """)

        @Option(help: ArgumentHelp("Where every artifact goes.", valueName: "DIR"))
        var out = "cutover-out"

        @Option(help: ArgumentHelp("A legacy database to rehearse on instead of demo data.", valueName: "URL"))
        var source: String?

        @Option(help: ArgumentHelp("Its document store (with --source).", valueName: "STORE"))
        var target: String?

        @Option(help: "Demo members (without --source).")
        var members = 2_174

        @Option(help: "Demo queue rows (without --source).")
        var queueRows = 3_000

        @Flag(help: "With --source: retire the table for real (then roll it back from the archive).")
        var confirm = false

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run(masker: output.masker) {
                var configuration = Rehearsal.Configuration()
                configuration.directory = out
                configuration.source = source
                configuration.target = target
                configuration.members = members
                configuration.queueRows = queueRows
                configuration.confirm = confirm
                configuration.masker = output.masker
                configuration.seeder = DemoRehearsalSeeder()
                let result = try await Rehearsal(configuration: configuration).run { output.progress($0) }
                if output.json {
                    CommandRunner.printOut(JSONValue.object([
                        "go": .bool(result.go),
                        "steps": .array(result.steps.map {
                            ["step": .string($0.name), "passed": .bool($0.passed), "summary": .string($0.summary),
                             "seconds": .double(($0.seconds * 10).rounded() / 10)]
                        }),
                    ]).prettyText)
                } else {
                    var lines = ["cutover rehearsal — artifacts in \(out)/", ""]
                    for step in result.steps {
                        lines.append("  \(step.passed ? "ok  " : "FAIL") \(step.name.padding(toLength: 22, withPad: " ", startingAt: 0))"
                            + "\(String(format: "%6.1f s", step.seconds))  \(step.summary)")
                    }
                    lines += ["", result.go ? "GO: every step passed." : "NO-GO: a step failed (see above; its report is under \(out)/)."]
                    CommandRunner.printOut(lines.joined(separator: "\n") + "\n")
                }
                return (result.go ? CutoverSupport.ExitCode.success : .noGo).code
            }
        }
    }
}

extension CutoverCommand.Rehearse: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        source = source ?? configuration.source
        target = target ?? configuration.target
        // Checked here, not in validate(): the configuration file may name either.
        guard (source == nil) == (target == nil) else { throw ValidationError("give both --source and --target, or neither") }
    }
}
