import CutoverSupport

/// The ledger's checklist as `status --ledger` prints it: each step with its newest run, verdict,
/// age, whether it was forced, and whether a rollback undid a retirement.
public enum LedgerChecklist {
    public typealias Line = (step: Ledger.Step, entry: Ledger.Entry?, fresh: Bool, rolledBack: Bool)

    public static func text(_ lines: [Line], now: Timestamp, path: String) -> String {
        var out = ["Cutover ledger \(path)", ""]
        for line in lines {
            guard let entry = line.entry else {
                out.append("  [ ] \(line.step.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) not run")
                continue
            }
            // A retirement a rollback undid passed, but the table is live again: neither done nor failed.
            let mark = line.rolledBack ? "[<]" : entry.passed ? (line.fresh ? "[x]" : "[~]") : "[!]"
            let age = (now.microseconds - entry.finishedAt.microseconds) / 1_000_000
            out.append(
                "  \(mark) \(line.step.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                    + "\(entry.verdict.rawValue) (exit \(entry.exitCode)), "
                    + "\(age / 3600) h \(age % 3600 / 60) min ago"
                    + (line.rolledBack
                        ? ", ROLLED BACK since (the queue table is live again)" : line.fresh ? "" : ", STALE")
                    + (entry.forced ? ", FORCED past: \(entry.forcedPast.joined(separator: "; "))" : ""))
        }
        out += ["", "[x] passed and fresh  [~] passed but stale  [<] rolled back  [!] failed  [ ] not run"]
        return out.joined(separator: "\n") + "\n"
    }

    public static func json(_ lines: [Line], now: Timestamp) -> JSONValue {
        .object([
            "steps": .array(
                lines.map { line in
                    guard let entry = line.entry else {
                        return ["step": .string(line.step.rawValue), "state": "not run"]
                    }
                    let state =
                        line.rolledBack ? "rolled back" : entry.passed ? (line.fresh ? "passed" : "stale") : "failed"
                    return [
                        "step": .string(line.step.rawValue), "state": .string(state),
                        "verdict": .string(entry.verdict.rawValue), "exit_code": .integer(Int64(entry.exitCode)),
                        "finished_at": .string(entry.finishedAt.iso8601),
                        "forced": .bool(entry.forced), "forced_past": .array(entry.forcedPast.map(JSONValue.string)),
                        "outputs": .object(entry.outputs.byRole.mapValues(JSONValue.string)),
                        "sha256": .object(entry.digests.mapValues(JSONValue.string)),
                    ]
                })
        ])
    }
}
