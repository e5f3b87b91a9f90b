import CutoverSupport
import LegacySync

/// What `verify` found: the drain proof and the reconciliation, with a verdict. JSON (stable for
/// the same state), Markdown and HTML, like the parity report. Identifiers are masked.
public struct VerifyReport: Sendable {
    public var proof: DrainProof
    public var reconciliation: RegisterReconciliation
    public var rulesOrigin: String
    public var source: String
    public var target: String

    public var passes: Bool { proof.passes && reconciliation.passes }
    /// 0 pass, 30 fail.
    public var exitCode: Int32 { (passes ? ExitCode.success : .verifyFailed).code }

    /// Each reason the verdict is fail, in words.
    public var failures: [String] {
        var reasons: [String] = []
        if let problem = proof.problem { reasons.append(problem) }
        if proof.problem == nil && !proof.drainFinished { reasons.append("the newest drain did not finish: rerun `cutover drain`") }
        if !proof.unresolved.isEmpty { reasons.append("\(proof.unresolved.count) rows at or below the mark are unresolved") }
        if !proof.deadLetters.isEmpty { reasons.append("\(proof.deadLetters.count) dead or invalid rows are left in the queue") }
        if proof.rowsAboveMark > 0 { reasons.append("\(proof.rowsAboveMark) rows were written after the mark: writers are still running") }
        for kind in [RegisterReconciliation.Finding.Kind.missing, .different, .extra] {
            if let count = reconciliation.counts[kind], count > 0 { reasons.append("\(count) \(kind.rawValue) documents") }
        }
        return reasons
    }

    public func json(masker: Masker) -> JSONValue {
        func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
        return [
            "format": "cutover-verify-report", "format_version": 1,
            "verdict": .string(passes ? "pass" : "fail"), "exit_code": .integer(Int64(exitCode)),
            "failures": .array(failures.map(JSONValue.string)),
            "source": .string(source), "target": .string(target), "rules": .string(rulesOrigin),
            "drain_proof": [
                "drain_id": proof.drainID.map(JSONValue.integer) ?? .null, "mark": proof.mark.map(JSONValue.integer) ?? .null,
                "drain_finished": .bool(proof.drainFinished),
                "unresolved_rows": .array(proof.unresolved.prefix(1_000).map(JSONValue.integer)),
                "unresolved_count": int(proof.unresolved.count),
                "dead_letters": .array(proof.deadLetters.map {
                    ["row": .integer($0.rowID), "member": .string(masker.kennitala($0.kennitala)), "outcome": .string($0.outcome.rawValue),
                     "detail": .string(masker.freeText($0.detail))]
                }),
                "classified": .object(Dictionary(uniqueKeysWithValues: DrainOutcome.allCases.map { ($0.rawValue, int(proof.classified[$0] ?? 0)) })),
                "queue_status_at_or_below_mark": .object(proof.statusCounts.mapValues(int)),
                "rows_above_mark": int(proof.rowsAboveMark),
            ],
            "reconciliation": [
                "register_members": int(reconciliation.members), "documents": int(reconciliation.documents),
                "matching": int(reconciliation.matching), "placeholders_skipped": int(reconciliation.placeholders),
                "inactive_without_member": int(reconciliation.inactiveWithoutMember),
                "missing": int(reconciliation.counts[.missing] ?? 0), "extra": int(reconciliation.counts[.extra] ?? 0),
                "different": int(reconciliation.counts[.different] ?? 0),
                "not_checked": .array(reconciliation.unchecked.map { .string($0.message) }),
                "findings": .array(reconciliation.findings.map {
                    ["kind": .string($0.kind.rawValue), "member": .string(masker.kennitala($0.kennitala)),
                     "paths": .array($0.paths.map(JSONValue.string))]
                }),
            ],
        ]
    }

    public func markdown(masker: Masker) -> String {
        var lines = ["# Verify: \(passes ? "PASS" : "FAIL")", ""]
        for reason in failures { lines.append("- **\(reason)**") }
        if failures.isEmpty { lines.append("The drain finished and every member's document is what Path B writes (under \(rulesOrigin)).") }
        lines += ["", "## Drain proof", "",
                  "Drain \(proof.drainID.map(String.init) ?? "—"), mark id \(proof.mark.map(String.init) ?? "—"), "
                    + (proof.drainFinished ? "finished" : "not finished") + ".",
                  "", "| unresolved | dead or invalid | above the mark |", "|---:|---:|---:|",
                  "| \(proof.unresolved.count) | \(proof.deadLetters.count) | \(proof.rowsAboveMark) |", ""]
        lines.append("Classified by the drain: " + DrainOutcome.allCases.map { "\($0.rawValue) \(proof.classified[$0] ?? 0)" }.joined(separator: ", ") + ".")
        for letter in proof.deadLetters.prefix(100) {
            lines.append("- row \(letter.rowID) \(masker.kennitala(letter.kennitala)): \(letter.outcome.rawValue) — \(masker.freeText(letter.detail))")
        }
        lines += ["", "## Register against documents", "",
                  "| members | documents | matching | missing | different | extra | 9999 skipped | inactive, member gone |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|",
                  "| \(reconciliation.members) | \(reconciliation.documents) | \(reconciliation.matching) | \(reconciliation.counts[.missing] ?? 0) | "
                    + "\(reconciliation.counts[.different] ?? 0) | \(reconciliation.counts[.extra] ?? 0) | \(reconciliation.placeholders) | "
                    + "\(reconciliation.inactiveWithoutMember) |", ""]
        lines += reconciliation.unchecked.map { "- not checked: \($0.message)" }
        if !reconciliation.unchecked.isEmpty { lines.append("") }
        for finding in reconciliation.findings.prefix(200) {
            lines.append("- \(finding.kind.rawValue) \(masker.kennitala(finding.kennitala))"
                + (finding.paths.isEmpty ? "" : ": " + finding.paths.map { "`\($0)`" }.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func html(masker: Masker) -> String {
        var body = "<h1>Verify <span class=\"\(passes ? "pass" : "fail")\">\(passes ? "PASS" : "FAIL")</span></h1><ul>"
        for reason in failures { body += "<li>\(ParityReport.escape(reason))</li>" }
        body += "</ul><h2>Drain proof</h2><table><tr><th>drain</th><th>mark</th><th>finished</th><th>unresolved</th><th>dead or invalid</th><th>above the mark</th></tr>"
        body += "<tr><td>\(proof.drainID.map(String.init) ?? "—")</td><td>\(proof.mark.map(String.init) ?? "—")</td><td>\(proof.drainFinished)</td>"
            + "<td>\(proof.unresolved.count)</td><td>\(proof.deadLetters.count)</td><td>\(proof.rowsAboveMark)</td></tr></table>"
        body += "<h2>Register against documents</h2><table><tr><th>members</th><th>documents</th><th>matching</th><th>missing</th><th>different</th><th>extra</th></tr>"
        body += "<tr><td>\(reconciliation.members)</td><td>\(reconciliation.documents)</td><td>\(reconciliation.matching)</td>"
            + "<td>\(reconciliation.counts[.missing] ?? 0)</td><td>\(reconciliation.counts[.different] ?? 0)</td><td>\(reconciliation.counts[.extra] ?? 0)</td></tr></table><ul>"
        for finding in reconciliation.findings.prefix(200) {
            body += "<li>\(finding.kind.rawValue) \(ParityReport.escape(masker.kennitala(finding.kennitala)))"
                + (finding.paths.isEmpty ? "" : ": <code>\(ParityReport.escape(finding.paths.joined(separator: ", ")))</code>") + "</li>"
        }
        body += "</ul>"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Verify — \(passes ? "PASS" : "FAIL")</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}
            .pass{background:#2a7d2a;color:#fff;padding:2px 8px}.fail{background:#b02a2a;color:#fff;padding:2px 8px}</style>
            </head><body>\(body)</body></html>

            """
    }
}
