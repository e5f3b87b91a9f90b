import CutoverSupport
import Firestore
import LegacySync

/// Compares Path A's and Path B's document for one member under the rules: Path B's fields are
/// translated into Path A's terms (correspondences, value mappings, timestamp normalisation),
/// ignored fields are dropped, then every leaf field is compared; each difference is matched to
/// the lineage causes that can explain it and to the rule that accepts it.
public struct DocumentComparer: Sendable {
    public let rules: ParityRules

    public init(rules: ParityRules) { self.rules = rules }

    public func compare(
        kennitala: String, a: FirestoreDocument?, b: FirestoreDocument?, events: [ReplayEvent]
    ) -> MemberComparison? {
        let placeholder = Kennitala.isPlaceholder(kennitala)
        let allCauses = Array(Set(events.compactMap(\.cause))).sorted()
        func causes(at path: String) -> Set<DifferenceCause> {
            Set(events.filter { $0.explains(path) }.compactMap(\.cause))
        }
        switch (a, b) {
        case (nil, nil):
            return nil
        case (.some, nil), (nil, .some):
            let side: ParityRules.Acceptance.DocumentSide = a != nil ? .onlyInA : .onlyInB
            let wholeDocumentCauses = Set(events.filter { $0.cause != nil && $0.scope == nil }.compactMap(\.cause))
            return MemberComparison(
                kennitala: kennitala, verdict: side == .onlyInA ? .onlyInA : .onlyInB, differences: [],
                equivalentPaths: [],
                documentAcceptance: rules.acceptance(
                    document: side, placeholder: placeholder, causes: wholeDocumentCauses),
                causes: allCauses)
        case (.some(let a), .some(let b)):
            if a.fields == b.fields {
                return MemberComparison(
                    kennitala: kennitala, verdict: .identical, differences: [], equivalentPaths: [],
                    documentAcceptance: nil, causes: allCauses)
            }
            let translated = translated(a, b)
            let (left, right, rawLeft, rawRight) = (
                translated.left, translated.right, translated.rawLeft, translated.rawRight
            )
            let (renamed, sourceLeft, sourceRight) = (
                translated.renamed, translated.sourceLeft, translated.sourceRight
            )
            var differences: [FieldDifference] = []
            var equivalent: [String] = []
            var hidden: [String] = []
            for path in Set(left.keys).union(right.keys).sorted() {
                guard rules.ignore(path) == nil else {
                    // Times are what ignore rules are for (server clocks, run times); any other value hidden
                    // is content the comparison did not look at.
                    if left[path] != right[path]
                        && !(Self.isTimeOrAbsent(left[path]) && Self.isTimeOrAbsent(right[path]))
                    {
                        hidden.append(path)
                    }
                    continue
                }
                let (x, y) = (left[path], right[path])
                if x == y {
                    if rawLeft[path] != rawRight[path] || sourceLeft[path] != sourceRight[path] {
                        equivalent.append(path)
                    }
                    continue
                }
                let kind: FieldDifference.Kind =
                    x == nil ? .onlyInB : y == nil ? .onlyInA : x!.kindName != y!.kindName ? .type : .value
                let explaining = causes(at: path)
                differences.append(
                    FieldDifference(
                        path: path, pathBName: renamed[path], kind: kind, a: rawLeft[path] ?? x, b: rawRight[path] ?? y,
                        acceptedBy: rules.acceptance(path: path, placeholder: placeholder, causes: explaining),
                        causes: explaining.sorted()))
            }
            let verdict: MemberComparison.Verdict =
                differences.isEmpty ? .equivalent : differences.allSatisfy(\.isAccepted) ? .accepted : .different
            return MemberComparison(
                kennitala: kennitala, verdict: verdict, differences: differences, equivalentPaths: equivalent,
                documentAcceptance: nil, causes: allCauses, hiddenPaths: hidden)
        }
    }

    /// Both documents' leaves in Path A's terms, with the values as written and the names they were found under.
    package struct Translated {
        package var left: [String: FirestoreValue] = [:]
        package var right: [String: FirestoreValue] = [:]
        package var rawLeft: [String: FirestoreValue] = [:]
        package var rawRight: [String: FirestoreValue] = [:]
        /// Path A's name → Path B's, where a correspondence renames.
        package var renamed: [String: String] = [:]
        /// The name each side's value was found under, where a correspondence renamed it.
        package var sourceLeft: [String: String] = [:]
        package var sourceRight: [String: String] = [:]
    }

    /// Both documents are read in Path A's terms: either path may have written either shape (a baseline
    /// written by the webhook, patched by the queue), so both sides are translated.
    package func translated(_ a: FirestoreDocument?, _ b: FirestoreDocument?) -> Translated {
        var result = Translated(
            left: FlatDocument(a?.fields ?? [:]).leaves, right: FlatDocument(b?.fields ?? [:]).leaves)
        for correspondence in rules.correspondences {
            func translateSide(
                _ side: inout [String: FirestoreValue], _ raw: inout [String: FirestoreValue],
                _ source: inout [String: String]
            ) {
                let fromB = side.removeValue(forKey: correspondence.b)
                guard let value = fromB ?? side[correspondence.a] else { return }
                raw[correspondence.a] = value
                source[correspondence.a] = fromB != nil ? correspondence.b : correspondence.a
                side[correspondence.a] = translate(value, correspondence.translation)
            }
            translateSide(&result.left, &result.rawLeft, &result.sourceLeft)
            translateSide(&result.right, &result.rawRight, &result.sourceRight)
            if correspondence.a != correspondence.b { result.renamed[correspondence.a] = correspondence.b }
        }
        return result
    }

    static func isTimeOrAbsent(_ value: FirestoreValue?) -> Bool {
        switch value {
        case nil, .null?, .timestamp?: true
        case .string(let text)?: Timestamp(parsing: text) != nil
        default: false
        }
    }

    private func translate(
        _ value: FirestoreValue, _ translation: ParityRules.Correspondence.Translation?
    ) -> FirestoreValue {
        switch translation {
        case nil: return value
        case .mapping(let name): return rules.mappings[name]?[value] ?? value
        case .timestamp:
            if case .string(let text) = value, let time = Timestamp(parsing: text) { return .timestamp(time) }
            return value
        }
    }
}
