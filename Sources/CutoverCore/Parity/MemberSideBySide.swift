import CutoverSupport
import DocumentParity
import Firestore
import LegacySync
import Reports
import Snapshots

/// `cutover parity show`: one member's Path A and Path B documents side by side, as a replay of the
/// snapshot leaves them, every field with the rule applied to it and its verdict — what the parity
/// report counts, for one member, down to the value.
public struct MemberSideBySide: Sendable {
    public struct Field: Sendable {
        public enum Verdict: String, Sendable {
            /// Equal as written.
            case same
            /// Equal once a correspondence translated, renamed or normalised it.
            case equivalent
            case ignored
            case accepted
            case different
            /// Differs, but verify does not compare it: the register table that feeds it is absent.
            case notChecked = "not-checked"
        }

        /// In Path A's terms.
        public var path: String
        /// Path B's name, where a correspondence renames it.
        public var pathB: String?
        /// The values as written, for display (masked unless unmasking was asked for).
        public var a: String
        public var b: String
        /// The rule applied, with its line: a correspondence, an ignore, an acceptance, or none.
        public var rule: String
        public var verdict: Verdict
        public var causes: [DifferenceCause]
    }

    /// The member as reports name it (masked with its tag, or unmasked).
    public var member: String
    /// How the two documents compare; nil when neither path leaves a document.
    public var verdict: MemberComparison.Verdict?
    public var rows: [Int64]
    public var fields: [Field]
    public var pathA: [ReplayEvent]
    public var pathB: [ReplayEvent]
    public var rulesOrigin: String

    /// Replays `kennitala`'s rows from the snapshot through both paths and compares field by field.
    public static func replay(
        snapshotPath: String, kennitala: String, rules: ParityRules, masker: Masker, memberTag: MemberTag? = nil
    ) async throws -> MemberSideBySide {
        let wanted = Kennitala.normalised(kennitala)
        let snapshot = try SnapshotFile(path: snapshotPath)
        let tag = try memberTag ?? MemberTag.fromEnvironment() ?? ParityReplay.memberTag(of: snapshot)
        let display = FieldValueDisplay(masker: masker, memberTag: tag)
        let stream = try ReplayChangeStream(snapshot: snapshot)
        var found: MemberChanges?
        // Kennitala order: the stream stops being worth reading once past the member.
        while let unparsed = try stream.next(), unparsed.member.kennitala <= wanted {
            if unparsed.member.kennitala == wanted { found = try unparsed.parsed() }
        }
        guard let member = found, member.inRegister || member.hasBaseline || !member.rows.isEmpty else {
            throw CutoverError(
                .input, "\(display.member(wanted)) is not in snapshot \(snapshot.manifest.snapshotID)",
                nextStep: "check the kennitala; `cutover parity replay` lists the differing members")
        }
        let (since, runAt) = try ParityReplay.pathAClock(snapshot)
        let result = await MemberReplay(since: since, runAt: runAt).run(member)
        let events = result.pathAEvents + result.pathBEvents
        let comparison = DocumentComparer(rules: rules).compare(
            kennitala: member.kennitala, a: result.pathA, b: result.pathB, events: events)
        return MemberSideBySide(
            member: display.member(member.kennitala), verdict: comparison?.verdict, rows: member.rows.map(\.id),
            fields: fields(
                result.pathA, result.pathB, events: events, rules: rules, placeholder: Kennitala.isPlaceholder(wanted),
                display),
            pathA: result.pathAEvents, pathB: result.pathBEvents, rulesOrigin: rules.origin)
    }

    /// Every leaf either document has, in the left one's terms (Path A's, or the stored document's for
    /// verify's view), with the rule that decided it. `unchecked`: fields verify does not compare, with why.
    static func fields(
        _ left: FirestoreDocument?, _ right: FirestoreDocument?, events: [ReplayEvent], rules: ParityRules,
        placeholder: Bool, unchecked: [(pattern: FieldPattern, why: String)] = [], _ display: FieldValueDisplay
    ) -> [Field] {
        let translated = DocumentComparer(rules: rules).translated(left, right)
        return Set(translated.left.keys).union(translated.right.keys).sorted().map { path in
            let (x, y) = (translated.left[path], translated.right[path])
            let pathB = translated.renamed[path]
            let a = display.text(translated.rawLeft[path] ?? x, path: path)
            let b = display.text(translated.rawRight[path] ?? y, path: pathB ?? path)
            let correspondence = rules.correspondences.first { $0.a == path }
            let causes = Set(events.filter { $0.explains(path) }.compactMap(\.cause)).sorted()
            func field(_ rule: String, _ verdict: Field.Verdict) -> Field {
                Field(path: path, pathB: pathB, a: a, b: b, rule: rule, verdict: verdict, causes: causes)
            }
            if let ignore = rules.ignore(path) {
                return field("ignore \(ignore.pattern) (line \(ignore.line)): \(ignore.reason)", .ignored)
            }
            if x == y {
                let translatedOnly =
                    translated.rawLeft[path] != translated.rawRight[path]
                    || translated.sourceLeft[path] != translated.sourceRight[path]
                guard translatedOnly, let correspondence else { return field("—", .same) }
                return field(Self.describe(correspondence), .equivalent)
            }
            if let acceptance = rules.acceptance(path: path, placeholder: placeholder, causes: Set(causes)) {
                return field("accept \(acceptance.label): \(acceptance.reason)", .accepted)
            }
            if let skipped = unchecked.first(where: { $0.pattern.covers(path) }) {
                return field("not checked: \(skipped.why)", .notChecked)
            }
            return field(
                correspondence.map { Self.describe($0) + "; no rule accepts the difference" }
                    ?? "no rule accepts the difference", .different)
        }
    }

    static func describe(_ correspondence: ParityRules.Correspondence) -> String {
        let how: String =
            switch correspondence.translation {
            case .mapping(let name)?: ", map \(name)"
            case .timestamp?: ", normalise timestamp"
            case nil: ""
            }
        return "correspondence \(correspondence.a) ≡ B \(correspondence.b)\(how) (line \(correspondence.line))"
    }
}
