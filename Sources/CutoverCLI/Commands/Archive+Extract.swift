import ArgumentParser
import BagIt
import CutoverCore
import CutoverSupport
import Foundation

extension CutoverCommand.Archive {
    struct Extract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an archive, then write its files to a directory, or rebuild its snapshot file.",
            discussion: """
                With --to DIR the bag's files are written under DIR, all or nothing: into a new directory beside \
                it, renamed to DIR only when every file is written. An existing DIR is refused (exit 6) unless \
                --force, which replaces it whole; nothing is written into it, so no link in it is followed. With \
                --as-snapshot FILE the snapshot file is rebuilt from the bag and checked against its own manifest: \
                the same content hashes as the snapshot that was archived. Nothing is written from an archive \
                that fails verification.

                Examples:
                  cutover archive extract queue-archive.tar.gz --to restored/
                  cutover archive extract queue-archive.tar.gz --as-snapshot Snapshots/from-archive.sqlite
                """)

        @Argument(help: ArgumentHelp("The archive (.tar.gz).", valueName: "FILE"), completion: .file())
        var archive: String

        @Option(
            help: ArgumentHelp("Write the bag's files under this directory.", valueName: "DIR"),
            completion: .directory)
        var to: String?

        @Option(help: ArgumentHelp("Rebuild the snapshot file here.", valueName: "FILE"), completion: .file())
        var asSnapshot: String?

        @Flag(help: "Replace the directory or the snapshot file if it exists.")
        var force = false

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (to == nil) != (asSnapshot == nil) else {
                throw ValidationError("give exactly one of --to DIR and --as-snapshot FILE")
            }
        }

        func run() throws {
            let created = CreatedByThisRun()
            try CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                try OutputPreflight.readableFile(archive, for: "the archive")
                let counter = ProgressCounter("archive extract")
                if let to {
                    try OutputPreflight.writableDirectory(OutputPreflight.parent(of: to), for: "--to", created: created)
                    output.progressPhases("archive extract", total: BagExtractor.phaseCount)
                    let bag = try BagExtractor(archivePath: archive).extract(
                        to: to, force: force, progress: output.progress, counted: { counter($0) })
                    CommandRunner.printResult(
                        json: output.json, JSONValue.object(["extracted_to": .string(bag)]),
                        text: "extracted to \(bag)\n")
                } else if let asSnapshot {
                    try OutputPreflight.writableFile(asSnapshot, for: "--as-snapshot", created: created)
                    output.progressPhases("archive extract", total: ArchiveExtractor.rebuildPhaseCount)
                    let snapshot = try ArchiveExtractor(archivePath: archive).rebuildSnapshot(
                        at: asSnapshot, force: force, progress: output.progress, counted: { counter($0) })
                    CommandRunner.printResult(
                        json: output.json,
                        JSONValue.object([
                            "snapshot": .string(asSnapshot), "snapshot_id": .string(snapshot.manifest.snapshotID),
                            "hashes_match": true,
                        ]),
                        text: "rebuilt snapshot \(snapshot.manifest.snapshotID) at \(asSnapshot); content hashes match "
                            + "its manifest\n"
                    )
                }
                return 0
            }
        }
    }
}

extension CutoverCommand.Archive.Extract: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
    }
}
