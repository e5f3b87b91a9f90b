import ArgumentParser
import CutoverCore
import CutoverSupport

extension CutoverCommand.Archive {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pack a snapshot (and reports) into a BagIt bag in a deterministic tar.gz.",
            discussion: """
                The bag (RFC 8493: bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt, \
                tagmanifest-sha256.txt, data/) holds the queue table as PostgreSQL COPY text with its DDL and a \
                psql restore script, the member register and the Firestore collections as NDJSON, the reports \
                from --reports, and the snapshot's own tables. The same snapshot gives the same bytes. Written \
                under a temporary name, mode 0600, with a sha256sum-style sidecar FILE.sha256.

                Open it without cutover: sha256sum -c A.tar.gz.sha256; tar xzf A.tar.gz; then in the bag \
                sha256sum -c manifest-sha256.txt; and data/README.txt says how to restore with psql.

                Example:
                  cutover archive create --snapshot Snapshots/before-cutover.sqlite --out queue-archive.tar.gz
                """)

        @Option(help: ArgumentHelp("The snapshot file to archive.", valueName: "FILE"), completion: .file())
        var snapshot: String

        @Option(
            help: ArgumentHelp("A directory of reports to include (parity, drain, verify).", valueName: "DIR"),
            completion: .directory)
        var reports: String?

        @Option(help: ArgumentHelp("The archive to write (.tar.gz).", valueName: "FILE"), completion: .file())
        var out: String

        @Flag(
            help:
                "Replace the archive if it exists; with --ledger, also run though a prerequisite is missing (recorded)."
        )
        var force = false

        @OptionGroup var ledger: LedgerOptions

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func run() throws {
            try CommandRunner.run(masker: output.masker) {
                let step = try ledger.begin(.archive, force: force)
                // A step that stops with an error is recorded as failed, with the exit code it ends with.
                return try CommandRunner.recording(step) {
                    var options = ArchiveWriter.Options(snapshotPath: snapshot, outputPath: out)
                    options.reportsDirectory = reports
                    options.force = force
                    // The queue table, the snapshot's own tables, the Firestore collections, the packing.
                    output.progressPhases("archive create", total: 4)
                    let result = try ArchiveWriter(options: options).run(progress: output.progress)
                    try step?.finish(exitCode: 0, verdict: .written, outputs: .init(archive: result.path))
                    CommandRunner.printResult(
                        json: output.json,
                        JSONValue.object([
                            "path": .string(result.path), "sha256": .string(result.sha256),
                            "snapshot_id": .string(result.snapshotID),
                            "payload_files": .integer(Int64(result.payloadFiles)),
                            "payload_bytes": .integer(Int64(result.payloadBytes)),
                        ]),
                        text: "Archive \(result.path) (snapshot \(result.snapshotID)): \(result.payloadFiles) payload "
                            + "files, "
                            + "\(result.payloadBytes) bytes\n  sha256 \(result.sha256)  (also in "
                            + "\(result.path).sha256)\n"
                    )
                    return 0
                }
            }
        }
    }
}

extension CutoverCommand.Archive.Create: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        output.fill(from: configuration)
        ledger.fill(from: configuration)
    }
}
