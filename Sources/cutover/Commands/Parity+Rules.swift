import ArgumentParser
import CutoverCore

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

        @OptionGroup var logging: LogLevelOptions

        func run() throws {
            try CommandRunner.run {
                guard let check else {
                    CommandRunner.printOut(ParityRules.shippedText)
                    return 0
                }
                let rules = try ParityRules.load(check)
                CommandRunner.printOut(
                    "\(check): \(rules.correspondences.count) correspondences, \(rules.mappings.count) mappings, "
                        + "\(rules.ignores.count) ignored fields, \(rules.acceptances.count) accepted differences\n")
                return 0
            }
        }
    }
}

extension CutoverCommand.Parity.Rules: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        // Prints the shipped rules or checks --check: the file's `rules` is for the commands that apply rules.
    }
}
