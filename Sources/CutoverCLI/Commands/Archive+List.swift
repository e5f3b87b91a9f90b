import ArgumentParser
import CutoverCore
import CutoverSupport
import Tar

extension CutoverCommand.Archive {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an archive's files with their sizes (reads it, checking its structure).")

        @Argument(help: ArgumentHelp("The archive (.tar.gz).", valueName: "FILE"), completion: .file())
        var archive: String

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() throws {
            try CommandRunner.run(masker: output.masker) {
                var entries: [TarReader.Entry] = []
                try TarReader(path: archive).read { event in
                    if case .begin(let entry) = event { entries.append(entry) }
                }
                // An object, as every command's result is: the entries under a name, beside the archive's.
                CommandRunner.printResult(
                    json: output.json,
                    JSONValue.object([
                        "archive": .string(archive),
                        "entries": .array(
                            entries.map {
                                [
                                    "path": .string($0.path), "size": .integer(Int64($0.size)),
                                    "type": .string($0.type.name),
                                ]
                            }
                        ),
                    ]),
                    text: entries.map {
                        "\(String($0.size).leftPadded(12))  \($0.path)\($0.type == .directory ? "/" : "")\n"
                    }.joined())
                return 0
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension CutoverCommand.Archive.List: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
    }
}
