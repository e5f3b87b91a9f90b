import ArgumentParser
import CutoverCore
import CutoverLedger
import CutoverSupport
import DocumentParity
import LegacySync

extension CutoverCommand {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the drain finished, and reconcile the register against the target's documents.",
            discussion: """
                The proof, against the journal's newest drain: no row at or below its mark is left unresolved, \
                none is dead or invalid, the drain finished, and no row was written above the mark (zero once \
                writers stopped). Then every member of the register — except 9999 placeholders — must have a \
                document equal, under the rules, to what Path B would write now; missing, extra and different \
                documents are listed with masked identifiers. The register is staged to a temporary file in \
                kennitala order and merged with the documents page by page: memory stays flat.

                --member (repeatable) reconciles only those members; --since and --until only the members with \
                a queue row (of any status) created in that window — the queue is the register's change log, \
                the register keeps no change times. Extra documents are then looked for among those members \
                only, and the drain proof is still the whole queue's. A drill-down: every report names its \
                scope, and the ledger records it as `drill-down`, which no later step accepts (exit 8).

                Writes verify.json, verify.md and verify.html into --out. Exit codes: 0 pass, 30 fail, \
                12 inconclusive (an empty register, or no chosen member in it: nothing reconciled).

                Examples:
                  cutover verify --source sqlite:legacy.sqlite --target embedded:legacy-firestore.sqlite
                  cutover verify --source sqlite:legacy.sqlite --target embedded:legacy-firestore.sqlite \\
                      --member 010170-2389 --out cutover-out/verify-one
                """)

        @OptionGroup var source: SourceOptions

        @Option(
            name: .long,
            help: ArgumentHelp("The store the drain wrote to (--firestore is a synonym).", valueName: "STORE"))
        var target: String?

        @OptionGroup var firestore: FirestoreOptions

        @Option(name: .long, help: ArgumentHelp("The drain journal.", valueName: "FILE"), completion: .file())
        var journal = "cutover-out/drain-journal.sqlite"

        @Option(
            name: .long, help: ArgumentHelp("The rules file (YAML); default: the shipped rules.", valueName: "FILE"),
            completion: .file())
        var rules: String?

        @Option(
            name: .long, help: ArgumentHelp("Where to write verify.json, verify.md and verify.html.", valueName: "DIR"),
            completion: .directory)
        var out = "cutover-out/verify"

        @OptionGroup(title: "Drill-down") var drillDown: DrillDownOptions

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var forcing: ForceOption

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                // A journal or store a mistyped path would create empty is removed again when the command fails.
                created.file(journal)
                created.database(firestore.firestore ?? target)
                guard let store = try firestore.open(fallback: target) else {
                    throw ValidationError("name the store the drain wrote to with --target STORE")
                }
                let step = try ledger.begin(.verify, force: forcing.force, created: created)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try await CommandRunner.recording(step) {
                    // The reports' folder is made and probed before the register is read.
                    try OutputPreflight.writableDirectory(out, for: "--out", created: created)
                    let database = try LegacyDatabaseOpener.open(source.url())
                    if let problem = try await EmptyStoreCheck.problem(
                        database: database, table: try source.tableName(), store: store)
                    {
                        guard forcing.force else { throw EmptyStoreCheck.refusal(problem) }
                        Terminal.error("FORCED past: \(problem)\n")
                    }
                    output.progressPhases("verify", total: DrainVerifier.phaseCount)
                    let counter = ProgressCounter("verify")
                    var configuration = DrainVerifier.Configuration(
                        table: try source.tableName(), journalPath: journal, rules: try ParityRules.load(rules))
                    configuration.scope = try drillDown.scope()
                    let report = try await DrainVerifier(configuration: configuration, database: database, store: store)
                        .run(progress: output.progress, counted: { counter($0) })
                    let files = try report.write(into: out, masker: output.masker)
                    try step?.finish(
                        exitCode: report.exitCode,
                        verdict: report.scope.isRestricted
                            ? .drillDown : Ledger.Verdict(rawValue: report.verdict) ?? .fail,
                        outputs: .init(report: "\(out)/verify.json"))
                    if output.json {
                        try JSONEnvelope.printResult(file: files.json, exitCode: report.exitCode)
                    } else {
                        let reconciliation = report.reconciliation
                        let restriction =
                            report.scopeDescription(masker: output.masker).map {
                                "  restricted to: \($0) (a drill-down: no gate accepts it)\n"
                            } ?? ""
                        CommandRunner.printOut(
                            """
                            verify: \(report.title)
                            \(restriction)\
                            \((report.failures + report.missing).map { "  \($0)\n" }.joined())  drain \
                            \(report.proof.drainID.map(String.init) ?? "—"), \
                            mark \(report.proof.mark.map(String.init) ?? "—"): \(report.proof.unresolved.count) \
                            unresolved, \
                            \(report.proof.deadLetters.count) dead or invalid, \(report.proof.rowsAboveMark) above the \
                            mark
                              register \(reconciliation.members) members, \(reconciliation.documents) documents: \
                            \(reconciliation.matching) matching, \(reconciliation.counts[.missing] ?? 0) missing, \
                            \(reconciliation.counts[.different] ?? 0) different, \(reconciliation.counts[.extra] ?? 0) \
                            extra
                              reports: \(out)/verify.{json,md,html}

                            """)
                    }
                    return report.exitCode
                }
            }
        }
    }
}

extension CutoverCommand.Verify: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        firestore.fillCredentials(from: configuration)
        output.fill(from: configuration)
        try source.fill(from: configuration)
        // The file's target is this command's --target, unless --firestore (its synonym) is given.
        if target == nil && firestore.firestore == nil { target = configuration.target }
        rules = rules ?? configuration.rules
        ledger.fill(from: configuration)
    }
}
