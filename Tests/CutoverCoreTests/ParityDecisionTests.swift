import CutoverCore
import CutoverSupport
import DocumentParity
import Foundation
import LegacySync
import Reports
import TestSupport
import Testing

/// A FAIL tells the operator what to decide: each unaccepted cause names the LEGACY.md §6 difference
/// behind it, the choice, and rules-file lines — and those lines, pasted into the rules file, accept it.
struct ParityDecisionTests {
    /// The shipped rules with one accepted difference left (9999 placeholders): correspondences and
    /// ignores make the shapes comparable, and what differs must be decided.
    static func rulesWithoutAcceptances() throws -> String {
        let lines = ParityRules.shippedText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let accept = try #require(lines.firstIndex(of: "accept:"))
        let placeholders = try #require(lines.firstIndex(of: "  - members: placeholders"))
        return (lines[...accept] + lines[placeholders...(placeholders + 1)]).joined(separator: "\n") + "\n"
    }

    @Test func pastingTheLinesOfAFailsCauseAcceptsIt() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            _ = try await world.snapshot("snapshot.sqlite")
            let snapshot = "\(directory)/snapshot.sqlite"

            let rulesFile = "\(directory)/rules.yaml"
            var rules = try Self.rulesWithoutAcceptances()
            try rules.write(toFile: rulesFile, atomically: true, encoding: .utf8)
            let failing = try await ParityReplay(.init(snapshotPath: snapshot, rules: try .load(rulesFile))).run()
            #expect(failing.verdict == .fail)
            let decision = try #require(
                failing.decisions.first {
                    if case .cause(let cause) = $0.subject { cause.hazard != nil } else { false }
                })
            guard case .cause(let cause) = decision.subject else { return }
            #expect(decision.hazard == cause.hazard && decision.behind == decision.hazard?.concern)
            #expect(decision.members > 0 && decision.members <= failing.failingMembers)
            #expect(decision.choice.contains("accept knowingly"))
            #expect(decision.rulesLines.first == "  - cause: \(cause.rawValue)")

            // All three formats carry the hazard, the choice and the lines.
            let document = try failing.document()
            let markdown = MarkdownRenderer.render(document)
            #expect(markdown.contains("## What to decide"))
            #expect(markdown.contains("```yaml\n" + decision.rulesLines.joined(separator: "\n") + "\n```"))
            #expect(markdown.contains("behind it: `\(decision.hazard!.rawValue)` — \(decision.behind)"))
            #expect(markdown.contains("to decide: \(decision.choice)"))
            let html = HTMLRenderer.render(document)
            #expect(html.contains("<pre><code>" + decision.rulesLines.map(HTMLRenderer.escape).joined(separator: "\n")))
            var json = ""
            try failing.writeJSON { json += $0 }
            let decisions = try #require(try JSONValue(parsing: json)["decisions"])
            guard case .array(let entries) = decisions else { throw CutoverError(.input, "decisions is no list") }
            let entry = try #require(entries.first { $0["cause"] == .string(cause.rawValue) })
            #expect(entry["hazard"] == .string(decision.hazard!.rawValue))
            #expect(entry["rules_lines"] == .array(decision.rulesLines.map(JSONValue.string)))

            // Pasted at the end of the rules file (under its accept: list), the cause is accepted.
            rules += decision.rulesLines.joined(separator: "\n") + "\n"
            try rules.write(toFile: rulesFile, atomically: true, encoding: .utf8)
            let rerun = try await ParityReplay(.init(snapshotPath: snapshot, rules: try .load(rulesFile))).run()
            #expect(!rerun.decisions.contains { $0.subject == decision.subject })
            #expect(rerun.failingMembers <= failing.failingMembers)
            // Its differences are accepted now, each under the pasted rule.
            func accepted(_ report: ParityReport) -> Int { report.fields.map(\.accepted).reduce(0, +) }
            #expect(accepted(rerun) > accepted(failing))
            // With every decision's lines pasted, nothing fails.
            for other in failing.decisions where other != decision {
                rules += other.rulesLines.joined(separator: "\n") + "\n"
            }
            try rules.write(toFile: rulesFile, atomically: true, encoding: .utf8)
            let all = try await ParityReplay(.init(snapshotPath: snapshot, rules: try .load(rulesFile))).run()
            #expect(all.verdict == .accepted && all.failingMembers == 0 && all.decisions.isEmpty)
        }
    }

    /// Raw shapes fail on fields no queue row explains: each is a decision by path, with its hazard, and
    /// its lines parse as a rules file.
    @Test func unexplainedFieldsAreDecisionsByPath() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            _ = try await world.snapshot("snapshot.sqlite")
            let raw = try await ParityReplay(.init(snapshotPath: "\(directory)/snapshot.sqlite", rules: .none)).run()
            let gender = try #require(raw.decisions.first { $0.subject == .field("profile.gender") })
            #expect(gender.hazard == .gender && gender.choice.contains("fix Path B"))
            let lines = raw.decisions.flatMap(\.rulesLines)
            let rules = try ParityRules(yaml: "version: 1\naccept:\n" + lines.joined(separator: "\n"), origin: "pasted")
            #expect(rules.acceptances.count == raw.decisions.count)
            #expect(rules.acceptances.allSatisfy { $0.reason.hasPrefix("accepted knowingly: ") })
        }
    }
}
