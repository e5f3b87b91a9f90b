import CutoverSupport

extension ParityReport {
    /// One self-contained page (no scripts, no external files): the verdict, counts, a chart of
    /// differences by field (accepted and not), the known differences, consumer impact and members.
    public var html: String {
        var body = ""
        func add(_ text: String) { body += text + "\n" }
        let verdictClass = verdict == .fail ? "fail" : verdict == .accepted ? "accepted" : "pass"
        add("<h1>Parity replay <span class=\"verdict \(verdictClass)\">\(Self.escape(verdict.title))</span></h1>")
        add("<p>Snapshot <code>\(Self.escape(setting.snapshotID))</code> read at \(Self.escape(setting.snapshotSourceReadAt)); rules: \(Self.escape(setting.rulesOrigin)). "
            + (setting.masked ? "Personal data is masked." : "<strong>Personal data is not masked.</strong>") + "</p>")
        add("<table class=\"counts\"><tr><th>members compared</th><th>identical</th><th>equivalent</th><th>accepted</th><th>different</th><th>only in A</th><th>only in B</th></tr>")
        add("<tr>" + [counts.membersCompared, counts[.identical], counts[.equivalent], counts[.accepted], counts[.different],
                      counts[.onlyInA], counts[.onlyInB]].map { "<td>\($0)</td>" }.joined() + "</tr></table>")
        add("<h2>Differences by field</h2>")
        add(chart)
        add("<h2>Noise (A/A)</h2><p>\(noise.membersDiffering) of \(noise.membersCompared) members differ when Path A runs again later"
            + (noise.fields.isEmpty ? "." : ", in " + noise.fields.keys.sorted().map { "<code>\(Self.escape($0))</code>" }.joined(separator: ", ") + ".")
            + (noise.notIgnored.isEmpty ? " The rules ignore all of it." : " <strong>Not ignored by the rules:</strong> " + noise.notIgnored.map { "<code>\(Self.escape($0))</code>" }.joined(separator: ", "))
            + "</p>")
        add("<h2>Known differences (LEGACY.md §6)</h2><table><tr><th></th><th>concern</th><th>evidence</th></tr>")
        for finding in hazards {
            add("<tr><td class=\"\(finding.observed ? "found" : "unseen")\">\(finding.observed ? "found" : "not seen")</td><td>\(Self.escape(finding.concern))</td><td>\(Self.escape(finding.evidence))</td></tr>")
        }
        add("</table>")
        add("<h2>Fields</h2><table><tr><th>field</th><th>differences</th><th>accepted</th><th>kinds</th><th>causes</th><th>accepted because</th><th>example (A → B)</th></tr>")
        for row in fields {
            let kinds = row.kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            let causes = row.causes.keys.sorted().map { "\($0.rawValue) \(row.causes[$0]!)" }.joined(separator: ", ")
            let example = row.examples.first.map { "\($0.member): \($0.a) → \($0.b)" } ?? ""
            add("<tr><td><code>\(Self.escape(row.path))</code>\(row.pathBName.map { " ≡ B <code>\(Self.escape($0))</code>" } ?? "")</td><td>\(row.differences)</td><td>\(row.accepted)</td><td>\(Self.escape(kinds))</td><td>\(Self.escape(causes))</td><td>\(Self.escape(row.acceptedBy?.reason ?? ""))</td><td>\(Self.escape(example))</td></tr>")
        }
        add("</table>")
        add("<h2>Consumer impact</h2><ul>")
        for field in writtenOnlyByA { add("<li>Path A only: <code>\(Self.escape(field.path))</code> — \(field.documentsWritten) documents; \(field.carriedByOther) Path B results keep it from the baseline</li>") }
        for field in writtenOnlyByB { add("<li>Path B only: <code>\(Self.escape(field.path))</code> — \(field.documentsWritten) documents</li>") }
        for field in typeChangedFields { add("<li><code>\(Self.escape(field.path))</code>: \(Self.escape(field.a.joined(separator: "/"))) (A) → \(Self.escape(field.b.joined(separator: "/"))) (B)</li>") }
        add("</ul>")
        add("<h2>Differing members</h2><table><tr><th>member</th><th>verdict</th><th>rows</th><th>not accepted</th><th>why</th></tr>")
        for line in members.shown {
            add("<tr><td>\(Self.escape(line.member))</td><td>\(line.verdict.rawValue)</td><td>\(line.rowIDs.map(String.init).joined(separator: ", "))</td><td>\(Self.escape(line.unacceptedPaths.joined(separator: ", ")))</td><td>\(Self.escape(line.explanation))</td></tr>")
        }
        add("</table>")
        if members.count > Self.membersShown { add("<p>… \(members.count - Self.membersShown) more in parity.json.</p>") }
        if !problems.isEmpty {
            add("<h2>Invalid queue rows</h2><ul>")
            for problem in problems { add("<li>row \(problem.rowID.map(String.init) ?? "?"): \(Self.escape(problem.column)) \(Self.escape(problem.problem))</li>") }
            add("</ul>")
        }
        add("<p class=\"foot\">\(ExitCode.footer(verdict.exitCode, of: Verdict.possibleExitCodes))</p>")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Parity replay — \(Self.escape(verdict.title))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
            th{background:#f4f4f4}.counts td{text-align:right;font-size:18px}
            .verdict{padding:2px 10px;border-radius:4px;color:#fff}.pass{background:#2a7d2a}.accepted{background:#b07d00}.fail{background:#b02a2a}
            .found{color:#b02a2a;font-weight:bold}.unseen{color:#777}code{font-size:13px}.foot{color:#555}
            svg text{font-size:12px;font-family:system-ui,sans-serif}
            </style></head><body>
            \(body)</body></html>

            """
    }

    /// A horizontal bar per field: accepted differences in amber, the rest in red.
    var chart: String {
        guard !fields.isEmpty else { return "<p>No field differs.</p>" }
        let largest = max(1, fields.map(\.differences).max() ?? 1)
        let barWidth = 560.0
        let rowHeight = 22
        var parts: [String] = []
        for (index, row) in fields.enumerated() {
            let y = index * rowHeight
            let accepted = Double(row.accepted) / Double(largest) * barWidth
            let other = Double(row.differences - row.accepted) / Double(largest) * barWidth
            parts.append("<text x=\"0\" y=\"\(y + 15)\">\(Self.escape(row.path))</text>")
            parts.append("<rect x=\"260\" y=\"\(y + 4)\" width=\"\(Self.number(accepted))\" height=\"16\" fill=\"#e0a800\"><title>accepted: \(row.accepted)</title></rect>")
            parts.append("<rect x=\"\(Self.number(260 + accepted))\" y=\"\(y + 4)\" width=\"\(Self.number(other))\" height=\"16\" fill=\"#c0392b\"><title>not accepted: \(row.differences - row.accepted)</title></rect>")
            parts.append("<text x=\"\(Self.number(266 + accepted + other))\" y=\"\(y + 16)\">\(row.differences)</text>")
        }
        let height = fields.count * rowHeight + 24
        parts.append("<rect x=\"260\" y=\"\(height - 14)\" width=\"12\" height=\"10\" fill=\"#e0a800\"/><text x=\"276\" y=\"\(height - 5)\">accepted</text>")
        parts.append("<rect x=\"350\" y=\"\(height - 14)\" width=\"12\" height=\"10\" fill=\"#c0392b\"/><text x=\"366\" y=\"\(height - 5)\">not accepted</text>")
        return "<svg role=\"img\" aria-label=\"differences by field\" width=\"900\" height=\"\(height)\" viewBox=\"0 0 900 \(height)\">"
            + parts.joined() + "</svg>"
    }

    static func number(_ value: Double) -> String { String(Int((value * 10).rounded())) .inserting(decimalAt: 1) }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

private extension String {
    /// "1234" with one decimal → "123.4" (deterministic number text without Foundation formatting).
    func inserting(decimalAt digits: Int) -> String {
        let padded = count <= digits ? String(repeating: "0", count: digits - count + 1) + self : self
        return String(padded.dropLast(digits)) + "." + String(padded.suffix(digits))
    }
}
