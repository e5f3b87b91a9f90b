import ArgumentParser
import BagIt
import CutoverCore
import CutoverSupport

extension CutoverCommand.Archive {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an archive: complete and valid in BagIt's terms, and the file its sidecar names.",
            discussion: """
                Streams the archive, hashes every file with SHA-256 and SHA-512, and checks bagit.txt, both \
                payload manifests (every payload file listed, every listed file present and unchanged), the tag \
                manifest, Payload-Oxum, and the archive's own SHA-256 against FILE.sha256. Every failing file is \
                named. Exit code 0 when valid, 4 when not.

                Example:
                  cutover archive verify queue-archive.tar.gz
                """)

        @Argument(help: ArgumentHelp("The archive (.tar.gz).", valueName: "FILE"), completion: .file())
        var archive: String

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() throws {
            try CommandRunner.run(masker: output.masker) {
                output.progressPhases("archive verify", total: ArchiveVerifier.phaseCount)
                let counter = ProgressCounter("archive verify")
                let report = try ArchiveVerifier(path: archive).run(progress: output.progress, counted: { counter($0) })
                let code = (report.isValid ? CutoverSupport.ExitCode.success : .invalidData).code
                if output.json {
                    JSONEnvelope.printResult(
                        JSONValue.object([
                            "archive": .string(report.archive), "valid": .bool(report.isValid),
                            "files_checked": .integer(Int64(report.filesChecked)),
                            "archive_digest_matches": report.archiveDigestMatches.map(JSONValue.bool) ?? .null,
                            "problems": .array(report.problems.map(JSONValue.string)),
                            "notes": .array(report.notes.map(JSONValue.string)),
                        ]), exitCode: code)
                } else if report.isValid {
                    CommandRunner.printOut(
                        "\(archive): valid (\(report.filesChecked) files checked)\n"
                            + report.notes.map { "  note: \($0)\n" }.joined())
                } else {
                    CommandRunner.printOut("\(archive): NOT VALID\n" + report.problems.map { "  \($0)\n" }.joined())
                }
                return code
            }
        }
    }
}

extension CutoverCommand.Archive.Verify: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
    }
}
