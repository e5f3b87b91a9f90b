import ArgumentParser

extension CutoverCommand {
    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A verifiable archive of a snapshot: a BagIt bag in a deterministic tar.gz.",
            subcommands: [Create.self, Verify.self, List.self, Extract.self])

        /// Shown in this group's help too; its subcommands read the file.
        @OptionGroup var configurationFile: ConfigurationOptions
    }
}
