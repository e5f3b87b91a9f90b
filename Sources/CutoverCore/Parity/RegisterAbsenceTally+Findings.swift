import DocumentParity
/// The absent parts of the register as rows of the parity report's known differences.
extension RegisterAbsenceTally {
    /// One known-difference row per absent part, with the differences it explains.
    var findings: [ParityReport.HazardFinding] {
        absences.map { absence in
            let count = differences[absence.part] ?? 0
            let people = members[absence.part] ?? 0
            return .init(
                id: "register-absent-\(absence.part.rawValue)", concern: absence.cause, observed: true,
                evidence:
                    "\(absence.part.consequence); \(count) difference\(count == 1 ? "" : "s") in \(people) "
                    + "member\(people == 1 ? "" : "s") follow from it"
            )
        }
    }
}
