import CutoverSupport

/// The member as Path A's Django endpoint `/api/sync/member/<ssn>/` served it (LEGACY.md §4
/// `create`): flat JSON, address from the simple address, contact values as stored.
extension RegisterMember {
    public var pathAMemberJSON: JSONValue {
        [
            "ssn": .string(ssn),
            "name": .string(name),
            "birthday": JSONValue(birthday),
            "gender": .integer(Int64(gender)),
            "housing_situation": .integer(Int64(housingSituation)),
            "reachable": .bool(reachable),
            "groupable": .bool(groupable),
            "date_joined": JSONValue(dateJoined?.pythonISOFormat),
            "email": .string(contact?.email ?? ""),
            "phone": .string(contact?.phone ?? ""),
            "street_address": .string(simpleAddress?.street ?? ""),
            "postal_code": .string(simpleAddress?.postalCode ?? ""),
            "city": .string(simpleAddress?.city ?? ""),
        ]
    }
}
