import Firestore

/// One field where two documents disagree after the rules were applied.
public struct FieldDifference: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case value
        /// The two sides hold different Firestore value kinds (string vs integer, …).
        case type
        case onlyInA = "only-in-a"
        case onlyInB = "only-in-b"
    }

    /// In Path A's terms (a corresponding Path B field is reported under Path A's name).
    public var path: String
    /// The Path B field it was read from, when a correspondence renamed it.
    public var pathBName: String?
    public var kind: Kind
    public var a: FirestoreValue?
    public var b: FirestoreValue?
    public var acceptedBy: ParityRules.Acceptance?
    /// The lineage causes that can explain it.
    public var causes: [DifferenceCause]

    public var isAccepted: Bool { acceptedBy != nil }
}

/// How one member's two documents compare.
public struct MemberComparison: Sendable {
    public enum Verdict: String, Sendable, CaseIterable {
        case identical, equivalent, accepted, different
        case onlyInA = "only-in-a"
        case onlyInB = "only-in-b"
    }

    public var kennitala: String
    public var verdict: Verdict
    public var differences: [FieldDifference]
    /// Paths equal only once the rules translated or normalised them.
    public var equivalentPaths: [String]
    /// For a document on one side only: the rule that accepts it.
    public var documentAcceptance: ParityRules.Acceptance?
    public var causes: [DifferenceCause]
    /// Paths whose values differ in content (not only in time) but that the rules ignore: a replay whose
    /// every difference is hidden this way proved nothing.
    public var hiddenPaths: [String] = []

    /// True when nothing about this member fails the parity verdict.
    public var isAcceptable: Bool {
        switch verdict {
        case .identical, .equivalent, .accepted: true
        case .different: false
        case .onlyInA, .onlyInB: documentAcceptance != nil
        }
    }
}
