import Foundation
import SQLite
import TestSupport
import Testing

/// Artifacts are tied to the database they came from (issue 18, point 1): retire, restore into the
/// original place and a drain given a parity report refuse another database's archive, parity report,
/// journal or restore record, naming both sides, unless --force — which is printed and recorded.
struct CLISourceIdentityTests {
    func gates(_ outcome: CutoverBinary.Outcome) -> [String: (passed: Bool, detail: String)] {
        let json = (try? DecodedOutput.resultObject(outcome.stdout)) ?? [:]
        var found: [String: (Bool, String)] = [:]
        for gate in json["gates"] as? [[String: Any]] ?? [] {
            found[gate["gate"] as! String] = (gate["passed"] as? Bool ?? false, gate["detail"] as? String ?? "")
        }
        return found
    }

    /// `a` and `b` are two databases, each holding `Self.world` (stores `fs-a.sqlite`, `fs-b.sqlite` in
    /// `directory`); `nameA`/`nameB` how each shows in a message; `rehearsal` restores A's archive somewhere that
    /// is not A's original place.
    ///
    /// Copies of one seeded world, not two seeds: a source's identity is where it lives (a file's path and
    /// inode, a database's name), not anything stored in it, so a copy is another database exactly as a
    /// second seed is. (PostgreSQL template copies share the table's OID; the database name tells them apart,
    /// as it tells apart any two databases of one cluster.)
    func artifactsOfAnotherDatabaseAreRefused(
        a: String, b: String, nameA: String, nameB: String, rehearsal: [String],
        directory: String
    ) async throws {
        func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
            try await CutoverBinary.run(arguments, directory: directory)
        }
        let (storeA, storeB) = ("embedded:\(directory)/fs-a.sqlite", "embedded:\(directory)/fs-b.sqlite")
        #expect(
            try await run(["snapshot", "--source", a, "--firestore", storeA, "--out", "a-before.sqlite"]).exitCode == 0)
        #expect(
            [0, 10].contains(
                try await run(["parity", "replay", "--snapshot", "a-before.sqlite", "--out", "pa"]).exitCode))
        #expect(
            try await run([
                "drain", "--source", a, "--target", storeA, "--include-failed", "--journal", "ja.sqlite", "--out", "da",
            ]).exitCode == 0)
        #expect(
            try await run(["snapshot", "--source", a, "--firestore", storeA, "--out", "a-after.sqlite"]).exitCode == 0)
        #expect(
            try await run(["archive", "create", "--snapshot", "a-after.sqlite", "--out", "a.tar.gz"]).exitCode == 0)
        let rehearsed = try await run(["restore", "--archive", "a.tar.gz", "--out", "ra"] + rehearsal)
        #expect(rehearsed.exitCode == 0, "\(rehearsed.stderr)")
        let artifacts = [
            "--archive", "a.tar.gz", "--parity", "pa/parity.json", "--journal", "ja.sqlite", "--rehearsal",
            "ra/restore.json", "--json",
        ]

        // On A itself every artifact belongs.
        let own = gates(try await run(["retire", "--source", a] + artifacts))
        #expect(own["source-identity"]?.passed == true, "\(own["source-identity"]?.detail ?? "no gate")")
        // On B the gate names each artifact with both sides.
        let foreign = try await run(["retire", "--source", b] + artifacts)
        #expect(foreign.exitCode == 40)
        let identity = try #require(gates(foreign)["source-identity"])
        #expect(!identity.passed)
        for artifact in [
            "the archive a.tar.gz", "the parity report pa/parity.json", "the drain journal ja.sqlite",
            "the restore record ra/restore.json",
        ] {
            #expect(identity.detail.contains(artifact), "\(artifact): \(identity.detail)")
        }
        #expect(identity.detail.contains(nameA) && identity.detail.contains(nameB), "\(identity.detail)")

        // Forced: the gate passes, says so, and the ledger records it.
        let forced = try await run(["retire", "--source", b, "--force", "--ledger", "ledger.sqlite"] + artifacts)
        let forcedGate = try #require(gates(forced)["source-identity"])
        #expect(forcedGate.passed && forcedGate.detail.hasPrefix("FORCED past: "), "\(forcedGate.detail)")
        let ledger = try SQLiteDatabase(path: "\(directory)/ledger.sqlite", mode: .readOnly)
        let entry = try #require(try ledger.query("SELECT forced, forced_past FROM steps WHERE step = 'retire'").first)
        #expect(entry[0] == .integer(1) && (entry[1].textValue ?? "").contains("comes from"), "\(entry)")

        // A drain of B given A's parity report.
        let drain = try await run([
            "drain", "--source", b, "--target", storeB, "--parity", "pa/parity.json", "--journal", "jb.sqlite",
        ])
        #expect(drain.exitCode == 7 && drain.stderr.contains(nameA) && drain.stderr.contains(nameB), "\(drain.stderr)")

        // A's archive restored into B's original place: refused, then forced.
        let restore = try await run(["restore", "--archive", "a.tar.gz", "--into", b, "--replace"])
        #expect(
            restore.exitCode == 7 && restore.stderr.contains(nameA) && restore.stderr.contains(nameB),
            "\(restore.stderr)")
        let overridden = try await run([
            "restore", "--archive", "a.tar.gz", "--into", b, "--replace", "--force", "--out", "rb",
        ])
        #expect(
            overridden.exitCode == 0 && overridden.stdout.contains("FORCED past: the snapshot"),
            "\(overridden.stdout)\(overridden.stderr)")
    }

    static let world = DemoWorld(members: 150, queueRows: 500)

    @Test func artifactsOfAnotherSQLiteFileAreRefused() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.copy(into: directory, legacy: "a.sqlite", store: .at("fs-a.sqlite"))
            try await Self.world.copy(into: directory, legacy: "b.sqlite", store: .at("fs-b.sqlite"))
            try await artifactsOfAnotherDatabaseAreRefused(
                a: "sqlite:a.sqlite", b: "sqlite:b.sqlite", nameA: "/a.sqlite", nameB: "/b.sqlite",
                rehearsal: ["--into", "sqlite:scratch.sqlite"], directory: directory)
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
    func artifactsOfAnotherPostgreSQLDatabaseAreRefused() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.withCopiedDatabase(store: .at("fs-a.sqlite"), in: directory) { a in
                try await Self.world.withCopiedDatabase(store: .at("fs-b.sqlite"), in: directory) { b in
                    func name(_ url: String) -> String {
                        "database " + (url.split(separator: "/").last.map(String.init) ?? "")
                    }
                    try await artifactsOfAnotherDatabaseAreRefused(
                        a: a, b: b, nameA: name(a), nameB: name(b),
                        rehearsal: ["--into", a, "--schema", "cutover_rehearsal"], directory: directory)
                }
            }
        }
    }
}
