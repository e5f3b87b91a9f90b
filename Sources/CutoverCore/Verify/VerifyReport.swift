import CutoverSupport
import LegacySync

/// What `verify` found: the drain proof and the reconciliation, with a verdict. JSON (stable for
/// the same state), Markdown and HTML (`VerifyReport+Document`). Identifiers are masked.
public struct VerifyReport: Sendable {
    public var proof: DrainProof
    public var reconciliation: RegisterReconciliation
    public var rulesOrigin: String
    public var source: String
    public var target: String
    /// When the proof began and the reconciliation ended: the time the reports name.
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    public var memberTag: MemberTag
    /// What a drill-down restricted the reconciliation to; the drain proof is always the whole queue's.
    public var scope = ReplayScope.everything

    /// A member as the reports name it: masked with its tag, or unmasked.
    func member(_ kennitala: String?, _ masker: Masker) -> String { memberTag.display(kennitala, masker: masker) }

    public var passes: Bool { verdict == "pass" }
    /// `pass`, `fail`, or `inconclusive` when nothing failed because nothing was there to reconcile.
    public var verdict: String {
        !(proof.passes && reconciliation.passes) ? "fail" : !missing.isEmpty ? "inconclusive" : "pass"
    }
    public var title: String { verdict.uppercased() }

    /// "restricted to 1 member (…)", as the reports name a drill-down (`member` masks it); nil for a full verify.
    public func scopeDescription(masker: Masker) -> String? {
        scope.isRestricted
            ? scope.description(naming: { member($0, masker) }, rows: "members with queue rows") : nil
    }
    /// 0 pass, 30 fail, 12 inconclusive.
    public var exitCode: Int32 {
        (verdict == "pass" ? ExitCode.success : verdict == "fail" ? .verifyFailed : .inconclusive).code
    }

    /// Why the verdict is inconclusive: an empty register reconciles trivially and proves nothing.
    public var missing: [String] {
        guard reconciliation.members == 0 else { return [] }
        return scope.isRestricted
            ? ["no member the drill-down chose is in the register: nothing was reconciled"]
            : ["the register has no member: nothing was reconciled (is --source the register the drain wrote from?)"]
    }

    /// Each reason the verdict is fail, in words.
    public var failures: [String] {
        var reasons: [String] = []
        if let problem = proof.problem { reasons.append(problem) }
        if proof.problem == nil && !proof.drainFinished {
            reasons.append("the newest drain did not finish: rerun `cutover drain`")
        }
        if !proof.unresolved.isEmpty {
            reasons.append("\(proof.unresolved.count) rows at or below the mark are unresolved")
        }
        if !proof.deadLetters.isEmpty {
            reasons.append("\(proof.deadLetters.count) dead or invalid rows are left in the queue")
        }
        if proof.rowsAboveMark > 0 {
            reasons.append("\(proof.rowsAboveMark) rows were written after the mark: writers are still running")
        }
        for kind in [RegisterReconciliation.Finding.Kind.missing, .different, .extra] {
            if let count = reconciliation.counts[kind], count > 0 {
                reasons.append("\(count) \(kind.rawValue) documents")
            }
        }
        return reasons
    }

    public func json(masker: Masker) -> JSONValue {
        func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
        return [
            "format": "cutover-verify-report", "format_version": 1,
            "verdict": .string(verdict), "exit_code": .integer(Int64(exitCode)),
            "failures": .array(failures.map(JSONValue.string)), "missing": .array(missing.map(JSONValue.string)),
            "source": .string(source), "target": .string(target), "rules": .string(rulesOrigin),
            "checked": ["started_at": .string(startedAt.iso8601), "finished_at": .string(finishedAt.iso8601)],
            "member_tag_key": masker.unmasked ? .null : .string(memberTag.origin),
            "scope": scopeDescription(masker: masker).map(JSONValue.string) ?? .null,
            "drain_proof": [
                "drain_id": proof.drainID.map(JSONValue.integer) ?? .null,
                "mark": proof.mark.map(JSONValue.integer) ?? .null,
                "drain_finished": .bool(proof.drainFinished),
                "unresolved_rows": .array(proof.unresolved.prefix(1_000).map(JSONValue.integer)),
                "unresolved_count": int(proof.unresolved.count),
                "dead_letters": .array(
                    proof.deadLetters.map {
                        [
                            "row": .integer($0.rowID), "member": .string(member($0.kennitala, masker)),
                            "outcome": .string($0.outcome.rawValue),
                            "detail": .string(masker.freeText($0.detail)),
                        ]
                    }),
                "classified": .object(
                    Dictionary(
                        uniqueKeysWithValues: DrainOutcome.allCases.map {
                            ($0.rawValue, int(proof.classified[$0] ?? 0))
                        })),
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
                "findings": .array(
                    reconciliation.findings.map {
                        [
                            "kind": .string($0.kind.rawValue), "member": .string(member($0.kennitala, masker)),
                            "paths": .array($0.paths.map(JSONValue.string)),
                        ]
                    }),
            ],
        ]
    }
}
