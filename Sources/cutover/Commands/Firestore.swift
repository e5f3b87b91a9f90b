import ArgumentParser

extension CutoverCommand {
    struct Firestore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The Firestore side: a local server that speaks Firestore's REST wire format.",
            subcommands: [Serve.self])
    }
}
