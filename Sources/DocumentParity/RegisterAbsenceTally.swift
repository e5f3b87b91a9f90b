import LegacySync

/// The parts of the register the snapshot's source lacked (its manifest's `register_absent_parts`),
/// and the differences each explains. A field fed only by an absent table differs for a reason no
/// member's history holds, so the difference carries that cause — "the register has no titles
/// table" — and is counted once under it instead of listing every member.
package struct RegisterAbsenceTally {
    package struct Absence: Sendable {
        package let part: RegisterPart
        package let cause: String
    }

    package let absences: [Absence]
    package private(set) var differences: [RegisterPart: Int] = [:]
    package private(set) var members: [RegisterPart: Int] = [:]

    package init(_ absences: [Absence]) { self.absences = absences }

    /// `part=cause` lines, as the snapshot writer records them.
    package static func fromManifest(_ values: [String: String]) -> [Absence] {
        (values["register_absent_parts"] ?? "").split(separator: "\n").compactMap { line in
            let halves = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard halves.count == 2, let part = RegisterPart(rawValue: halves[0]) else { return nil }
            return Absence(part: part, cause: halves[1])
        }
    }

    /// Marks the differences an absence explains as accepted for that cause. True when the absence
    /// explains every difference of the member: then the member is counted here, not listed.
    package mutating func explain(_ comparison: inout MemberComparison) -> Bool {
        guard !absences.isEmpty, !comparison.differences.isEmpty else { return false }
        var explained: Set<RegisterPart> = []
        var all = true
        for index in comparison.differences.indices {
            let difference = comparison.differences[index]
            let paths = [difference.path] + [difference.pathBName].compactMap { $0 }
            let match = absences.lazy.compactMap { absence in
                absence.part.fieldPaths.lazy.map(FieldPattern.init).first { pattern in
                    paths.contains(where: pattern.covers)
                }
                .map { (absence, $0) }
            }.first
            guard let (absence, pattern) = match else {
                all = false
                continue
            }
            explained.insert(absence.part)
            differences[absence.part, default: 0] += 1
            if !difference.isAccepted {
                comparison.differences[index].acceptedBy = .init(
                    pattern: pattern, document: nil, placeholdersOnly: false, cause: nil, reason: absence.cause, line: 0
                )
            }
        }
        for part in explained { members[part, default: 0] += 1 }
        if comparison.verdict == .different && comparison.differences.allSatisfy(\.isAccepted) {
            comparison.verdict = .accepted
        }
        return all && !explained.isEmpty
    }
}
