import ArgumentParser

extension CutoverCommand {
    struct Shadow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The live dual-run: record webhook deliveries beside the running queue, and compare.",
            discussion: """
                During the cutover window both paths run on the same changes:
                  shadow serve     receives (or tees) the webhook and records every delivery
                  shadow run       applies the queue's new rows with Path A's semantics to a shadow store
                  shadow compare   coverage (each queue row matched to a delivery, and the reverse) and content
                                   parity between the two sides, over a window with a settling time
                """,
            subcommands: [Serve.self, Run.self, Compare.self])

        /// Shown in this group's help too; its subcommands read the file.
        @OptionGroup var configurationFile: ConfigurationOptions
    }
}
