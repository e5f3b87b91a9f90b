import CutoverSupport
import LegacySync

/// What a dual-run comparison found: coverage findings (gaps and explained differences) and content
/// parity between the two paths' documents. JSON (stable), Markdown and HTML; identifiers masked.
public struct ShadowReport: Sendable {
    public var since: Timestamp
    public var until: Timestamp
    public var settleSeconds: Int64
    public var rulesOrigin: String
    public var findings: [CoverageFinding]
    public var comparisons: [MemberComparison]
    public var problems: [RowProblem]
    public var unsettledMembers: Int
    /// Why the comparison proves nothing (an inverted window, no delivery recorded); empty otherwise.
    public var missing: [String] = []

    public var gaps: [CoverageFinding] { findings.filter(\.kind.isGap) }
    public var contentDifferences: [MemberComparison] { comparisons.filter { !$0.isAcceptable } }
    public var passes: Bool { verdict == "pass" }
    /// Missing input comes first: with no delivery recorded every row would read as a missing webhook,
    /// which says more about the record than about Path B.
    public var verdict: String { !missing.isEmpty ? "inconclusive" : gaps.isEmpty && contentDifferences.isEmpty ? "pass" : "fail" }
    public var title: String { verdict.uppercased() }
    /// 0 pass, 11 fail (as for the replay), 12 inconclusive.
    public var exitCode: Int32 {
        (verdict == "pass" ? ExitCode.success : verdict == "fail" ? .failed : .inconclusive).code
    }

    public var counts: [CoverageFinding.Kind: Int] {
        var counts: [CoverageFinding.Kind: Int] = [:]
        for finding in findings { counts[finding.kind, default: 0] += 1 }
        return counts
    }

    public func json(masker: Masker) -> JSONValue {
        let counts = counts
        var verdicts: [String: JSONValue] = [:]
        for verdict in MemberComparison.Verdict.allCases {
            verdicts[verdict.rawValue] = .integer(Int64(comparisons.filter { $0.verdict == verdict }.count))
        }
        return [
            "format": "cutover-shadow-report", "format_version": 1, "verdict": .string(verdict), "missing": .array(missing.map(JSONValue.string)),
            "since": .string(since.iso8601), "until": .string(until.iso8601), "settle_seconds": .integer(settleSeconds),
            "rules": .string(rulesOrigin),
            "coverage": .object(Dictionary(uniqueKeysWithValues: CoverageFinding.Kind.allCases.map { ($0.rawValue, .integer(Int64(counts[$0] ?? 0))) })),
            "findings": .array(findings.filter { $0.kind != .matched }.map { finding in
                ["kind": .string(finding.kind.rawValue), "member": .string(masker.kennitala(finding.kennitala)),
                 "action": .string(finding.action), "row": finding.rowID.map(JSONValue.integer) ?? .null,
                 "delivery": finding.deliveryID.map(JSONValue.integer) ?? .null, "detail": .string(masker.freeText(finding.detail))]
            }),
            "content": [
                "members_compared": .integer(Int64(comparisons.count)), "by_verdict": .object(verdicts),
                "members_in_flight": .integer(Int64(unsettledMembers)),
                "differences": .array(contentDifferences.map { comparison in
                    ["member": .string(masker.kennitala(comparison.kennitala)), "verdict": .string(comparison.verdict.rawValue),
                     "paths": .array(comparison.differences.filter { !$0.isAccepted }.map { .string($0.path) })]
                }),
            ],
            "invalid_rows": .array(problems.map { ["row": $0.rowID.map(JSONValue.integer) ?? .null, "problem": .string("\($0.column) \($0.problem)")] }),
        ]
    }

    public func markdown(masker: Masker) -> String {
        let counts = counts
        var lines = ["# Dual-run comparison: \(title)", ""] + missing.map { "- **Inconclusive:** \($0)" } + [
                     "",
                     "Window \(since.iso8601) – \(until.iso8601), settling \(settleSeconds) s; rules: \(rulesOrigin).", "",
                     "| " + CoverageFinding.Kind.allCases.map(\.rawValue).joined(separator: " | ") + " |",
                     "|" + String(repeating: "---:|", count: CoverageFinding.Kind.allCases.count),
                     "| " + CoverageFinding.Kind.allCases.map { String(counts[$0] ?? 0) }.joined(separator: " | ") + " |", ""]
        for finding in findings where finding.kind != .matched {
            lines.append("- \(finding.kind.rawValue): \(masker.kennitala(finding.kennitala)) \(finding.action)"
                + (finding.rowID.map { ", row \($0)" } ?? "") + (finding.deliveryID.map { ", delivery \($0)" } ?? "")
                + " — \(masker.freeText(finding.detail))")
        }
        lines += ["", "## Content", "", "\(comparisons.count) members compared, \(contentDifferences.count) differ beyond the rules, "
                  + "\(unsettledMembers) still in flight."]
        for comparison in contentDifferences {
            lines.append("- \(masker.kennitala(comparison.kennitala)) \(comparison.verdict.rawValue): "
                + comparison.differences.filter { !$0.isAccepted }.map { "`\($0.path)`" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func html(masker: Masker) -> String {
        func escape(_ text: String) -> String { ParityReport.escape(text) }
        let counts = counts
        var body = "<h1>Dual-run comparison <span class=\"\(passes ? "pass" : "fail")\">\(title)</span></h1>"
        for reason in missing { body += "<p><strong>Inconclusive:</strong> \(escape(reason))</p>" }
        body += "<p>Window \(since.iso8601) – \(until.iso8601), settling \(settleSeconds) s; rules: \(escape(rulesOrigin)).</p>"
        body += "<h2>Coverage</h2><table><tr>" + CoverageFinding.Kind.allCases.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr><tr>"
            + CoverageFinding.Kind.allCases.map { "<td class=\"\($0.isGap && (counts[$0] ?? 0) > 0 ? "gap" : "")\">\(counts[$0] ?? 0)</td>" }.joined()
            + "</tr></table>"
        body += "<table><tr><th>kind</th><th>member</th><th>action</th><th>row</th><th>delivery</th><th>detail</th></tr>"
        for finding in findings where finding.kind != .matched {
            body += "<tr><td class=\"\(finding.kind.isGap ? "gap" : "")\">\(finding.kind.rawValue)</td><td>\(escape(masker.kennitala(finding.kennitala)))</td>"
                + "<td>\(escape(finding.action))</td><td>\(finding.rowID.map(String.init) ?? "")</td><td>\(finding.deliveryID.map(String.init) ?? "")</td>"
                + "<td>\(escape(masker.freeText(finding.detail)))</td></tr>"
        }
        body += "</table><h2>Content</h2><p>\(comparisons.count) members compared, \(contentDifferences.count) differ beyond the rules, "
            + "\(unsettledMembers) still in flight.</p><table><tr><th>member</th><th>verdict</th><th>fields</th></tr>"
        for comparison in contentDifferences {
            body += "<tr><td>\(escape(masker.kennitala(comparison.kennitala)))</td><td>\(comparison.verdict.rawValue)</td><td><code>"
                + escape(comparison.differences.filter { !$0.isAccepted }.map(\.path).joined(separator: ", ")) + "</code></td></tr>"
        }
        body += "</table>"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Dual-run comparison — \(title)</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;font-size:14px;text-align:left}
            .pass{background:#2a7d2a;color:#fff;padding:2px 8px}.fail{background:#b02a2a;color:#fff;padding:2px 8px}.gap{color:#b02a2a;font-weight:bold}
            </style></head><body>\(body)</body></html>

            """
    }
}
