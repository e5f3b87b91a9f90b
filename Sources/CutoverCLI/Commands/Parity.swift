import ArgumentParser

extension CutoverCommand {
    struct Parity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare what the queue path (A) and the webhook path (B) write, field by field.",
            discussion: """
                `parity replay` runs executable models of both paths over the same changes from a snapshot and \
                reports every field where their documents differ, under a rules file that says what counts as \
                the same. `parity show` puts one member's two documents side by side with the rule applied \
                to each field. `parity rules` prints the shipped rules file to start your own from.
                """,
            subcommands: [Replay.self, Show.self, Rules.self])

        /// Shown in this group's help too; its subcommands read the file.
        @OptionGroup var configurationFile: ConfigurationOptions
    }
}
