import CutoverSupport
import Foundation
import TestSupport
import Testing

/// The drain's spools on disk (issue 21 point 4): while it runs, its rows' outcomes wait in a private
/// staging directory inside `--out` (0700, the file 0600); SIGINT removes it with the rest, and a drain
/// that ends leaves only its report.
struct CLIDrainSpoolTests {
    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int ?? 0) & 0o777
    }

    func spools(in directory: String) -> [String] {
        filesIn(directory).filter { $0.hasPrefix(".cutover-drain-") && $0.contains(".cutover-staging-") }
    }

    func copyWorld(into directory: String) async throws {
        let world = try await CLIInterruptTests.world.value
        for file in ["legacy.sqlite", "fs.sqlite"] {
            try FileManager.default.copyItem(atPath: "\(world)/\(file)", toPath: "\(directory)/\(file)")
        }
    }

    let arguments = [
        "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:fs.sqlite", "--journal", "journal.sqlite",
        "--out", "drain-out", "--include-failed",
    ]

    @Test func theSpoolIsPrivateWhileTheDrainRunsAndGoneAfterSIGINT() async throws {
        try await withTemporaryDirectory { directory in
            try await copyWorld(into: directory)
            let run = try TerminalWatchedProcess(arguments + ["--batch-size", "10"], directory: directory)
            try #require(try await run.waitFor("drain: "), "drain ended early: \(run.stderr)")
            let out = "\(directory)/drain-out"
            let rows = try #require(spools(in: out).first { $0.hasPrefix(".cutover-drain-rows") }, "\(filesIn(out))")
            #expect(mode("\(out)/\(rows)") == 0o700)
            #expect(mode("\(out)/\(rows)/rows.sqlite") == 0o600)
            for queue in spools(in: out) where queue.hasPrefix(".cutover-drain-queue") {
                #expect(mode("\(out)/\(queue)/unresolved.sqlite") == 0o600)
            }
            run.send(SIGINT)
            #expect(try await run.waitForExit() == 130, "\(run.stderr)")
            #expect(spools(in: out) == [], "left behind: \(filesIn(out))")
        }
    }

    @Test func aFinishedDrainLeavesOnlyItsReport() async throws {
        try await withTemporaryDirectory { directory in
            // A world of its own, small: the spools are made for any drain with an --out, and what this test
            // looks at is what is left once the drain has ended. Draining the interrupt tests' world of
            // 60,000 rows to the end cost 3.5 s of CPU for the same answer; this seed and drain cost well
            // under one.
            try await DemoWorld(members: 300, queueRows: 1_200).copy(into: directory, store: .at("fs.sqlite"))
            let outcome = try await CutoverBinary.run(
                arguments + ["--quiet"], environment: CutoverBinary.cleanEnvironment(), directory: directory)
            #expect([0, 20].contains(outcome.exitCode), "\(outcome.stderr)")
            let names = filesIn("\(directory)/drain-out")
            #expect(names.contains("drain.json") && spools(in: "\(directory)/drain-out") == [], "\(names)")
        }
    }
}
