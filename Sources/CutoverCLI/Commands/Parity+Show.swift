import ArgumentParser
import CutoverCore
import CutoverSupport
import DocumentParity
import LegacySync

extension CutoverCommand.Parity {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show one member's Path A and Path B documents (or register row and document) side by side, field by "
                + "field.",
            discussion: """
                Replays the member's pending queue rows from the snapshot through both paths, as `parity \
                replay` does, then lists every field either document holds — in Path A's terms, Path B's \
                name beside it where a correspondence renames it — with both values, the verdict (same, \
                equivalent, ignored, accepted, different) and the rule that decided it, with its line in the \
                rules file. Then what each path did with each row. Values are masked unless --unmask.

                --register shows verify's comparison instead: the member's stored `members` document against \
                what Path B writes from its register row now, field by field, with the rule and the verdict \
                verify applies (not-checked: a field fed by a register table that is absent), and the member's \
                verdict as verify reports it (matching, different, missing, extra, inactive-without-member, \
                placeholder). From the snapshot's register and documents (--snapshot), or live from --source \
                and --target, the database and store verify read (masked tags match verify's when \
                CUTOVER_TAG_KEY is set).

                Exit codes: 0 shown; 7 for a member not in the snapshot (or neither in the register nor in the \
                target), or a bad snapshot or rules file.

                Examples:
                  cutover parity show --snapshot Snapshots/legacy.snapshot --member 010170-2389
                  cutover parity show --snapshot Snapshots/legacy.snapshot --member 0101702389 --rules none --json
                  cutover parity show --register --source sqlite:legacy.sqlite \\
                      --target embedded:legacy-firestore.sqlite --member 010170-2389
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The snapshot file (taken with --firestore); with --register, instead of --source and --target.",
                valueName: "FILE"))
        var snapshot: String?

        @Option(name: .long, help: ArgumentHelp("The member's kennitala.", valueName: "KENNITALA"))
        var member: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The rules file (YAML), or `none` to compare raw shapes. Default: the shipped rules.",
                valueName: "FILE|none"))
        var rules: String?

        @Flag(
            name: .long,
            help: "Show the register row against the stored members document, as verify compares them.")
        var register = false

        @OptionGroup(title: "Live register and target (--register without --snapshot)") var source: SourceOptions

        @Option(
            name: .long,
            help: ArgumentHelp("The store verify reads (--firestore is a synonym).", valueName: "STORE"))
        var target: String?

        @OptionGroup var firestore: FirestoreOptions

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard register || snapshot != nil else {
                throw ValidationError("name the snapshot with --snapshot FILE (or compare live with --register)")
            }
        }

        func run() async throws {
            try await CommandRunner.run(masker: output.masker) {
                let kennitala = try ReplayScope(members: [member]).members.first!
                let rules = try ParityRules.load(rules)
                if let snapshot { try OutputPreflight.readableFile(snapshot, for: "--snapshot") }
                guard register else {
                    let shown = try await MemberSideBySide.replay(
                        snapshotPath: snapshot!, kennitala: kennitala, rules: rules, masker: output.masker)
                    CommandRunner.printResult(json: output.json, shown.json, text: shown.text)
                    return 0
                }
                let sides: RegisterSideBySide.Sides
                if let snapshot {
                    sides = try RegisterSideBySide.sides(snapshotPath: snapshot, kennitala: kennitala)
                } else {
                    guard let store = try firestore.open(fallback: target) else {
                        throw ValidationError("name the store verify reads with --target STORE (or use --snapshot)")
                    }
                    sides = try await RegisterSideBySide.sides(
                        database: try LegacyDatabaseOpener.open(source.url()), schema: try source.tableName().schema,
                        store: store, kennitala: kennitala)
                }
                let shown = try RegisterSideBySide.compare(
                    kennitala: kennitala, sides: sides, rules: rules, masker: output.masker)
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
        // Only the live register view reads a database and a store: a snapshot needs neither named.
        guard register && snapshot == nil else { return }
        firestore.fillCredentials(from: configuration)
        try source.fill(from: configuration)
        if target == nil && firestore.firestore == nil { target = configuration.target }
    }
}
