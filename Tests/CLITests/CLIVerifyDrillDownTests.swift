import Foundation
import TestSupport
import Testing

/// Drill-down through the binary for verify and the drain: `drain --dry-run --member` plans only that
/// member's rows and a real drain refuses the restriction (64); `verify --member`/`--since`/`--until`
/// reconciles only those members, names its scope, and the ledger refuses it as a step (8); `parity show
/// --register` shows the member verify found different, field by field, live or from a snapshot.
struct CLIVerifyDrillDownTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func verifyDrainAndTheRegisterViewRestrictedToAMember() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String], expecting codes: Set<Int32> = [0]) async throws -> CutoverBinary.Outcome {
                let outcome = try await CutoverBinary.run(arguments, directory: directory)
                #expect(codes.contains(outcome.exitCode), "\(arguments): \(outcome.stdout)\(outcome.stderr)")
                return outcome
            }
            let (legacy, store) = ("sqlite:legacy.sqlite", "embedded:fs.sqlite")
            try await DemoWorld(members: 300, queueRows: 1_200).copy(into: directory, store: .at("fs.sqlite"))
            let drain = ["drain", "--source", legacy, "--target", store]

            // The dry run restricted to the member with the most rows plans exactly its rows.
            let whole = try Self.object(
                try await run(drain + ["--dry-run", "--include-failed", "--unmask", "--json"], expecting: [0, 20])
                    .stdout)
            let rows = try #require((whole["result"] as? [String: Any])?["rows"] as? [[String: Any]])
            let byMember = Dictionary(grouping: rows) { $0["member"] as? String ?? "" }
            let busiest = try #require(byMember.max { $0.value.count < $1.value.count }?.key)
            let planned = try await run(
                drain + ["--dry-run", "--include-failed", "--member", busiest, "--unmask", "--json"],
                expecting: [0, 20])
            let restricted = try #require(try Self.object(planned.stdout)["result"] as? [String: Any])
            let plannedRows = try #require(restricted["rows"] as? [[String: Any]])
            #expect(
                Set(plannedRows.compactMap { $0["row"] as? Int })
                    == Set(byMember[busiest]!.compactMap { $0["row"] as? Int }))
            #expect((restricted["scope"] as? String) == "1 member (\(busiest))")
            let text = try await run(
                drain + ["--dry-run", "--include-failed", "--member", busiest], expecting: [0, 20])
            #expect(text.stdout.contains("restricted to: 1 member (\(busiest.prefix(6))-****)"), "\(text.stdout)")
            #expect(!text.stdout.contains(busiest))
            let stranding = try await run(drain + ["--member", busiest], expecting: [64])
            #expect(stranding.stderr.contains("strand"), "\(stranding.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain-journal.sqlite"))

            _ = try await run(drain + ["--include-failed", "--out", "drained"], expecting: [0, 20])
            // A member renamed in the register after the drain: verify finds its document different.
            let listed = try CLIArchiveSQLiteRestoreTests.shell(
                "sqlite3 legacy.sqlite \"SELECT ssn FROM membership_comrade WHERE ssn NOT LIKE '9999%' ORDER BY id "
                    + "LIMIT 2\"", in: directory)
            let members = listed.output.split(separator: "\n").map(String.init)
            #expect(listed.status == 0 && members.count == 2, "\(listed.output)")
            let (renamed, other) = (members[0], members[1])
            #expect(
                try shellStatus(
                    "sqlite3 legacy.sqlite \"UPDATE membership_comrade SET name = 'Renamed Person' WHERE ssn = "
                        + "'\(renamed)'\"", in: directory) == 0)
            let verify = [
                "verify", "--source", legacy, "--target", store, "--journal", "cutover-out/drain-journal.sqlite",
            ]
            let all = try await run(verify + ["--out", "v-all"], expecting: [30])
            #expect(all.stdout.contains(", 1 different,"), "\(all.stdout)")
            #expect(!all.stdout.contains("restricted to"))

            let one = try await run(
                verify + ["--member", renamed, "--out", "v-one", "--ledger", "ledger.sqlite", "--force"],
                expecting: [30])
            #expect(one.stdout.contains("restricted to: 1 member (\(renamed.prefix(6))-****"), "\(one.stdout)")
            #expect(one.stdout.contains("register 1 members, 1 documents") && !one.stdout.contains(renamed))
            let markdown = try String(contentsOfFile: "\(directory)/v-one/verify.md", encoding: .utf8)
            #expect(markdown.contains("- restricted to: **1 member ("), "\(markdown)")
            let html = try String(contentsOfFile: "\(directory)/v-one/verify.html", encoding: .utf8)
            #expect(html.contains("a drill-down: no gate accepts this report"))
            // The ledger holds it as a drill-down, which the next step refuses (8).
            let archive = try await run(
                ["archive", "create", "--snapshot", "none.sqlite", "--out", "a.tar.gz", "--ledger", "ledger.sqlite"],
                expecting: [8])
            #expect(archive.stderr.contains("verify is a drill-down"), "\(archive.stderr)")
            let status = try await run(["status", "--ledger", "ledger.sqlite"])
            #expect(status.stdout.contains("drill-down"), "\(status.stdout)")

            // Dead letters the demo's drain leaves (if any) fail the proof, which stays the whole queue's.
            let fine = try Self.object(
                try await run(verify + ["--member", other, "--out", "v-other", "--json"], expecting: [0, 30]).stdout)
            let report = try #require(fine["result"] as? [String: Any])
            let reconciled = report["reconciliation"] as? [String: Any]
            #expect(reconciled?["matching"] as? Int == 1 && (reconciled?["findings"] as? [Any])?.isEmpty == true)
            #expect((report["scope"] as? String)?.hasPrefix("1 member (\(other.prefix(6))-****") == true)
            #expect((report["reconciliation"] as? [String: Any])?["register_members"] as? Int == 1)

            let window = try await run(
                verify + ["--since", "2000-01-01T00:00:00Z", "--until", "2000-01-02T00:00:00Z", "--out", "v-w"],
                expecting: [12, 30])
            #expect(window.stdout.contains("restricted to: members with queue rows created from 2000-01-01"))
            _ = try await run(
                verify + ["--since", "2000-01-02T00:00:00Z", "--until", "2000-01-01T00:00:00Z"], expecting: [7])

            // The member verify flagged, field by field: live, masked by default.
            let show = ["parity", "show", "--register", "--member", renamed]
            let live = try await run(show + ["--source", legacy, "--target", store])
            #expect(live.stdout.contains("different (as verify sees it)"), "\(live.stdout)")
            #expect(live.stdout.contains("profile.name") && !live.stdout.contains("Renamed Person"))
            #expect(!live.stdout.contains(renamed))
            let unmasked = try Self.object(
                try await run(show + ["--source", legacy, "--target", store, "--unmask", "--json"]).stdout)
            #expect(unmasked["command"] as? String == "parity show")
            let result = try #require(unmasked["result"] as? [String: Any])
            #expect(result["view"] as? String == "register" && result["verdict"] as? String == "different")
            let fields = try #require(result["fields"] as? [[String: Any]])
            let name = try #require(fields.first { $0["path"] as? String == "profile.name" })
            #expect(name["verdict"] as? String == "different" && name["register"] as? String == "\"Renamed Person\"")
            #expect(fields.filter { $0["verdict"] as? String == "different" }.count == 1)
            // From a snapshot taken now: the same verdict, from its register and documents.
            _ = try await run(["snapshot", "--source", legacy, "--firestore", store, "--out", "now.sqlite"])
            let fromSnapshot = try Self.object(
                try await run(show + ["--snapshot", "now.sqlite", "--json"]).stdout)
            #expect((fromSnapshot["result"] as? [String: Any])?["verdict"] as? String == "different")
            let matching = try await run([
                "parity", "show", "--register", "--snapshot", "now.sqlite", "--member", other,
            ])
            #expect(matching.stdout.contains("matching (as verify sees it)"), "\(matching.stdout)")
            _ = try await run(
                ["parity", "show", "--register", "--source", legacy, "--target", store, "--member", "0101010000"],
                expecting: [7])
            _ = try await run(["parity", "show", "--member", renamed], expecting: [64])
        }
    }
}
