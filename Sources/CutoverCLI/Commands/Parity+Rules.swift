import ArgumentParser
import CutoverCore
import CutoverSupport
import DocumentParity

extension CutoverCommand.Parity {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the shipped parity rules file (YAML), or check one.",
            discussion: """
                Without --check: prints the rules `parity replay` uses by default. Copy it, edit it, pass it \
                with --rules FILE.

                With --check FILE: parses the file and reports the first problem with its line (exit 7), or \
                how many rules it holds (exit 0).

                Examples:
                  cutover parity rules > my-rules.yaml
                  cutover parity rules --check my-rules.yaml
                """)

        @Option(
            name: .long,
            help: ArgumentHelp("A rules file to check instead of printing the shipped one.", valueName: "FILE"),
            completion: .file())
        var check: String?

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() throws {
            try CommandRunner.run(masker: output.masker) {
                guard let check else {
                    // Under --json the file's text is the result's one field: it is YAML, with its comments.
                    CommandRunner.printResult(
                        json: output.json, .object(["rules_yaml": .string(ParityRules.shippedText)]),
                        text: ParityRules.shippedText)
                    return 0
                }
                let rules = try ParityRules.load(check)
                CommandRunner.printResult(
                    json: output.json,
                    .object([
                        "file": .string(check), "correspondences": .integer(Int64(rules.correspondences.count)),
                        "mappings": .integer(Int64(rules.mappings.count)),
                        "ignored_fields": .integer(Int64(rules.ignores.count)),
                        "accepted_differences": .integer(Int64(rules.acceptances.count)),
                    ]),
                    text: "\(check): \(rules.correspondences.count) correspondences, \(rules.mappings.count) mappings, "
                        + "\(rules.ignores.count) ignored fields, \(rules.acceptances.count) accepted differences\n")
                return 0
            }
        }
    }
}

extension CutoverCommand.Parity.Rules: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        // Prints the shipped rules or checks --check: the file's `rules` is for the commands that apply rules.
        output.fill(from: configuration)
    }
}
