import ArgumentParser
import CutoverCore
import CutoverSupport
import DocumentParity

extension CutoverCommand.Parity {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one member's Path A and Path B documents side by side, field by field.",
            discussion: """
                Replays the member's pending queue rows from the snapshot through both paths, as `parity \
                replay` does, then lists every field either document holds — in Path A's terms, Path B's \
                name beside it where a correspondence renames it — with both values, the verdict (same, \
                equivalent, ignored, accepted, different) and the rule that decided it, with its line in the \
                rules file. Then what each path did with each row. Values are masked unless --unmask.

                Exit codes: 0 shown; 7 for a member not in the snapshot, or a bad snapshot or rules file.

                Examples:
                  cutover parity show --snapshot Snapshots/legacy.snapshot --member 010170-2389
                  cutover parity show --snapshot Snapshots/legacy.snapshot --member 0101702389 --rules none --json
                """)

        @Option(name: .long, help: ArgumentHelp("The snapshot file (taken with --firestore).", valueName: "FILE"))
        var snapshot: String

        @Option(name: .long, help: ArgumentHelp("The member's kennitala.", valueName: "KENNITALA"))
        var member: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The rules file (YAML), or `none` to compare raw shapes. Default: the shipped rules.",
                valueName: "FILE|none"))
        var rules: String?

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run(masker: output.masker) {
                try OutputPreflight.readableFile(snapshot, for: "--snapshot")
                let shown = try await MemberSideBySide.replay(
                    snapshotPath: snapshot, kennitala: try ReplayScope(members: [member]).members.first!,
                    rules: try ParityRules.load(rules), masker: output.masker)
                CommandRunner.printResult(json: output.json, shown.json, text: shown.text)
                return 0
            }
        }
    }
}

extension CutoverCommand.Parity.Show: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        rules = rules ?? configuration.rules
        output.fill(from: configuration)
    }
}
