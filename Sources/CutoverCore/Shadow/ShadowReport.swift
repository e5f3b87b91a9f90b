import CutoverSupport
import DocumentParity
import LegacySync

/// What a dual-run comparison found: coverage findings (gaps and explained differences) and content
/// parity between the two paths' documents. JSON (stable), Markdown and HTML
/// (`ShadowReport+Document`); identifiers masked.
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
    public var verdict: String {
        !missing.isEmpty ? "inconclusive" : gaps.isEmpty && contentDifferences.isEmpty ? "pass" : "fail"
    }
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
            "format": "cutover-shadow-report", "format_version": 1, "verdict": .string(verdict),
            "missing": .array(missing.map(JSONValue.string)),
            "since": .string(since.iso8601), "until": .string(until.iso8601), "settle_seconds": .integer(settleSeconds),
            "rules": .string(rulesOrigin),
            "coverage": .object(
                Dictionary(
                    uniqueKeysWithValues: CoverageFinding.Kind.allCases.map {
                        ($0.rawValue, .integer(Int64(counts[$0] ?? 0)))
                    })),
            "findings": .array(
                findings.filter { $0.kind != .matched }.map { finding in
                    [
                        "kind": .string(finding.kind.rawValue), "member": .string(masker.kennitala(finding.kennitala)),
                        "action": .string(finding.action), "row": finding.rowID.map(JSONValue.integer) ?? .null,
                        "delivery": finding.deliveryID.map(JSONValue.integer) ?? .null,
                        "detail": .string(masker.freeText(finding.detail)),
                    ]
                }),
            "content": [
                "members_compared": .integer(Int64(comparisons.count)), "by_verdict": .object(verdicts),
                "members_in_flight": .integer(Int64(unsettledMembers)),
                "differences": .array(
                    contentDifferences.map { comparison in
                        [
                            "member": .string(masker.kennitala(comparison.kennitala)),
                            "verdict": .string(comparison.verdict.rawValue),
                            "paths": .array(comparison.differences.filter { !$0.isAccepted }.map { .string($0.path) }),
                        ]
                    }),
            ],
            "invalid_rows": .array(
                problems.map {
                    ["row": $0.rowID.map(JSONValue.integer) ?? .null, "problem": .string("\($0.column) \($0.problem)")]
                }),
        ]
    }
}
