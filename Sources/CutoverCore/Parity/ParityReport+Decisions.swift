import CutoverSupport
import DocumentParity
import Reports

extension ParityReport {
    /// A FAIL first says what the operator must decide: per unaccepted cause, the LEGACY.md §6
    /// difference behind it, the choice, and the rules-file lines that would accept it.
    var decisionsSections: [ReportDocument.Section] {
        guard verdict == .fail, !decisions.isEmpty else { return [] }
        var blocks: [ReportDocument.Block] = [
            .paragraph(
                "\(failingMembers) members fail on differences no rule accepts. For each cause below: fix the "
                    + "new path (Path B), or accept it knowingly by adding its lines under "
                    + "\(code: "accept:") in a rules file (\(code: "cutover parity rules") prints the shipped one) "
                    + "and replaying with \(code: "--rules FILE").")
        ]
        for decision in decisions {
            let (key, value) = decision.subject.rule
            let hazard: ReportText =
                decision.hazard.map { "\(code: $0.rawValue) — \(decision.behind)" }
                ?? "\(decision.behind)"
            blocks.append(
                .list([
                    .init(
                        "\(strong: "\(key) \(value)"): \(decision.members) failing members",
                        details: ["behind it: " + hazard, "to decide: \(decision.choice)"])
                ]))
            blocks.append(.code(language: "yaml", lines: decision.rulesLines))
        }
        return [.init("What to decide", blocks)]
    }

    static func json(_ decision: ParityDecision) -> JSONValue {
        let (key, value) = decision.subject.rule
        return [
            key: .string(value), "members": .integer(Int64(decision.members)),
            "hazard": decision.hazard.map { .string($0.rawValue) } ?? .null, "behind": .string(decision.behind),
            "choice": .string(decision.choice), "rules_lines": .array(decision.rulesLines.map(JSONValue.string)),
        ]
    }
}
