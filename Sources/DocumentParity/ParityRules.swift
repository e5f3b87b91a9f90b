import Firestore

/// What counts as the same when Path A's and Path B's documents are compared (issue 4): field
/// correspondences with value mappings and normalisations, fields to ignore, and accepted
/// differences, each with a reason. Read from YAML (`ParityRules+YAML.swift`); the shipped default is
/// `parity-rules.yaml` beside this file.
public struct ParityRules: Sendable {
    /// Path B's `b` holds the fact Path A keeps at `a`; B's value is translated into A's terms.
    public struct Correspondence: Sendable {
        public enum Translation: Sendable, Equatable {
            /// Through a named value mapping (`mappings:`).
            case mapping(String)
            /// Timestamps and ISO strings compared as instants.
            case timestamp
        }

        public var a: String
        public var b: String
        public var translation: Translation?
        public var reason: String
        public var line: Int
    }

    public struct Ignore: Sendable {
        public var pattern: FieldPattern
        public var reason: String
        public var line: Int
    }

    /// A difference the team accepts. Every criterion given must match.
    public struct Acceptance: Sendable {
        public enum DocumentSide: String, Sendable { case onlyInA = "only-in-a", onlyInB = "only-in-b" }

        public var pattern: FieldPattern?
        public var document: DocumentSide?
        public var placeholdersOnly: Bool
        public var cause: DifferenceCause?
        public var reason: String
        public var line: Int

        /// A short name for reports: what the rule matches.
        public var label: String {
            var parts: [String] = []
            if let pattern { parts.append("path \(pattern)") }
            if let document { parts.append("document \(document.rawValue)") }
            if placeholdersOnly { parts.append("members placeholders") }
            if let cause { parts.append("cause \(cause.rawValue)") }
            return parts.joined(separator: ", ") + " (line \(line))"
        }
    }

    /// Where the rules came from: a file, the shipped default, or none.
    public var origin: String
    public var mappings: [String: [FirestoreValue: FirestoreValue]]
    public var correspondences: [Correspondence]
    public var ignores: [Ignore]
    public var acceptances: [Acceptance]

    /// `--rules none`: raw shapes compared as they are.
    public static let none = ParityRules(
        origin: "none", mappings: [:], correspondences: [], ignores: [], acceptances: [])

    /// The rules file that ships with cutover (`Sources/DocumentParity/parity-rules.yaml`).
    public static var shippedText: String { String(decoding: PackageResources.parity_rules_yaml, as: UTF8.self) }

    public static func shipped() -> ParityRules {
        // The shipped file is tested to parse; failing here is a build defect.
        try! ParityRules(yaml: shippedText, origin: "shipped default (parity-rules.yaml)")
    }

    public func ignore(_ path: String) -> Ignore? { ignores.first { $0.pattern.covers(path) } }

    /// The first acceptance that matches a field difference.
    public func acceptance(path: String, placeholder: Bool, causes: Set<DifferenceCause>) -> Acceptance? {
        acceptances.first { rule in
            guard rule.document == nil else { return false }
            if let pattern = rule.pattern, !pattern.covers(path) { return false }
            if rule.placeholdersOnly && !placeholder { return false }
            if let cause = rule.cause, !causes.contains(cause) { return false }
            return true
        }
    }

    /// The first acceptance that matches a document present on one side only.
    public func acceptance(
        document side: Acceptance.DocumentSide, placeholder: Bool, causes: Set<DifferenceCause>
    ) -> Acceptance? {
        acceptances.first { rule in
            guard rule.pattern == nil else { return false }
            if let document = rule.document, document != side { return false }
            if rule.placeholdersOnly && !placeholder { return false }
            if let cause = rule.cause, !causes.contains(cause) { return false }
            return rule.document != nil || rule.placeholdersOnly || rule.cause != nil
        }
    }
}
