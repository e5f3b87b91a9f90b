import Foundation
import LegacySync
import TestSupport
import Testing

@testable import CutoverCLI

/// The configuration file fills each option group after parsing: the command line wins, then the file,
/// then the option's default; a required value may come from either, and is refused when neither names it.
struct ConfigurationFillTests {
    let file = ConfigurationFile(values: [
        "source": "sqlite:file.sqlite", "target": "embedded:file-store.sqlite", "table": "file.queue",
        "rules": "file-rules.yaml", "ledger": "file-ledger.sqlite",
    ])

    @Test func eachGroupTakesTheFilesValueOnlyWhereTheCommandLineIsSilent() throws {
        var source = try SourceOptions.parse(["--table", "flag.queue"])
        try source.fill(from: file)
        #expect(source.source == "sqlite:file.sqlite")
        #expect(try source.tableName().description == "flag.queue")

        var ledger = try LedgerOptions.parse(["--ledger", "flag-ledger.sqlite"])
        ledger.fill(from: file)
        #expect(ledger.ledger == "flag-ledger.sqlite")
        ledger = try LedgerOptions.parse([])
        ledger.fill(from: file)
        #expect(ledger.ledger == "file-ledger.sqlite")

        var firestore = try FirestoreOptions.parse([])
        firestore.fill(from: file)
        #expect(firestore.firestore == "embedded:file-store.sqlite")
        firestore = try FirestoreOptions.parse(["--firestore", "embedded:flag.sqlite"])
        firestore.fill(from: file)
        #expect(firestore.firestore == "embedded:flag.sqlite")
    }

    @Test func withoutTheFileOrTheFlagTheDefaultStands() throws {
        var source = try SourceOptions.parse(["--source", "sqlite:flag.sqlite"])
        try source.fill(from: .empty)
        #expect(try source.tableName() == QueueTableName.defaultName)
        // A flag naming the default is still a flag: the file does not override it.
        source = try SourceOptions.parse([
            "--source", "sqlite:flag.sqlite", "--table", QueueTableName.defaultName.description,
        ])
        try source.fill(from: file)
        #expect(try source.tableName() == QueueTableName.defaultName)
    }

    @Test func aRequiredSourceMayComeFromEitherButNotFromNeither() throws {
        var named = try SourceOptions.parse([])
        try named.fill(from: file)
        #expect(try named.url() == "sqlite:file.sqlite")
        var missing = try SourceOptions.parse([])
        let refused = #expect(throws: (any Error).self) { try missing.fill(from: .empty) }
        #expect(refused.map { "\($0)" } == SourceOptions.missingSource)

        var status = try CutoverCommand.Status.parse([])
        try status.fill(from: file)
        #expect(status.source == "sqlite:file.sqlite" && status.ledger.ledger == "file-ledger.sqlite")
        #expect(status.firestore.firestore == "embedded:file-store.sqlite")
        var bare = try CutoverCommand.Status.parse([])
        let neither = #expect(throws: (any Error).self) { try bare.fill(from: .empty) }
        #expect(neither.map { "\($0)" }?.hasPrefix("give --source (a database or snapshot), or --ledger FILE") == true)

        var rehearse = try CutoverCommand.Rehearse.parse(["--source", "sqlite:flag.sqlite"])
        #expect(throws: (any Error).self) { try rehearse.fill(from: .empty) }
        try rehearse.fill(from: file)
        #expect(rehearse.source == "sqlite:flag.sqlite" && rehearse.target == "embedded:file-store.sqlite")
    }

    /// The file's `target` is `--target` where a command has one, else `--firestore`; either spelling on the
    /// command line keeps it out.
    @Test func theTargetGoesWhereTheCommandTakesIt() throws {
        var drain = try CutoverCommand.Drain.parse([])
        try drain.fill(from: file)
        #expect(drain.target == "embedded:file-store.sqlite" && drain.firestore.firestore == nil)
        #expect(drain.source.source == "sqlite:file.sqlite" && drain.ledger.ledger == "file-ledger.sqlite")

        var synonym = try CutoverCommand.Drain.parse(["--firestore", "embedded:flag.sqlite"])
        try synonym.fill(from: file)
        #expect(synonym.target == nil && synonym.firestore.firestore == "embedded:flag.sqlite")

        var verify = try CutoverCommand.Verify.parse(["--target", "embedded:flag.sqlite"])
        try verify.fill(from: file)
        #expect(verify.target == "embedded:flag.sqlite" && verify.rules == "file-rules.yaml")

        var snapshot = try CutoverCommand.Snapshot.parse([])
        try snapshot.fill(from: file)
        #expect(snapshot.firestore.firestore == "embedded:file-store.sqlite")

        // Restore's --firestore is not the cutover's target: only its ledger comes from the file.
        var restore = try CutoverCommand.Restore.parse(["--archive", "a.tar.gz", "--into", "sqlite:restored.sqlite"])
        try restore.fill(from: file)
        #expect(restore.firestore.firestore == nil && restore.ledger.ledger == "file-ledger.sqlite")
    }

    /// A check that needs the file's values prints as ArgumentParser prints a validation error, with the
    /// command's own usage.
    @Test func aMissingSourceIsReportedWithTheCommandsUsage() async throws {
        let outcome = try await CutoverBinary.run(
            ["drain", "--target", "embedded:x.sqlite"], environment: CutoverBinary.cleanEnvironment())
        #expect(outcome.exitCode == 64)
        #expect(
            outcome.stderr == """
                Error: Missing expected argument '--source <URL>' (or name the database as for psql with PGSERVICE, \
                PGHOST, PGHOSTADDR or PGDATABASE)
                Usage: cutover drain <options>
                  See 'cutover drain --help' for more information.

                """, "\(outcome.stderr)")
    }

    /// `--config` is taken before the subcommand's name too, and by commands that read nothing from it.
    @Test func theConfigurationFileIsNamedAnywhereOnTheCommandLine() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(
                    arguments, environment: CutoverBinary.cleanEnvironment(), directory: directory)
            }
            try await DemoWorld(members: 20, queueRows: 40).copy(into: directory)
            try "source: sqlite:legacy.sqlite\n".write(
                toFile: "\(directory)/named.yaml", atomically: true, encoding: .utf8)
            #expect(try await run(["status"]).exitCode == 64)
            let before = try await run(["--config", "named.yaml", "status"])
            #expect(before.exitCode == 0 && before.stdout.contains("legacy.sqlite"), "\(before.stderr)")
            let after = try await run(["status", "--config=named.yaml"])
            #expect(after.exitCode == 0 && after.stdout.contains("legacy.sqlite"), "\(after.stderr)")
            #expect(try await run(["parity", "rules", "--config", "named.yaml"]).exitCode == 0)
        }
    }
}
