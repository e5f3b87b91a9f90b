import CutoverSupport

/// The member as Path B's Django signal serialises it into the webhook's `data` (LEGACY.md §5):
/// nested contact info, the current registry address, unions, titles and foreign addresses.
extension RegisterMember {
    public var pathBDataJSON: JSONValue {
        var data: [String: JSONValue] = [
            "id": .integer(id),
            "ssn": .string(ssn),
            "name": .string(name),
            "birthday": JSONValue(birthday),
            "gender": .integer(Int64(gender)),
            "housing_situation": .integer(Int64(housingSituation)),
            "reachable": .bool(reachable),
            "groupable": .bool(groupable),
            "date_joined": JSONValue(dateJoined?.iso8601),
            "unions": .array(unions.map { ["name": .string($0)] }),
            "titles": .array(titles.map { ["name": .string($0)] }),
            "foreign_addresses": .array(
                foreignAddresses.map {
                    [
                        "pk": .integer($0.id), "country": $0.countryID.map { .integer(Int64($0)) } ?? .null,
                        "current": .bool($0.current),
                        "municipality": .string($0.municipality), "postal_code": .string($0.postalCode),
                        "address": .string($0.address),
                    ]
                }),
        ]
        data["contact_info"] =
            contact.map {
                [
                    "email": .string($0.email), "phone": .string($0.phone), "foreign_phone": .string($0.foreignPhone),
                    "facebook": .string($0.facebook),
                ]
            } ?? .null
        // Django serialises the registry's columns with their types: `map_address.number` and
        // `map_postalcode.code` are ints, so the payload carries `101`, not `"101"`.
        data["local_address"] =
            localAddress.map {
                [
                    "street": .string($0.street), "number": $0.number.map { .integer(Int64($0)) } ?? .null,
                    "letter": .string($0.letter), "postal_code": $0.postalCode.map { .integer(Int64($0)) } ?? .null,
                    "city": .string($0.city),
                ]
            } ?? .null
        return .object(data)
    }
}
