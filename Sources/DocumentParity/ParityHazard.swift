/// The known ways the two paths disagree (LEGACY.md §6), each with how a replay observes it. The
/// report lists every one with its evidence, so a reader sees which were found and which cannot be
/// seen offline.
public enum ParityHazard: String, Sendable, CaseIterable {
    case kennitala, gender, housing, privacyFlags = "reachable-groupable", dateJoined = "date-joined", address, phone
    case pathBOnlyFields = "path-b-only-fields", placeholders = "9999-placeholders", deleteOfMissingDocument =
        "delete-of-missing-document"
    case updateSemantics = "update-semantics", latency, contactEditAlone = "contact-edit-alone", transactions
    case municipalityName = "municipality-name"

    public var concern: String {
        switch self {
        case .kennitala: "kennitala: top-level kennitala (A) vs profile.kennitala (B)"
        case .gender: "gender: string (A) vs int (B) at profile.gender"
        case .housing: "housing: profile.housingSituation string, updates only (A) vs profile.housing_situation int (B)"
        case .privacyFlags: "reachable/groupable: privacy.* on create only (A) vs profile.* always (B)"
        case .dateJoined: "date joined: membership.joined ISO string (A) vs membership.date_joined timestamp (B)"
        case .address: "address: profile.address from simpleaddress (A) vs profile.addresses from newlocaladdress (B)"
        case .phone: "phone: as stored (A) vs normalised to 7 digits (B)"
        case .pathBOnlyFields: "unions, titles, roles, foreign phone, facebook: never written (A) vs written (B)"
        case .placeholders: "9999 members: synced (A) vs skipped (B)"
        case .deleteOfMissingDocument: "delete of a missing document: success, no write (A) vs HTTP 500 (B)"
        case .updateSemantics:
            "update: field-path patch failing on a missing document (A) vs merge of the whole document (B)"
        case .latency: "latency: up to 24 h and stranded rows never (A) vs seconds (B)"
        case .contactEditAlone: "a contact-info or address edit alone: delivered (A) vs never sent (B)"
        case .transactions: "transactions: rows commit with the change (A) vs POST before commit (B)"
        case .municipalityName:
            "city: as typed in the simple address (A, \"Reykjavík\") vs the official name of the postal code's first "
                + "municipality (B, \"Reykjavíkurborg\")"
        }
    }

    /// The field paths (Path A's and Path B's) that show this hazard in a comparison.
    public var fieldPaths: [String] {
        switch self {
        case .kennitala: ["kennitala", "profile.kennitala"]
        case .gender: ["profile.gender"]
        case .housing: ["profile.housingSituation", "profile.housing_situation"]
        case .privacyFlags: ["privacy.reachable", "privacy.groupable", "profile.reachable", "profile.groupable"]
        case .dateJoined: ["membership.joined", "membership.date_joined"]
        case .address: ["profile.address", "profile.addresses"]
        case .phone: ["profile.phone"]
        case .pathBOnlyFields:
            ["membership.unions", "membership.titles", "django_roles", "profile.foreign_phone", "profile.facebook"]
        default: []
        }
    }

    /// The hazard a difference at this path belongs to, if any: the explanation of a shape difference.
    public static func forPath(_ path: String) -> ParityHazard? {
        patterns.first { $0.pattern.covers(path) }?.hazard
    }

    private static let patterns: [(pattern: FieldPattern, hazard: ParityHazard)] =
        allCases.flatMap { hazard in hazard.fieldPaths.map { (FieldPattern($0), hazard) } }
}
