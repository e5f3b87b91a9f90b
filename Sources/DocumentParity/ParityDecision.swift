import Foundation
import LegacySync

/// One thing a FAIL asks the operator to decide: an unaccepted difference cause (or, where no queue
/// row explains a difference, its field or document side), the LEGACY.md §6 difference behind it, the
/// choice it needs, and the rules-file lines that would accept it.
public struct ParityDecision: Sendable, Equatable {
    public enum Subject: Sendable, Hashable, Comparable {
        case cause(DifferenceCause)
        /// A field difference no queue row explains: accepted by its path.
        case field(String)
        /// A document on one side only that no queue row explains.
        case document(ParityRules.Acceptance.DocumentSide)

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.sortKey < rhs.sortKey }

        private var sortKey: String {
            switch self {
            case .cause(let cause): "0 \(cause.rawValue)"
            case .field(let path): "1 \(path)"
            case .document(let side): "2 \(side.rawValue)"
            }
        }

        /// `cause path-b-not-sent`, `path profile.phone`, `document only-in-b`: the rule's key and value.
        public var rule: (key: String, value: String) {
            switch self {
            case .cause(let cause): ("cause", cause.rawValue)
            case .field(let path): ("path", path)
            case .document(let side): ("document", side.rawValue)
            }
        }
    }

    public var subject: Subject
    /// Failing members it concerns.
    public var members: Int
    public var hazard: ParityHazard?
    /// The hazard's concern, or why there is none.
    public var behind: String
    public var choice: String
    /// YAML entries for the rules file's `accept:` list, indented as the shipped file's.
    public var rulesLines: [String]

    init(subject: Subject, members: Int) {
        self.subject = subject
        self.members = members
        let reason: String
        switch subject {
        case .cause(let cause):
            hazard = cause.hazard
            behind = cause.hazard?.concern ?? "a limit of the replay, not one of LEGACY.md §6's differences"
            choice = cause.choice
            reason = cause.explanation
        case .field(let path):
            hazard = ParityHazard.forPath(path)
            behind = hazard?.concern ?? "none known: no queue row or LEGACY.md §6 difference accounts for it"
            choice =
                hazard == nil
                ? "find out why first (the differing members below list each one's rows); then fix Path B, or "
                    + "accept knowingly"
                : "fix Path B to write what Path A wrote, or accept knowingly the shape consumers will read"
            reason = hazard?.concern ?? "\(path) differs between the paths"
        case .document(let side):
            hazard = nil
            behind = "none known: no queue row accounts for a document on one side only"
            choice =
                "find out why first; then fix Path B, or accept knowingly that the document exists after "
                + (side == .onlyInA ? "Path A only" : "Path B only")
            reason = "a document \(side == .onlyInA ? "only Path A" : "only Path B") leaves"
        }
        let (key, value) = subject.rule
        rulesLines = [
            "  - \(key): \(value)",
            "    reason: \(Self.quoted("accepted knowingly: \(reason)"))",
        ]
    }

    /// A YAML double-quoted scalar: a reason's `: ` or `#` would otherwise change what the line means.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Counts failing members per decision as a replay streams; every member counts once per subject.
package struct ParityDecisionTally {
    private var members: [ParityDecision.Subject: Int] = [:]

    package init() {}

    package mutating func add(_ comparison: MemberComparison) {
        var subjects: Set<ParityDecision.Subject> = []
        switch comparison.verdict {
        case .onlyInA, .onlyInB:
            guard comparison.documentAcceptance == nil else { break }
            if comparison.causes.isEmpty {
                subjects.insert(.document(comparison.verdict == .onlyInA ? .onlyInA : .onlyInB))
            }
            for cause in comparison.causes { subjects.insert(.cause(cause)) }
        default:
            break
        }
        for difference in comparison.differences where !difference.isAccepted {
            if difference.causes.isEmpty { subjects.insert(.field(Self.rulePath(difference.path))) }
            for cause in difference.causes { subjects.insert(.cause(cause)) }
        }
        for subject in subjects { members[subject, default: 0] += 1 }
    }

    package var decisions: [ParityDecision] {
        members.keys.sorted().map { ParityDecision(subject: $0, members: members[$0]!) }
    }

    /// A rules file accepts paths the documents' shapes name (`profile.address`, not `profile.address.city`).
    static func rulePath(_ path: String) -> String {
        MemberDocumentShapes.all.filter { FieldPattern($0).covers(path) }.max { $0.count < $1.count } ?? path
    }
}
