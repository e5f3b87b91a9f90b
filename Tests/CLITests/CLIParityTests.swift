import Foundation
import SQLite
import TestSupport
import Testing

/// `cutover parity replay` on demo data, through the binary: every known difference of LEGACY.md §6
/// found by field path, what the shipped rules leave explained, stable JSON, masking.
struct CLIParityTests {
    /// A demo large enough to hold every quirk among its unsynced rows (9999 members, orphan deletes,
    /// updates of missing documents, contact-only edits).
    // 1,000 members with 15,000 rows hold every quirk the replay test asserts, as 3,000 with 30,000 did (the
    // rarest, a failed update of a missing document that Path B merges, is one member in either); 1,000
    // with 10,000 or 2,000 with 20,000 hold none of it. The demo is deterministic and every quirk is
    // asserted, so a world that lost one fails the test instead of passing it. Half the CPU (9.6 s
    // against 19.1 s): the seed and four replays are smaller.
    func seedAndSnapshot(_ directory: String, members: Int = 1_000, rows: Int = 15_000) async throws {
        try await DemoWorld(members: members, queueRows: rows).copy(into: directory, store: .at("fs.sqlite"))
        let snapshot = try await CutoverBinary.run(
            [
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite",
                "--out", "snap.sqlite",
            ], directory: directory)
        #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
    }

    func json(_ path: String) throws -> ParityJSON { try DecodedOutput.decode(ParityJSON.self, fromFile: path) }

    @Test func replayFindsEveryKnownDifferenceAndExplainsWhatTheRulesLeave() async throws {
        try await withTemporaryDirectory { directory in
            try await seedAndSnapshot(directory)

            // No rules: raw shapes. Every §6 difference shows by field path.
            let raw = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--rules", "none", "--out", "raw"],
                directory: directory)
            #expect(raw.exitCode == 11, "\(raw.stderr)")
            let report = try json("\(directory)/raw/parity.json")
            let fields = Dictionary(uniqueKeysWithValues: report.fields.map { ($0.path, $0) })
            func kinds(_ path: String) -> Set<String> { Set((fields[path]?.kinds ?? [:]).keys) }
            // kennitala
            #expect(kinds("kennitala").contains("only-in-a") && kinds("profile.kennitala").contains("only-in-b"))
            #expect(kinds("profile.gender").contains("type"))  // gender string vs int
            #expect(fields["profile.gender"]?.typeChanges.keys.contains("stringValue → integerValue") == true)
            // housing
            #expect(
                kinds("profile.housing_situation").contains("only-in-b") && fields["profile.housingSituation"] != nil)
            #expect(
                kinds("privacy.reachable").contains("only-in-a") && kinds("profile.reachable").contains("only-in-b"))
            #expect(
                kinds("membership.joined").contains("only-in-a")
                    && kinds("membership.date_joined").contains("only-in-b"))
            // address
            #expect(fields["profile.address.street"] != nil && kinds("profile.addresses").contains("only-in-b"))
            #expect(kinds("profile.phone").contains("value"))  // phone normalised
            for path in [
                "membership.unions", "membership.titles", "django_roles.is_staff", "profile.foreign_phone",
                "profile.facebook",
            ] {
                #expect(kinds(path).contains("only-in-b"), "\(path)")  // written by Path B only
            }
            let onlyB = Set(report.consumerImpact.writtenByBOnly.map(\.path))
            let onlyA = Set(report.consumerImpact.writtenByAOnly.map(\.path))
            #expect(
                onlyB.isSuperset(of: [
                    "profile.kennitala", "membership.unions", "membership.titles", "profile.addresses",
                    "django_roles.is_staff", "profile.facebook", "profile.foreign_phone",
                ]))
            #expect(
                onlyA.isSuperset(of: [
                    "kennitala", "privacy.reachable", "membership.joined", "profile.address.street",
                    "profile.housingSituation",
                ]))
            // The behavioural differences show in the lineage.
            let events = report.events
            #expect((events["cause.path-b-skipped-placeholder"] ?? 0) > 0)  // 9999 members
            #expect((events["cause.path-a-stranded"] ?? 0) > 0)  // latency: stranded rows
            #expect((events["cause.path-b-not-sent"] ?? 0) > 0)  // contact-info edit alone
            #expect(
                report.members.contains { member in  // update semantics: patch of a missing document vs merge
                    member.verdict == "only-in-b"
                        && member.pathA.contains { $0.action == "update" && $0.outcome == "failed" }
                })
            let hazards = Dictionary(uniqueKeysWithValues: report.hazards.map { ($0.id, $0.observed) })
            // Delete of a missing document (success vs HTTP 500): no document on either side, seen in the events.
            #expect(hazards["delete-of-missing-document"] == true && (events["path_b.failed"] ?? 0) > 0)
            #expect(hazards.filter { !$0.value }.keys.sorted() == ["transactions"])  // the one a replay cannot see
            // The A/A noise shows fields no rules ignore.
            #expect(report.noise.notIgnoredByRules.contains("metadata.last_sync"))

            // The shipped rules: what remains is explained, every noise field is ignored.
            let ruled = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--out", "ruled"], directory: directory)
            #expect([10, 11].contains(ruled.exitCode), "\(ruled.stderr)")
            let shipped = try json("\(directory)/ruled/parity.json")
            #expect(shipped.noise.notIgnoredByRules.isEmpty)
            for member in shipped.members {
                #expect(!member.explanation.isEmpty && !member.explanation.contains("unexplained"), "\(member)")
            }
            let remaining = shipped.members.filter { !$0.unacceptedPaths.isEmpty || $0.acceptedBy.isEmpty }
            #expect(shipped.verdict == (remaining.isEmpty ? "accepted" : "fail"))
            for row in shipped.fields where row.differences > row.accepted {
                #expect(!row.causes.isEmpty || row.hazard != nil, "\(row.path)")
            }

            // The same snapshot replayed twice: byte-identical JSON.
            let again = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--out", "again", "--json"], directory: directory)
            let first = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/ruled/parity.json"))
            let second = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/again/parity.json"))
            #expect(first == second)
            // --json's envelope holds the very bytes of parity.json as its result.
            #expect(again.stdout.contains(String(decoding: second, as: UTF8.self)))
            #expect(try DecodedOutput.result(ParityJSON.self, from: again.stdout).verdict == shipped.verdict)

            // No personal data in any output unless --unmask.
            let register = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
            let personal = try register.query(
                "SELECT c.ssn, c.name, coalesce(i.email, ''), coalesce(i.phone, '') FROM membership_comrade c "
                    + "LEFT JOIN membership_contactinfo i ON i.comrade_id = c.id")
            var outputs = raw.stdout + ruled.stdout + raw.stderr + ruled.stderr
            for folder in ["raw", "ruled"] {
                for name in ["parity.json", "parity.md", "parity.html"] {
                    outputs += try String(contentsOfFile: "\(directory)/\(folder)/\(name)", encoding: .utf8)
                }
            }
            // Compared as whole tokens: a substring search of megabytes per value is too slow.
            let tokens = Set(outputs.split { " \n\t\"'|<>,:;()[]{}=*`".contains($0) }.map(String.init))
            let digitTokens = Set(tokens.map { $0.filter(\.isNumber) }.filter { $0.count >= 7 })
            var leaks: [String] = []
            for row in personal {
                let (ssn, name, email, phone) = (
                    row[0].textValue ?? "", row[1].textValue ?? "", row[2].textValue ?? "", row[3].textValue ?? ""
                )
                var candidates = [ssn, email, phone, String(ssn.prefix(6)) + "-" + String(ssn.suffix(4))]
                candidates += name.split(separator: " ").filter { $0.count >= 3 }.map(String.init)
                leaks += candidates.filter { !$0.isEmpty && tokens.contains($0) }
                let digits = phone.filter(\.isNumber)
                if digits.count >= 7 && digitTokens.contains(digits) { leaks.append(phone) }
            }
            #expect(leaks.isEmpty, "\(leaks.prefix(5))")
            let unmasked = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--out", "open", "--unmask"],
                directory: directory)
            let open = try String(contentsOfFile: "\(directory)/open/parity.json", encoding: .utf8)
            #expect([10, 11].contains(unmasked.exitCode))
            let openTokens = Set(open.split { " \n\t\"'|<>,:;()[]{}=*`".contains($0) }.map(String.init))
            #expect(personal.contains { row in row[0].textValue.map(openTokens.contains) == true })
            // The HTML page stands alone: no external files, a chart, and one inline script (the members
            // table's sorting and filter).
            let html = try String(contentsOfFile: "\(directory)/ruled/parity.html", encoding: .utf8)
            #expect(html.contains("<svg") && !html.contains("src=") && !html.contains("http"))
            #expect(html.components(separatedBy: "<script").count == 2 && html.contains("<script>document."))
        }
    }

    @Test func badInputIsNamed() async throws {
        try await withTemporaryDirectory { directory in
            try await seedAndSnapshot(directory, members: 200, rows: 600)
            // A rules file with a syntax error, and one with an unknown field path: the line is named.
            try "version: 1\naccept:\n  - path: profile.phone\n    reason: [oops\n".write(
                toFile: "\(directory)/broken.yaml", atomically: true, encoding: .utf8)
            let broken = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--rules", "broken.yaml"], directory: directory)
            #expect(broken.exitCode == 7)
            #expect(broken.stderr.contains("broken.yaml line"), "\(broken.stderr)")
            let typoRules =
                "version: 1\nignore:\n  - path: metadata.last_sync\n    reason: time\n"
                + "  - path: profile.emial\n    reason: typo\n"
            try typoRules.write(toFile: "\(directory)/typo.yaml", atomically: true, encoding: .utf8)
            let typo = try await CutoverBinary.run(["parity", "rules", "--check", "typo.yaml"], directory: directory)
            #expect(typo.exitCode == 7)
            #expect(typo.stderr.contains("typo.yaml line 5: unknown field path 'profile.emial'"), "\(typo.stderr)")

            // A snapshot of an older format version.
            try FileManager.default.copyItem(atPath: "\(directory)/snap.sqlite", toPath: "\(directory)/old.sqlite")
            let old = try SQLiteDatabase(path: "\(directory)/old.sqlite", mode: .readWrite)
            try old.execute("UPDATE snapshot_manifest SET value = '1' WHERE key = 'format_version'")
            let refused = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "old.sqlite"], directory: directory)
            #expect(refused.exitCode == 7)
            #expect(refused.stderr.contains("format version 1"), "\(refused.stderr)")

            // A pending row whose fields_changed is not an object: reported by row, the run goes on.
            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readWrite)
            let target = try legacy.query(
                "SELECT id FROM membership_membersyncqueue WHERE sync_status = 'pending' ORDER BY id LIMIT 1")
            let id = try #require(target.first?.first?.integerValue)
            try legacy.execute("UPDATE membership_membersyncqueue SET fields_changed = '[1, 2]' WHERE id = \(id)")
            let kept = try await CutoverBinary.run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite",
                    "--out", "bad.sqlite", "--allow-invalid",
                ], directory: directory)
            #expect(kept.exitCode == 0, "\(kept.stderr)")
            let replay = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "bad.sqlite", "--out", "bad"], directory: directory)
            #expect([0, 10, 11].contains(replay.exitCode), "\(replay.stderr)")
            #expect(replay.stdout.contains("invalid queue rows left out: 1"))
            let report = try json("\(directory)/bad/parity.json")
            #expect(
                report.invalidRows.count == 1 && report.invalidRows.first?.row == Int(id)
                    && report.invalidRows.first?.column == "fields_changed")
            #expect(report.counts.membersCompared > 200)

            // Without a Firestore baseline the replay proves nothing: inconclusive, naming the missing flag.
            _ = try await CutoverBinary.run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "bare.sqlite", "--allow-invalid"],
                directory: directory)
            let bare = try await CutoverBinary.run(
                ["parity", "replay", "--snapshot", "bare.sqlite"], directory: directory)
            #expect(bare.exitCode == 12 && bare.stdout.contains("--firestore"), "\(bare.stdout)\(bare.stderr)")
        }
    }
}
