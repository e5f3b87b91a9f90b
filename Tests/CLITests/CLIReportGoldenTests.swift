import Foundation
import TestSupport
import Testing

/// The demo's reports as an operator reads them — parity.md/.html, verify.md/.html, shadow.md/.html
/// and the drain's summary (drain writes only JSON; its Markdown-like summary is what it prints) —
/// against golden files in Golden/reports, on a small demo in SQLite and the embedded store.
///
/// The demo's data are fixed (seeded, dated 2025), so the reports are too, except for what the run's
/// moment puts in them; only that is normalised (`normalised(_:)`): the snapshot's id and the times
/// it was taken (which the parity replay also uses as Path A's run time), and today's date in times
/// the drain wrote. Paths are relative to the test's directory, so no temporary path shows.
struct CLIReportGoldenTests {
    /// The demo's own dates are 2025; anything dated from 2026 on was stamped by this run's clock.
    static let runTime = try! NSRegularExpression(pattern: #"20(2[6-9]|[3-9][0-9])-[0-9]{2}-[0-9]{2}([T ][0-9:.]+Z?)?"#)
    static let uuid = try! NSRegularExpression(
        pattern: #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#)

    static func normalised(_ text: String) -> String {
        var text = text
        for (pattern, placeholder) in [(uuid, "[snapshot-id]"), (runTime, "[run-time]")] {
            text = pattern.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: placeholder)
        }
        return text
    }

    @Test func theDemosReportsMatchTheirGoldenFiles() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String], expecting codes: Set<Int32> = [0]) async throws -> CutoverBinary.Outcome {
                let outcome = try await CutoverBinary.run(
                    arguments, environment: CutoverBinary.cleanEnvironment(), directory: directory)
                #expect(codes.contains(outcome.exitCode), "\(arguments): \(outcome.stderr)")
                return outcome
            }
            let source = ["--source", "sqlite:legacy.sqlite"]
            try await DemoWorld(members: 300, queueRows: 1_200).copy(into: directory, store: .at("fs.sqlite"))
            _ = try await run(["snapshot"] + source + ["--firestore", "embedded:fs.sqlite", "--out", "snap.sqlite"])
            _ = try await run(["parity", "replay", "--snapshot", "snap.sqlite"], expecting: [0, 10])
            // A shadow window over the demo's last day with no deliveries recorded: inconclusive (12), the
            // store compared with itself. Explicit times keep it from depending on today.
            _ = try await run(
                ["shadow", "compare"] + source + [
                    "--record", "record.sqlite", "--path-a", "embedded:fs.sqlite", "--path-b", "embedded:fs.sqlite",
                    "--since", "2025-11-24T00:00:00Z", "--until", "2025-11-25T11:00:00Z",
                ],
                expecting: [12])
            let drained = try await run(["drain"] + source + ["--target", "embedded:fs.sqlite", "--include-failed"])
            _ = try await run(["verify"] + source + ["--target", "embedded:fs.sqlite"])

            var reports: [(golden: String, text: String)] = [("drain.txt", drained.stdout)]
            for (folder, name) in [("parity", "parity"), ("verify", "verify"), ("shadow", "shadow")] {
                for suffix in ["md", "html"] {
                    let text = try String(
                        contentsOfFile: "\(directory)/cutover-out/\(folder)/\(name).\(suffix)", encoding: .utf8)
                    reports.append(("\(name).\(suffix)", text))
                }
            }
            for report in reports {
                try Golden.expect(Self.normalised(report.text), matches: Golden.path("reports/\(report.golden)"))
            }
        }
    }
}
