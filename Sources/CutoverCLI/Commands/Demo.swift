import ArgumentParser

extension CutoverCommand {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Demo data: a Django-shaped legacy database with every quirk of the real queue.",
            subcommands: [Seed.self, NightlyRun.self])

        /// Shown in this group's help too; its subcommands read the file.
        @OptionGroup var configurationFile: ConfigurationOptions
    }
}
