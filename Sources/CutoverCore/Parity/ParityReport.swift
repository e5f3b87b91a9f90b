import CutoverSupport
import DocumentParity
import LegacySync

/// The result of a parity replay: a verdict, counts, a per-field table, consumer impact, the known
/// hazards with their evidence, the A/A noise, and the lineage of every differing member. Rendered as
/// JSON (stable: the same inputs give the same bytes), Markdown and one HTML page.
public struct ParityReport: Sendable {
    public enum Verdict: String, Sendable {
        case pass
        case accepted
        case fail
        /// Nothing, or too little, was compared to call it pass or fail: `ParityReport.missing` says what.
        case inconclusive

        /// Exit codes scripts can act on: 0 pass, 10 pass with accepted differences, 11 fail, 12 inconclusive.
        public var exitCode: Int32 {
            switch self {
            case .pass: ExitCode.success.code
            case .accepted: ExitCode.parityAccepted.code
            case .fail: ExitCode.failed.code
            case .inconclusive: ExitCode.inconclusive.code
            }
        }

        /// Every code a replay can end with, for the reports' footers.
        static let possibleExitCodes: [ExitCode] = [.success, .parityAccepted, .failed, .inconclusive]

        /// Whether a gate (the drain's, retirement's) may go on with this verdict.
        public var letsGatesPass: Bool { self == .pass || self == .accepted }

        public var title: String {
            switch self {
            case .pass: "PASS"
            case .accepted: "PASS WITH ACCEPTED DIFFERENCES"
            case .fail: "FAIL"
            case .inconclusive: "INCONCLUSIVE"
            }
        }
    }

    public struct Setting: Sendable {
        public var snapshotID: String
        public var snapshotSourceReadAt: String
        public var queueTable: String
        /// The database and table the snapshot was read from: what the drain ties this report to.
        public var sourceIdentity: SourceIdentity?
        public var rulesOrigin: String
        public var pathASince: Timestamp
        public var pathARunAt: Timestamp
        public var noiseRunAt: Timestamp
        public var masked: Bool
        /// Where the key of the tags beside masked kennitalas came from (`MemberTag`).
        public var memberTagOrigin: String
        /// What a drill-down restricted the replay to (`ReplayScope`); nil when it replayed everything.
        public var scope: String?
    }

    public struct Counts: Sendable {
        public var byVerdict: [MemberComparison.Verdict: Int] = [:]
        public var registerMembers = 0
        public var baselineDocuments = 0
        public var membersReplayed = 0
        public var rowsReplayed = 0
        public var membersCompared: Int { byVerdict.values.reduce(0, +) }
        public subscript(_ verdict: MemberComparison.Verdict) -> Int { byVerdict[verdict] ?? 0 }
    }

    public struct FieldRow: Sendable {
        public var path: String
        public var pathBName: String?
        public var differences = 0
        public var accepted = 0
        public var kinds: [FieldDifference.Kind: Int] = [:]
        /// "stringValue → integerValue" → members.
        public var typeChanges: [String: Int] = [:]
        public var causes: [DifferenceCause: Int] = [:]
        public var acceptedBy: ParityRules.Acceptance?
        public var hazard: ParityHazard?
        /// Up to three, masked: member, A's value, B's value.
        public var examples: [(member: String, a: String, b: String)] = []
    }

    public struct WrittenField: Sendable {
        public var path: String
        public var documentsWritten = 0
        public var kinds: Set<String> = []
        /// Replayed result documents of the other path that still carry the field (left over from the baseline).
        public var carriedByOther = 0
    }

    public struct HazardFinding: Sendable {
        /// The hazard's id, or `register-absent-<part>` for a part of the register the source lacks.
        public var id: String
        public var concern: String
        public var observed: Bool
        public var evidence: String

        init(hazard: ParityHazard, observed: Bool, evidence: String) {
            (id, concern, self.observed, self.evidence) = (hazard.rawValue, hazard.concern, observed, evidence)
        }

        init(id: String, concern: String, observed: Bool, evidence: String) {
            (self.id, self.concern, self.observed, self.evidence) = (id, concern, observed, evidence)
        }
    }

    public struct Noise: Sendable {
        public var membersCompared = 0
        public var membersDiffering = 0
        public var fields: [String: Int] = [:]
        /// Noise fields the rules neither ignore nor accept: they would show as differences.
        public var notIgnored: [String] = []
    }

    public struct MemberLine: Sendable {
        public var member: String
        public var verdict: MemberComparison.Verdict
        /// The member fails the verdict: a difference, or a document on one side, no rule accepts.
        public var fails: Bool
        public var rowIDs: [Int64]
        public var differingPaths: [String]
        public var unacceptedPaths: [String]
        public var causes: [DifferenceCause]
        public var acceptedBy: [String]
        public var explanation: String
        public var pathA: [ReplayEvent]
        public var pathB: [ReplayEvent]
    }

    public var setting: Setting
    public var verdict: Verdict
    /// Why the verdict is inconclusive, one sentence each (what is missing and how to get it); empty otherwise.
    public var missing: [String]
    public var counts: Counts
    public var fields: [FieldRow]
    public var writtenOnlyByA: [WrittenField]
    public var writtenOnlyByB: [WrittenField]
    /// Fields both paths write, with different value kinds.
    public var typeChangedFields: [(path: String, a: [String], b: [String])]
    public var hazards: [HazardFinding]
    public var noise: Noise
    /// Every differing member's lineage (in a temporary file; the first ones also in memory).
    public var members: ParityMemberLines
    /// Differing members that fail the verdict.
    public var failingMembers: Int
    /// What a FAIL asks the operator to decide: one entry per unaccepted cause, field or document side.
    public var decisions: [ParityDecision]
    /// Listed members printed with the same identifier (mask and tag): expected never (`MemberTag`).
    public var identifierCollisions: Int
    public var eventCounts: [String: Int]
    public var problems: [RowProblem]
}
