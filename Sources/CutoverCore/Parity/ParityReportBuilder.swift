import CutoverSupport
import DocumentParity
import Firestore
import LegacySync

/// Gathers member comparisons, lineage and written fields as a replay streams through the members,
/// and turns them into a `ParityReport`. Everything it keeps is per field or per differing member,
/// never per document.
struct ParityReportBuilder {
    let rules: ParityRules
    let display: FieldValueDisplay
    let setting: ParityReport.Setting

    private var counts = ParityReport.Counts()
    private var fieldRows: [String: ParityReport.FieldRow] = [:]
    private var writtenByA: [String: ParityReport.WrittenField] = [:]
    private var writtenByB: [String: ParityReport.WrittenField] = [:]
    private var carriedByA: [String: Int] = [:]
    private var carriedByB: [String: Int] = [:]
    private var noise = ParityReport.Noise()
    private let members: ParityMemberLines
    private var failingMembers = 0
    private var eventCounts: [String: Int] = [:]
    private var phonesNormalised = 0
    private var deletesOfMissingDocuments = 0
    private var updatesOfMissingDocuments = 0
    private var placeholdersWrittenByA = 0
    /// Differing content the rules ignored, by path: members.
    private var hiddenByRules: [String: Int] = [:]
    private var municipalityNames = MunicipalityNameEvidence()
    /// Each listed member's identifier as printed → its kennitala: two members printed alike would be one
    /// line to a reader (`MemberTag`).
    private var printedAs: [String: String] = [:]
    private var identifierCollisions = 0
    private var decisions = ParityDecisionTally()
    private var absences: RegisterAbsenceTally

    private static let shapeFields = MemberDocumentShapes.all.map {
        ($0, FieldPath($0.split(separator: ".").map(String.init)))
    }

    init(
        rules: ParityRules, display: FieldValueDisplay, setting: ParityReport.Setting,
        absences: [RegisterAbsenceTally.Absence] = []
    ) throws {
        self.absences = RegisterAbsenceTally(absences)
        self.rules = rules
        self.display = display
        self.setting = setting
        members = try ParityMemberLines()
    }

    /// A member no row touches: both paths leave the baseline as it is.
    mutating func addUntouched(_ member: MemberChanges) {
        count(member)
        if member.hasBaseline { counts.byVerdict[.identical, default: 0] += 1 }
    }

    mutating func add(
        _ member: MemberChanges, _ result: MemberReplay.Result, _ comparison: MemberComparison?,
        noise aa: MemberComparison?
    ) throws {
        count(member)
        counts.membersReplayed += 1
        counts.rowsReplayed += member.rows.count
        for event in result.pathAEvents { tally("path_a", event) }
        for event in result.pathBEvents { tally("path_b", event) }
        record(result)
        recordNoise(aa)
        guard var comparison else { return }
        // A difference the register's absent table explains carries that cause, and its member is
        // counted under it rather than listed.
        let onlyAbsence = absences.explain(&comparison)
        counts.byVerdict[comparison.verdict, default: 0] += 1
        for path in comparison.hiddenPaths { hiddenByRules[path, default: 0] += 1 }
        let name = display.member(member.kennitala)
        for difference in comparison.differences { recordField(difference, member: name) }
        if comparison.verdict != .identical && comparison.verdict != .equivalent && !onlyAbsence {
            let line = memberLine(member, name, result, comparison)
            let kennitala = Kennitala.normalised(member.kennitala)
            if let earlier = printedAs.updateValue(kennitala, forKey: name), earlier != kennitala {
                identifierCollisions += 1
            }
            if !comparison.isAcceptable {
                failingMembers += 1
                decisions.add(comparison)
            }
            try members.append(line, json: ParityReport.json(line))
        }
    }

    private mutating func count(_ member: MemberChanges) {
        if member.inRegister { counts.registerMembers += 1 }
        if member.hasBaseline { counts.baselineDocuments += 1 }
    }

    private mutating func tally(_ side: String, _ event: ReplayEvent) {
        eventCounts["\(side).\(event.outcome.rawValue)", default: 0] += 1
        if let cause = event.cause { eventCounts["cause.\(cause.rawValue)", default: 0] += 1 }
    }

    /// Written fields, leftovers, and the direct evidence of the hazards a comparison under rules hides.
    private mutating func record(_ result: MemberReplay.Result) {
        for (path, kind) in result.pathAWrote {
            writtenByA[path, default: .init(path: path)].documentsWritten += 1
            writtenByA[path]!.kinds.insert(kind)
        }
        for (path, kind) in result.pathBWrote {
            writtenByB[path, default: .init(path: path)].documentsWritten += 1
            writtenByB[path]!.kinds.insert(kind)
        }
        // Leftovers are counted for the fields either shape defines: what a consumer could read.
        for (path, field) in Self.shapeFields {
            if result.pathA?.value(at: field) != nil { carriedByA[path, default: 0] += 1 }
            if result.pathB?.value(at: field) != nil { carriedByB[path, default: 0] += 1 }
        }
        let phone = FieldPath(["profile", "phone"])
        if case .string(let a)? = result.pathA?.value(at: phone), case .string(let b)? = result.pathB?.value(at: phone),
            a != b, PathBMemberDocument.normalisedPhone(a) == b
        {
            phonesNormalised += 1
        }
        if result.pathAEvents.contains(where: { $0.action == .delete && $0.outcome == .noWrite }),
            result.pathBEvents.contains(where: { $0.action == .delete && $0.outcome == .failed })
        {
            deletesOfMissingDocuments += 1
        }
        if result.pathAEvents.contains(where: { $0.action == .update && $0.outcome == .failed }),
            result.pathBEvents.contains(where: { $0.action == .update && $0.outcome == .written })
        {
            updatesOfMissingDocuments += 1
        }
        municipalityNames.record(a: result.pathA, b: result.pathB)
        if result.pathBEvents.contains(where: { $0.cause == .pathBSkippedPlaceholder }),
            result.pathAEvents.contains(where: { $0.outcome == .written })
        {
            placeholdersWrittenByA += 1
        }
    }

    private mutating func recordNoise(_ aa: MemberComparison?) {
        guard let aa else { return }
        noise.membersCompared += 1
        guard aa.verdict != .identical else { return }
        noise.membersDiffering += 1
        for difference in aa.differences { noise.fields[difference.path, default: 0] += 1 }
    }

    private mutating func recordField(_ difference: FieldDifference, member: String) {
        var row =
            fieldRows[difference.path]
            ?? ParityReport.FieldRow(
                path: difference.path, pathBName: difference.pathBName, hazard: ParityHazard.forPath(difference.path))
        row.differences += 1
        if difference.isAccepted {
            row.accepted += 1
            if row.acceptedBy == nil { row.acceptedBy = difference.acceptedBy }
        }
        row.kinds[difference.kind, default: 0] += 1
        if difference.kind == .type, let a = difference.a, let b = difference.b {
            row.typeChanges["\(a.kindName) → \(b.kindName)", default: 0] += 1
        }
        for cause in difference.causes { row.causes[cause, default: 0] += 1 }
        if row.examples.count < 3 {
            row.examples.append(
                (
                    member, display.text(difference.a, path: difference.path),
                    display.text(difference.b, path: difference.pathBName ?? difference.path)
                ))
        }
        fieldRows[difference.path] = row
    }

    private func memberLine(
        _ member: MemberChanges, _ name: String, _ result: MemberReplay.Result,
        _ comparison: MemberComparison
    ) -> ParityReport.MemberLine {
        let unaccepted = comparison.differences.filter { !$0.isAccepted }
        var explanations: [String] = []
        var seen: Set<String> = []
        func add(_ text: String) { if seen.insert(text).inserted { explanations.append(text) } }
        switch comparison.verdict {
        case .onlyInA, .onlyInB:
            let side = comparison.verdict == .onlyInA ? "only Path A" : "only Path B"
            add("the document exists after \(side)")
            for cause in comparison.causes { add(cause.explanation) }
            if comparison.causes.isEmpty { add("unexplained: no row accounts for it") }
        default:
            for difference in comparison.differences {
                for cause in difference.causes { add(cause.explanation) }
                if difference.causes.isEmpty {
                    if let hazard = ParityHazard.forPath(difference.path) {
                        add("by design — \(hazard.concern)")
                    } else if !difference.isAccepted {
                        add("unexplained: no row or known difference accounts for \(difference.path)")
                    }
                }
            }
        }
        var acceptedBy = Set(comparison.differences.compactMap { $0.acceptedBy?.label })
        if let rule = comparison.documentAcceptance { acceptedBy.insert(rule.label) }
        return ParityReport.MemberLine(
            member: name, verdict: comparison.verdict, fails: !comparison.isAcceptable, rowIDs: member.rows.map(\.id),
            differingPaths: comparison.differences.map(\.path), unacceptedPaths: unaccepted.map(\.path),
            causes: comparison.causes, acceptedBy: acceptedBy.sorted(),
            explanation: explanations.joined(separator: "; "),
            pathA: result.pathAEvents, pathB: result.pathBEvents)
    }

    /// Why this replay proves nothing: the inputs it lacked (`inputsMissing`, from the snapshot), nothing
    /// compared, or rules that hid every difference there was.
    func missing(inputsMissing: [String]) -> [String] {
        var reasons = inputsMissing
        if counts.membersCompared == 0 {
            reasons.append(
                "no member was compared: the snapshot holds no member that either path wrote or that has a baseline "
                    + "document"
            )
        }
        let surviving = fieldRows.isEmpty && counts[.onlyInA] + counts[.onlyInB] == 0
        if surviving && !hiddenByRules.isEmpty {
            let paths = hiddenByRules.keys.sorted()
            reasons.append(
                "the rules ignore every field that differed (\(paths.prefix(10).joined(separator: ", "))"
                    + (paths.count > 10 ? ", …" : "")
                    + "): no difference was left to judge; ignore only times, accept the rest with a reason")
        }
        return reasons
    }

    func finish(problems: [RowProblem], inputsMissing: [String] = []) throws -> ParityReport {
        try members.finish()
        var noise = noise
        noise.notIgnored = noise.fields.keys.filter { path in
            rules.ignore(path) == nil && rules.acceptance(path: path, placeholder: false, causes: []) == nil
        }.sorted()
        let onlyA = writtenByA.values.filter { writtenByB[$0.path] == nil }.map { field -> ParityReport.WrittenField in
            var field = field
            field.carriedByOther = carriedByB[field.path] ?? 0
            return field
        }.sorted { $0.path < $1.path }
        let onlyB = writtenByB.values.filter { writtenByA[$0.path] == nil }.map { field -> ParityReport.WrittenField in
            var field = field
            field.carriedByOther = carriedByA[field.path] ?? 0
            return field
        }.sorted { $0.path < $1.path }
        let typeChanged = writtenByA.values.compactMap { a -> (String, [String], [String])? in
            guard let b = writtenByB[a.path], a.kinds != b.kinds else { return nil }
            return (a.path, a.kinds.sorted(), b.kinds.sorted())
        }.sorted { $0.0 < $1.0 }
        let fields = fieldRows.values.sorted { $0.path < $1.path }
        let missing = missing(inputsMissing: inputsMissing)
        // Missing inputs come first: without the baseline or the register the paths' documents differ for
        // reasons of the snapshot, not of the paths, so neither a pass nor a fail would be evidence.
        let verdict: ParityReport.Verdict =
            !missing.isEmpty
            ? .inconclusive
            : failingMembers > 0
                ? .fail
                : (counts[.accepted] + counts[.onlyInA] + counts[.onlyInB] > 0 ? .accepted : .pass)
        return ParityReport(
            setting: setting, verdict: verdict, missing: missing, counts: counts, fields: fields, writtenOnlyByA: onlyA,
            writtenOnlyByB: onlyB,
            typeChangedFields: typeChanged, hazards: hazards() + absences.findings, noise: noise, members: members,
            failingMembers: failingMembers, decisions: decisions.decisions,
            identifierCollisions: identifierCollisions, eventCounts: eventCounts,
            problems: problems)
    }

    private func hazards() -> [ParityReport.HazardFinding] {
        func wrote(_ side: [String: ParityReport.WrittenField], _ pattern: String) -> Int {
            side.values.filter { FieldPattern(pattern).covers($0.path) }.map(\.documentsWritten).max() ?? 0
        }
        func kinds(_ side: [String: ParityReport.WrittenField], _ path: String) -> Set<String> {
            side[path]?.kinds ?? []
        }
        func cause(_ cause: DifferenceCause) -> Int { eventCounts["cause.\(cause.rawValue)"] ?? 0 }
        return ParityHazard.allCases.map { hazard in
            let (observed, evidence): (Bool, String)
            switch hazard {
            case .kennitala:
                let (a, b) = (wrote(writtenByA, "kennitala"), wrote(writtenByB, "profile.kennitala"))
                (observed, evidence) = (
                    a > 0 && b > 0 && wrote(writtenByB, "kennitala") == 0,
                    "Path A wrote kennitala in \(counted(a, "document")); Path B wrote profile.kennitala in \(b) and "
                        + "never kennitala"
                )
            case .gender:
                let (a, b) = (kinds(writtenByA, "profile.gender"), kinds(writtenByB, "profile.gender"))
                (observed, evidence) = (
                    a.contains("stringValue") && b.contains("integerValue"),
                    "profile.gender written as \(a.sorted().joined(separator: "/")) by Path A, "
                        + "\(b.sorted().joined(separator: "/")) by Path B"
                )
            case .housing:
                let (a, b) = (
                    wrote(writtenByA, "profile.housingSituation"), wrote(writtenByB, "profile.housing_situation")
                )
                (observed, evidence) = (
                    a > 0 && b > 0,
                    "Path A wrote profile.housingSituation in \(counted(a, "document")) (updates only); Path B wrote "
                        + "profile.housing_situation in \(b)"
                )
            case .privacyFlags:
                let (a, b) = (wrote(writtenByA, "privacy.reachable"), wrote(writtenByB, "profile.reachable"))
                (observed, evidence) = (
                    a > 0 && b > 0 && wrote(writtenByB, "privacy") == 0,
                    "Path A wrote privacy.reachable in \(counted(a, "document")) (creates only); Path B wrote "
                        + "profile.reachable in \(b)"
                )
            case .dateJoined:
                let (a, b) = (kinds(writtenByA, "membership.joined"), kinds(writtenByB, "membership.date_joined"))
                (observed, evidence) = (
                    !a.isEmpty && b.contains("timestampValue"),
                    "membership.joined written as \(a.sorted().joined(separator: "/")) by Path A; "
                        + "membership.date_joined as \(b.sorted().joined(separator: "/")) by Path B"
                )
            case .address:
                let (a, b) = (wrote(writtenByA, "profile.address"), wrote(writtenByB, "profile.addresses"))
                (observed, evidence) = (
                    a > 0 && b > 0,
                    "Path A wrote profile.address in \(counted(a, "document")); Path B wrote profile.addresses in \(b)"
                )
            case .phone:
                (observed, evidence) = (
                    phonesNormalised > 0,
                    "\(counted(phonesNormalised, "member's", "members'")) profile.phone differs only by Path B's "
                        + "normalisation"
                )
            case .pathBOnlyFields:
                let paths = hazard.fieldPaths.filter { wrote(writtenByB, $0) > 0 && wrote(writtenByA, $0) == 0 }
                (observed, evidence) = (
                    paths.count == hazard.fieldPaths.count,
                    "written by Path B only: \(paths.joined(separator: ", "))"
                )
            case .placeholders:
                let skipped = cause(.pathBSkippedPlaceholder)
                (observed, evidence) = (
                    skipped > 0,
                    "\(counted(skipped, "row")) of 9999 members not sent to the webhook; Path A wrote "
                        + "\(counted(placeholdersWrittenByA, "such member"))"
                )
            case .deleteOfMissingDocument:
                (observed, evidence) = (
                    deletesOfMissingDocuments > 0,
                    "\(counted(deletesOfMissingDocuments, "member")): Path A counted the delete as success without a "
                        + "write, the webhook answered 500"
                )
            case .updateSemantics:
                (observed, evidence) = (
                    updatesOfMissingDocuments > 0,
                    "\(counted(updatesOfMissingDocuments, "member")): Path A's update failed on a missing document, "
                        + "Path B's merge created it"
                )
            case .latency:
                (observed, evidence) = (
                    cause(.pathAStranded) > 0, "\(counted(cause(.pathAStranded), "stranded row")) Path A never fetches"
                )
            case .contactEditAlone:
                (observed, evidence) = (
                    cause(.pathBNotSent) > 0,
                    "\(counted(cause(.pathBNotSent), "contact-info or address edit")) never sent to the webhook"
                )
            case .municipalityName:
                (observed, evidence) = (municipalityNames.members > 0, municipalityNames.evidence)
            case .transactions:
                (observed, evidence) = (
                    false,
                    "not observable in a replay: a rolled-back change leaves no queue row to replay; only a live "
                        + "dual-run sees it"
                )
            }
            return .init(hazard: hazard, observed: observed, evidence: evidence)
        }
    }
}
