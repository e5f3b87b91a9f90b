import CutoverSupport
import LegacySync

/// `cutover status` on a terminal: a table of status × action, then each class of trouble.
extension QueueStatus {
    public func text(masker: Masker) -> String {
        var lines: [String] = []
        lines.append("Queue \(table) in \(source) (\(engineVersion))")
        lines.append("as of \(asOf.iso8601) · \(Self.number(totalRows)) rows")
        lines.append("")
        let actions = QueueRow.Action.allCases.map(\.rawValue)
        let statuses = QueueRow.Status.allCases.map(\.rawValue).filter { byStatusAction[$0] != nil || $0 != "syncing" }
        lines.append(Self.row("", actions + ["total"]))
        for status in statuses {
            let cells =
                actions.map { Self.number(count(status: status, action: $0)) } + [Self.number(count(status: status))]
            lines.append(Self.row(status, cells))
        }
        let totals = actions.map { action in statuses.reduce(0) { $0 + count(status: $1, action: action) } }
        lines.append(Self.row("total", totals.map(Self.number) + [Self.number(totals.reduce(0, +))]))
        lines.append("")

        if let lastRun {
            lines.append(
                "Pending       \(Self.number(pendingTotal)): fresh \(Self.number(pendingFresh)), "
                    + "stranded \(Self.number(pendingStranded)) (last successful run \(lastRun.iso8601), from "
                    + "\(lastRunOrigin))"
            )
        } else {
            lines.append(
                "Pending       \(Self.number(pendingTotal)) (not split into fresh/stranded: give --last-run TIME)")
        }
        if let oldestPending {
            let days = (asOf.microseconds - oldestPending.createdAt.microseconds) / 86_400_000_000
            lines.append(
                "  oldest      row \(oldestPending.id), created \(oldestPending.createdAt.iso8601) (\(days) days ago)")
        }
        let retries = failedByRetryCount.keys.sorted().map { "\($0)×: \(Self.number(failedByRetryCount[$0]!))" }
        lines.append(
            "Failed        \(Self.number(count(status: "failed")))"
                + (retries.isEmpty ? "" : " — by retry count: " + retries.joined(separator: ", ")))
        let orphanList = orphanDeletes.prefix(10).map { "row \($0.rowID) (\(masker.kennitala($0.ssn)))" }
        lines.append(
            "Orphan deletes \(Self.number(orphanDeletes.count))"
                + (orphanList.isEmpty ? "" : ": " + orphanList.joined(separator: ", ")))
        let droppedByStatus = allDroppedUpdates.keys.sorted().map { "\($0) \(Self.number(allDroppedUpdates[$0]!))" }
        lines.append(
            "Updates Path A dropped entirely \(Self.number(allDroppedTotal))"
                + (droppedByStatus.isEmpty ? "" : " (" + droppedByStatus.joined(separator: ", ") + ")"))
        lines.append("9999 placeholder rows \(Self.number(placeholderRows))")
        if hyphenatedSSNRows > 0 {
            lines.append("Hyphenated SSNs \(Self.number(hyphenatedSSNRows)) (normalised when read)")
        }
        // 9999 placeholders are not kennitölur and are not checked; said here, so that the count below
        // is not read as covering every row.
        if !checkDigitWarnings.isEmpty || placeholderRows > 0 {
            lines.append(
                "Warning: \(checkDigitWarnings.count) rows have a kennitala failing its check digit (kept)"
                    + (checkDigitWarnings.isEmpty
                        ? "" : ": rows " + checkDigitWarnings.prefix(10).map(String.init).joined(separator: ", "))
                    + (placeholderRows > 0
                        ? "; \(Self.number(placeholderRows)) 9999 placeholder rows not checked (counted separately)"
                        : ""))
        }
        if !extraColumns.isEmpty {
            lines.append("Extra columns carried along: \(extraColumns.joined(separator: ", "))")
        }
        if invalidRowCount > 0 {
            lines.append("")
            lines.append(
                "INVALID ROWS \(Self.number(invalidRowCount)) (they break the table's contract; fix or archive them):")
            for problem in invalidRows.prefix(50) { lines.append("  \(problem)") }
            if invalidRowCount > 50 { lines.append("  … and \(invalidRowCount - 50) more (see --json)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ label: String, _ cells: [String]) -> String {
        label.padding(toLength: 10) + cells.map { $0.leftPadding(toLength: 10) }.joined()
    }

    /// 12,345
    static func number(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func leftPadding(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
