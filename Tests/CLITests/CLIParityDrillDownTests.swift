import Foundation
import TestSupport
import Testing

/// Drill-down through the binary: `parity show` for one member (masked by default, `--unmask` and
/// `--json` as asked), and a replay restricted with `--member` that says so and that the drain's gate
/// refuses.
struct CLIParityDrillDownTests {
    @Test func showAndAMemberRestrictedReplay() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String], expecting codes: Set<Int32> = [0]) async throws -> CutoverBinary.Outcome {
                let outcome = try await CutoverBinary.run(arguments, directory: directory)
                #expect(codes.contains(outcome.exitCode), "\(arguments): \(outcome.stderr)")
                return outcome
            }
            try await DemoWorld(members: 300, queueRows: 1_200).copy(into: directory, store: .at("fs.sqlite"))
            _ = try await run([
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:fs.sqlite", "--out",
                "snap.sqlite",
            ])
            _ = try await run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--unmask", "--out", "all"], expecting: [0, 10])
            let all =
                try JSONSerialization.jsonObject(
                    with: try Data(contentsOf: URL(fileURLWithPath: "\(directory)/all/parity.json"))) as? [String: Any]
            let members = try #require(all?["members"] as? [[String: Any]])
            let kennitala = try #require(members.first?["member"] as? String)

            let shown = try await run(["parity", "show", "--snapshot", "snap.sqlite", "--member", kennitala])
            #expect(
                shown.stdout.contains("field") && shown.stdout.contains("Path A") && shown.stdout.contains("verdict"))
            #expect(shown.stdout.contains("\(kennitala.prefix(6))-**** ") && !shown.stdout.contains(kennitala))
            let json = try await run([
                "parity", "show", "--snapshot", "snap.sqlite", "--member", kennitala, "--unmask", "--json",
            ])
            let envelope = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(envelope?["command"] as? String == "parity show")
            let object = envelope?["result"] as? [String: Any]
            #expect(object?["member"] as? String == kennitala)
            #expect(object?["verdict"] as? String == members.first?["verdict"] as? String)
            #expect(((object?["fields"] as? [Any]) ?? []).count > 5)
            _ = try await run(
                ["parity", "show", "--snapshot", "snap.sqlite", "--member", "0000000000"], expecting: [7])

            let one = try await run(
                ["parity", "replay", "--snapshot", "snap.sqlite", "--member", kennitala, "--out", "one"],
                expecting: [0, 10, 11])
            #expect(one.stdout.contains("parity: "))
            let markdown = try String(contentsOfFile: "\(directory)/one/parity.md", encoding: .utf8)
            #expect(markdown.contains("- restricted to: **1 member ("))
            let refused = try await run(
                [
                    "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:fs.sqlite", "--dry-run",
                    "--parity", "one/parity.json",
                ], expecting: [8])
            #expect(refused.stderr.contains("drill-down"), "\(refused.stderr)")
        }
    }
}
