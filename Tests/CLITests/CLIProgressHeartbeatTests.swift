import Foundation
import TestSupport
import Testing

/// Progress of the archive, shadow and nightly-run commands as a log file gets it: numbered phases, counted
/// lines with a percentage, and heartbeats while a phase runs, all on standard error.
// Not serialized: every test works on its own copy of the world in a directory of its own, and what the
// timing checks allow only grows with load (more lines in a longer run; the default interval's cap is
// per second run). Serialized, this suite's tests ran one after the other for half a minute on their own.
struct CLIProgressHeartbeatTests {
    let progress = CLIProgressAndLogTests()

    /// The world's database snapshotted and archived into `directory` (`a.tar.gz`).
    func archiveWorld(into directory: String) async throws {
        try await progress.copyWorld(into: directory)
        let snapshot = try await CutoverBinary.run(
            [
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite", "--out",
                "s.sqlite", "-q",
            ], environment: CutoverBinary.cleanEnvironment(), directory: directory)
        #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
        let archive = try await CutoverBinary.run(
            ["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz", "-q"],
            environment: CutoverBinary.cleanEnvironment(), directory: directory)
        #expect(archive.exitCode == 0, "\(archive.stderr)")
    }

    /// The acceptance test for the archive commands: with standard error in a file, rebuilding a snapshot
    /// from an archive writes its five phases and, while they run, periodic lines with a percentage (the
    /// interval shortened from 5 s so a run of a second shows several).
    @Test func archiveExtractWithStderrInAFileWritesPhasesAndPeriodicLinesWithAPercentage() async throws {
        try await withTemporaryDirectory { directory in
            try await archiveWorld(into: directory)
            let run = try await progress.runWithStderrInAFile(
                ["archive", "extract", "a.tar.gz", "--as-snapshot", "rebuilt.sqlite", "--progress-interval", "0.02"],
                directory: directory)
            #expect(run.code == 0, "\(run.err)")
            let lines = run.err.split(separator: "\n").map(String.init)
            for phase in [
                "… archive extract 1/5: checking a.tar.gz against its .sha256 sidecar",
                "… archive extract 2/5: reading and hashing every file in the archive",
                "… archive extract 3/5: writing the bag's files beside ",
                "… archive extract 4/5: rebuilding the snapshot's tables from the bag",
                "… archive extract 5/5: checking the rebuilt snapshot's content hashes against its manifest",
            ] {
                #expect(lines.contains { $0.hasPrefix(phase) }, "\(phase): \(run.err)")
            }
            // Every line is a plain progress line: no terminal control, nothing else.
            #expect(lines.allSatisfy { $0.hasPrefix("… ") }, "\(run.err)")
            #expect(!run.err.contains("\r") && !run.err.contains("\u{1B}"))
            let periodic = lines.filter { $0.firstMatch(of: /\d+%/) != nil }
            #expect(periodic.count >= 3, "\(run.err)")
            // Heartbeats say how long the phase has run; counted lines are in megabytes of the archive or bag.
            #expect(lines.contains { $0.firstMatch(of: /: .+, \d+ s/) != nil }, "\(run.err)")
            #expect(periodic.allSatisfy { $0.contains(" MB ") }, "\(periodic)")
            #expect(!run.out.contains("… ") && run.out.contains("content hashes match"), "\(run.out)")
        }
    }

    /// `-q` and `--progress none` silence the phases, the counted lines and the heartbeat alike.
    @Test func quietArchiveCommandsWriteNoProgress() async throws {
        try await withTemporaryDirectory { directory in
            try await archiveWorld(into: directory)
            let verified = try await progress.runWithStderrInAFile(
                ["archive", "verify", "a.tar.gz", "-q", "--progress-interval", "0.01"], directory: directory)
            #expect(verified.code == 0 && verified.err.isEmpty, "\(verified.err)")
            let extracted = try await progress.runWithStderrInAFile(
                ["archive", "extract", "a.tar.gz", "--to", "bag", "--progress", "none", "--progress-interval", "0.01"],
                directory: directory)
            #expect(extracted.code == 0 && extracted.err.isEmpty, "\(extracted.err)")
            // And with progress on, verify names its two phases.
            let shown = try await progress.runWithStderrInAFile(
                ["archive", "verify", "a.tar.gz"], directory: directory)
            #expect(shown.code == 0, "\(shown.err)")
            #expect(
                shown.err.contains("… archive verify 1/2: checking a.tar.gz")
                    && shown.err.contains("… archive verify 2/2: reading and hashing every file"), "\(shown.err)")
        }
    }

    /// The nightly run names its three phases and counts the rows it pulls (every count shown: interval 0).
    @Test func theNightlyRunNamesItsPhases() async throws {
        try await withTemporaryDirectory { directory in
            try await progress.copyWorld(into: directory)
            let run = try await progress.runWithStderrInAFile(
                [
                    "demo", "nightly-run", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite",
                    "--dry-run", "--progress-interval", "0",
                ], directory: directory)
            #expect(run.code == 0, "\(run.err)")
            for phase in [
                "… nightly run 1/3: applying the portal's edits", "… nightly run 2/3: pulling ",
                "… nightly run 3/3: recording the run in sync_logs",
            ] {
                #expect(run.err.contains(phase), "\(phase): \(run.err)")
            }
            #expect(run.err.contains("nightly run: 0/"), "the pull's count starts with its total: \(run.err)")
        }
    }
}
