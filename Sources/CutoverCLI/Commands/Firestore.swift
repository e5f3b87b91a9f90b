import ArgumentParser

extension CutoverCommand {
    struct Firestore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The Firestore side: a local server that speaks Firestore's REST wire format.",
            subcommands: [Serve.self])

        /// Shown in this group's help too; its subcommands read the file.
        @OptionGroup var configurationFile: ConfigurationOptions
    }
}
