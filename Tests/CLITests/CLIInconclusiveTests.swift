import Foundation
import SQLite
import TestSupport
import Testing

/// Inconclusive is not pass (issue 18, point 2): a replay, verify or dual-run comparison that had
/// nothing to compare ends with its own verdict and exit code, says what is missing, and the drain
/// and retirement gates refuse it.
struct CLIInconclusiveTests {
    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    func pendingRows(_ directory: String) throws -> Int64 {
        let database = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
        return try database.query("SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending'")
            .first?.first?.integerValue ?? -1
    }

    /// A register-less snapshot, and one without the Firestore baseline: each replay is INCONCLUSIVE (12)
    /// naming what is missing; the drain given that report, or a ledger holding it, refuses (8) and
    /// writes nothing; retirement's parity gate fails on it. `source` holds `Self.world`, and `fs.sqlite` in
    /// `directory` its store.
    func registerlessReplayIsRefused(source: String, directory: String) async throws {
        func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
            try await CutoverBinary.run(arguments, directory: directory)
        }
        let store = "embedded:\(directory)/fs.sqlite"
        let snapshot = try await run([
            "snapshot", "--source", source, "--firestore", store, "--no-register", "--out", "noreg.sqlite",
            "--ledger", "ledger.sqlite",
        ])
        #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
        let replay = try await run([
            "parity", "replay", "--snapshot", "noreg.sqlite", "--out", "noreg", "--ledger", "ledger.sqlite",
        ])
        #expect(replay.exitCode == 12, "\(replay.stdout)\(replay.stderr)")
        #expect(
            replay.stdout.contains("parity: INCONCLUSIVE")
                && replay.stdout.contains("missing: the snapshot holds no member register"))
        let report = try json("\(directory)/noreg/parity.json")
        #expect(report["verdict"] as? String == "inconclusive" && report["exit_code"] as? Int == 12)
        #expect((report["missing"] as? [String])?.count == 1)
        let markdown = try String(contentsOfFile: "\(directory)/noreg/parity.md", encoding: .utf8)
        #expect(markdown.contains("# Parity replay: INCONCLUSIVE") && markdown.contains("no member register"))

        let bare = try await run(["snapshot", "--source", source, "--out", "bare.sqlite"])
        #expect(bare.exitCode == 0, "\(bare.stderr)")
        let baseless = try await run(["parity", "replay", "--snapshot", "bare.sqlite", "--out", "bare"])
        #expect(
            baseless.exitCode == 12 && baseless.stdout.contains("no Firestore baseline"),
            "\(baseless.stdout)\(baseless.stderr)")

        // The drain's gates: the report itself, and the ledger that recorded it.
        let pendingBefore = source.hasPrefix("sqlite:") ? try pendingRows(directory) : 0
        let given = try await run(["drain", "--source", source, "--target", store, "--parity", "noreg/parity.json"])
        #expect(
            given.exitCode == 8 && given.stderr.contains("drain refused: the parity verdict is inconclusive"),
            "\(given.stderr)")
        let ledgered = try await run(["drain", "--source", source, "--target", store, "--ledger", "ledger.sqlite"])
        #expect(
            ledgered.exitCode == 8 && ledgered.stderr.contains("parity-replay did not pass (inconclusive, exit 12)"),
            "\(ledgered.stderr)")
        if source.hasPrefix("sqlite:") { #expect(try pendingRows(directory) == pendingBefore && pendingBefore > 0) }

        // Retirement reads the same verdict: its parity gate fails, naming what is missing.
        let retire = try await run([
            "retire", "--source", source, "--archive", "none.tar.gz", "--parity", "noreg/parity.json", "--json",
        ])
        #expect(retire.exitCode == 40)
        let gates =
            (try DecodedOutput.resultObject(retire.stdout))?["gates"]
            as? [[String: Any]] ?? []
        let parity = gates.first { $0["gate"] as? String == "parity-verdict" }
        #expect(
            parity?["passed"] as? Bool == false
                && (parity?["detail"] as? String)?.contains("inconclusive: the snapshot holds no member register")
                    == true,
            "\(retire.stdout)")
    }

    static let world = DemoWorld(members: 200, queueRows: 600)

    @Test func registerlessReplayIsInconclusiveAndRefusedOnSQLite() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.copy(into: directory, store: .at("fs.sqlite"))
            try await registerlessReplayIsRefused(source: "sqlite:legacy.sqlite", directory: directory)
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
    func registerlessReplayIsInconclusiveAndRefusedOnPostgreSQL() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.withCopiedDatabase(store: .at("fs.sqlite"), in: directory) { url in
                try await registerlessReplayIsRefused(source: url, directory: directory)
            }
        }
    }

    /// An empty register and queue: the replay compares no member and verify reconciles none; both are
    /// INCONCLUSIVE, not PASS. Rules that ignore every field hide every difference: INCONCLUSIVE too.
    @Test func nothingComparedIsInconclusive() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await DemoWorld(members: 60, queueRows: 200).copy(into: directory)
            let hidden = try await run([
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                "--out", "full.sqlite",
            ])
            #expect(hidden.exitCode == 0, "\(hidden.stderr)")
            try "version: 1\nignore:\n  - path: \"*\"\n    reason: everything\n".write(
                toFile: "\(directory)/all.yaml", atomically: true, encoding: .utf8)
            let ignored = try await run([
                "parity", "replay", "--snapshot", "full.sqlite", "--rules", "all.yaml", "--out", "all",
            ])
            #expect(
                ignored.exitCode == 12 && ignored.stdout.contains("the rules ignore every field that differed"),
                "\(ignored.stdout)")
            // The shipped rules ignore only times: the same snapshot is judged.
            #expect(
                [10, 11].contains(
                    try await run(["parity", "replay", "--snapshot", "full.sqlite", "--out", "shipped"]).exitCode))

            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readWrite)
            try legacy.execute("DELETE FROM membership_membersyncqueue; DELETE FROM membership_comrade")
            legacy.close()
            let store = "embedded:\(directory)/empty-firestore.sqlite"
            #expect(
                try await run([
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", store, "--out", "empty.sqlite",
                ])
                .exitCode == 0)
            let replay = try await run(["parity", "replay", "--snapshot", "empty.sqlite", "--out", "empty"])
            #expect(
                replay.exitCode == 12 && replay.stdout.contains("missing: no member was compared"), "\(replay.stdout)")
            #expect(
                try await run(["drain", "--source", "sqlite:legacy.sqlite", "--target", store, "--journal", "j.sqlite"])
                    .exitCode == 0)
            let verify = try await run([
                "verify", "--source", "sqlite:legacy.sqlite", "--target", store, "--journal", "j.sqlite", "--out", "v",
            ])
            #expect(verify.exitCode == 12 && verify.stdout.contains("verify: INCONCLUSIVE"), "\(verify.stdout)")
            let report = try json("\(directory)/v/verify.json")
            #expect(
                report["verdict"] as? String == "inconclusive"
                    && ((report["missing"] as? [String])?.first ?? "").contains("no member"))
        }
    }

    /// A dual-run comparison over a window with no recorded delivery, or an inverted window.
    @Test func shadowCompareWithoutDeliveriesOrWithAnInvertedWindowIsInconclusive() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await DemoWorld(members: 60, queueRows: 200).copy(into: directory, store: .none)
            let compare = [
                "shadow", "compare", "--source", "sqlite:legacy.sqlite", "--record", "record.sqlite",
                "--path-a", "embedded:a.sqlite", "--path-b", "embedded:b.sqlite", "--json",
            ]
            let empty = try await run(
                compare + ["--since", "2025-11-01T00:00:00Z", "--until", "2025-11-25T00:00:00Z", "--out", "empty"])
            #expect(empty.exitCode == 12, "\(empty.stderr)")
            let report = try json("\(directory)/empty/shadow.json")
            #expect(report["verdict"] as? String == "inconclusive")
            let firstMissing = (report["missing"] as? [String])?.first ?? ""
            #expect(firstMissing.contains("no webhook delivery was recorded"))
            let inverted = try await run(
                compare + ["--since", "2025-11-25T00:00:00Z", "--until", "2025-11-01T00:00:00Z", "--out", "inverted"])
            #expect(inverted.exitCode == 12)
            let invertedMissing = (try json("\(directory)/inverted/shadow.json")["missing"] as? [String])?.first ?? ""
            #expect(invertedMissing.contains("inverted"))
        }
    }
}
