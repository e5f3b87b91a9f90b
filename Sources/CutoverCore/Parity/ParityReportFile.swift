import CutoverSupport
import Foundation
import LegacySync

/// A written parity report (`parity.json`) as the gates read it: its verdict, what it says is missing,
/// and the snapshot it was replayed from. The drain and retirement trust nothing else from it.
public struct ParityReportFile: Sendable {
    public let path: String
    public let verdict: String
    public let missing: [String]
    public let snapshotID: String
    /// The database and table the replayed snapshot was read from.
    public let sourceIdentity: SourceIdentity?
    /// What a drill-down replay was restricted to (`--member`, `--since`, `--until`); nil for a full replay.
    public let scope: String?

    /// Reads `path`; throws `.input` when it is not a parity report.
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CutoverError(.input, "no parity report at \(path)", nextStep: "run `cutover parity replay`")
        }
        guard let report = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)),
            report["format"]?.stringValue == "cutover-parity-report", let verdict = report["verdict"]?.stringValue
        else {
            throw CutoverError(.input, "\(path) is not a parity report (cutover-parity-report)")
        }
        self.verdict = verdict
        if case .array(let items)? = report["missing"] {
            missing = items.compactMap(\.stringValue)
        } else {
            missing = []
        }
        snapshotID = report["snapshot"]?["snapshot_id"]?.stringValue ?? ""
        sourceIdentity = SourceIdentity(json: report["snapshot"]?["source_identity"])
        scope = report["replay"]?["scope"]?.stringValue
    }

    /// Only a pass, or a pass with accepted differences, of a full replay lets a gate through: a fail found
    /// a difference, an inconclusive replay found nothing it could stand behind, and a drill-down looked at
    /// some members only.
    public var letsGatesPass: Bool {
        scope == nil
            && (verdict == ParityReport.Verdict.pass.rawValue || verdict == ParityReport.Verdict.accepted.rawValue)
    }

    /// "the parity verdict is inconclusive: <what is missing>".
    public var summary: String {
        if let scope {
            return "the parity report is a drill-down restricted to \(scope): replay without --member, --since "
                + "and --until"
        }
        return "the parity verdict is \(verdict)" + (missing.isEmpty ? "" : ": " + missing.joined(separator: "; "))
    }

    /// The drain's gate: the verdict must let gates pass (else out of order, exit 8) and the replayed
    /// snapshot must come from `database`'s `table` (else bad input, exit 7), unless `force`. Returns
    /// what was forced past, for the ledger.
    public func requireGate(
        for step: String, database: any LegacyDatabase, table: QueueTableName, force: Bool
    ) throws -> [String] {
        var forced: [String] = []
        Log.ledger.info(
            "\(step) gate: \(summary) (\(path)): \(letsGatesPass ? "passed" : force ? "forced past" : "refused")")
        if !letsGatesPass {
            guard force else {
                throw CutoverError(
                    .outOfOrder, "\(step) refused: \(summary) (\(path))",
                    nextStep: "fix what the parity report names and replay again, or add --force to run anyway")
            }
            Log.ledger.warning("\(step) forced past: \(summary)")
            forced.append(summary)
        }
        forced += try SourceIdentityCheck(live: database.sourceIdentity(of: table))
            .require([.init("the parity report \(path)", sourceIdentity)], step: step, force: force)
        return forced
    }
}
