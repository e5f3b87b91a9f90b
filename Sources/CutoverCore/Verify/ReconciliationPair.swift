import CutoverSupport
import DocumentParity
import Firestore
import LegacySync

/// A register member and its stored document (nil: missing), as the sort-merge matched them.
/// Checked off the merge's thread: parsing Path B's data and comparing is the costly part.
struct ReconciliationPair: Sendable {
    struct Expected: Sendable {
        var kennitala: String
        /// Path B's webhook `data` for the member, as canonical JSON text.
        var pathB: String
    }

    enum Outcome: Sendable {
        case placeholder, matching
        case finding(RegisterReconciliation.Finding)
    }

    var expected: Expected
    var document: FirestoreDocument?

    /// `skipping`: fields the register cannot say anything about (their table is absent).
    func check(_ comparer: DocumentComparer, skipping: [FieldPattern] = []) throws -> Outcome {
        let kennitala = expected.kennitala
        if Kennitala.isPlaceholder(kennitala) { return .placeholder }
        guard let document else { return .finding(.init(kind: .missing, kennitala: kennitala, paths: [])) }
        let data = try JSONValue(parsing: expected.pathB)
        let wanted = FirestoreDocument(
            path: document.path, fields: PathBMemberDocument.fields(data: data, serverTime: .now, functionClock: .now))
        guard let comparison = comparer.compare(kennitala: kennitala, a: document, b: wanted, events: []),
            !comparison.isAcceptable
        else { return .matching }
        let paths = comparison.differences.filter { difference in
            !difference.isAccepted && !skipping.contains { $0.covers(difference.path) }
        }.map(\.path)
        return paths.isEmpty ? .matching : .finding(.init(kind: .different, kennitala: kennitala, paths: paths))
    }
}
