import CutoverSupport
import DocumentParity
import Firestore
import LegacySync
import SQLite
import Snapshots

/// `cutover parity show --register`: one member's register row against its `members` document, field by
/// field — the comparison `verify` makes, for one member, down to the value. The register's side is what
/// Path B writes from the row now; each field has the rule verify applies to it and its verdict.
public struct RegisterSideBySide: Sendable {
    /// What verify concludes for the member, in its words.
    public enum Verdict: String, Sendable {
        /// Equal under the rules (fields accepted, ignored or not checked included).
        case matching
        case different
        /// In the register, no document.
        case missing
        /// A document whose member is not in the register (one marked inactive is what a delete leaves).
        case extra
        case inactiveWithoutMember = "inactive-without-member"
        /// A 9999 placeholder: verify skips it.
        case placeholder
    }

    /// The register and the document, read from a snapshot or from the live source and target.
    public struct Sides: Sendable {
        /// Path B's webhook `data` for the member's register row; nil: not in the register.
        public var pathB: JSONValue?
        public var document: FirestoreDocument?
        /// Where each came from, for the header.
        public var source: String
        public var target: String
        /// Fields fed only by a register table that is absent: verify does not compare them.
        public var absences: [RegisterSchema.Absence] = []
        public var memberTag: MemberTag

        public init(
            pathB: JSONValue?, document: FirestoreDocument?, source: String, target: String,
            absences: [RegisterSchema.Absence] = [], memberTag: MemberTag
        ) {
            self.pathB = pathB
            self.document = document
            self.source = source
            self.target = target
            self.absences = absences
            self.memberTag = memberTag
        }
    }

    /// The member as reports name it (masked with its tag, or unmasked).
    public var member: String
    public var verdict: Verdict
    public var source: String
    public var target: String
    public var rulesOrigin: String
    /// In the stored document's terms (left: the document, right: the register through Path B).
    public var fields: [MemberSideBySide.Field]

    /// Compares as `ReconciliationPair.check` does: the stored document against what Path B would write
    /// from the register row now.
    public static func compare(
        kennitala: String, sides: Sides, rules: ParityRules, masker: Masker
    ) throws -> RegisterSideBySide {
        let wanted = Kennitala.normalised(kennitala)
        let display = FieldValueDisplay(masker: masker, memberTag: sides.memberTag)
        guard sides.pathB != nil || sides.document != nil else {
            throw CutoverError(
                .input, "\(display.member(wanted)) is neither in the register nor in the target (\(sides.target))",
                nextStep: "check the kennitala; `cutover verify` lists the differing members")
        }
        let path = DocumentPath.member(wanted)
        let expected = sides.pathB.map { data in
            FirestoreDocument(
                path: sides.document?.path ?? path.description,
                fields: PathBMemberDocument.fields(data: data, serverTime: .now, functionClock: .now))
        }
        let unchecked = sides.absences.flatMap { absence in
            absence.part.fieldPaths.map { (pattern: FieldPattern($0), why: absence.message) }
        }
        let fields = MemberSideBySide.fields(
            sides.document, expected, events: [], rules: rules, placeholder: Kennitala.isPlaceholder(wanted),
            unchecked: unchecked, display)
        let verdict: Verdict
        if Kennitala.isPlaceholder(wanted) {
            verdict = .placeholder
        } else if sides.pathB == nil {
            let inactive = sides.document?.value(at: FieldPath(["membership", "status"])) == "inactive"
            verdict = inactive ? .inactiveWithoutMember : .extra
        } else if sides.document == nil {
            verdict = .missing
        } else {
            verdict = fields.contains { $0.verdict == .different } ? .different : .matching
        }
        return RegisterSideBySide(
            member: display.member(wanted), verdict: verdict, source: sides.source, target: sides.target,
            rulesOrigin: rules.origin, fields: fields)
    }

    /// The register and the `members` document a snapshot holds for `kennitala`, with the snapshot's tags.
    public static func sides(snapshotPath: String, kennitala: String) throws -> Sides {
        let wanted = Kennitala.normalised(kennitala)
        let snapshot = try SnapshotFile(path: snapshotPath)
        guard snapshot.manifest.table("register_members") != nil else {
            throw CutoverError(
                .input, "snapshot \(snapshot.manifest.snapshotID) has no register",
                nextStep: "take the snapshot again (it copies the register), or compare live with --source and --target"
            )
        }
        // Read directly, not through the replay's stream, which leaves a member without pending rows unparsed.
        // Two register rows under one kennitala: the higher member id is the one verify expects (Path B's last
        // write wins).
        let registerRow = try snapshot.database.query(
            "SELECT path_b FROM register_members WHERE replace(ssn, '-', '') = ? ORDER BY member_id DESC LIMIT 1",
            [.text(wanted)]
        ).first
        let documentRow = try snapshot.database.query(
            "SELECT fields, create_time, update_time FROM firestore_documents WHERE collection = 'members' AND id = ?",
            [.text(wanted)]
        ).first
        let pathB = try registerRow.flatMap { row in
            try row[0].textValue.map { text in
                do { return try JSONValue(parsing: text) } catch {
                    throw CutoverError(.input, "the snapshot's register member path_b is not JSON: \(error)")
                }
            }
        }
        let document = try documentRow.map { row in
            try FirestoreDocument(
                storedPath: DocumentPath.member(wanted).description, fieldsJSON: row[0].textValue ?? "{}",
                createTime: row[1].textValue.flatMap(Timestamp.init(parsing:)),
                updateTime: row[2].textValue.flatMap(Timestamp.init(parsing:)), context: "snapshot document")
        }
        let id = snapshot.manifest.snapshotID
        return Sides(
            pathB: pathB, document: document, source: "the register of snapshot \(id)",
            target: "the members documents of snapshot \(id)",
            memberTag: try MemberTag.fromEnvironment() ?? ParityReplay.memberTag(of: snapshot))
    }

    /// The member's register row in the live database and its document in the live store, with this run's
    /// tags (`CUTOVER_TAG_KEY`'s, as verify's, when it is set).
    public static func sides(
        database: any LegacyDatabase, schema: String, store: any DocumentStore, kennitala: String
    ) async throws -> Sides {
        let wanted = Kennitala.normalised(kennitala)
        let register = try RegisterLookup.load(database: database, schema: schema, kennitalas: [wanted])
        let absences = try RegisterReader(database: database, schema: schema).layout.absences
        return Sides(
            pathB: register.pathB[wanted], document: try await store.getDocument(DocumentPath.member(wanted)),
            source: database.redactedTarget, target: store.label, absences: absences, memberTag: .forThisRun)
    }
}
