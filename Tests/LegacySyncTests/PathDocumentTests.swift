import CutoverCore
import CutoverSupport
import Firestore
import LegacySync
import Testing

/// The create transforms of both paths, rule by rule against LEGACY.md §4 and §5.
struct PathDocumentTests {
    static let member: JSONValue = [
        "ssn": "0101702389", "name": "Guðrún Jónsdóttir", "birthday": "1970-01-01", "gender": 2, "housing_situation": 3,
        "reachable": true, "groupable": false, "date_joined": "2021-03-04T12:00:00+00:00", "email": "g@example.is",
        "phone": "+354 581 2345", "street_address": "Laugavegur 1", "postal_code": "101", "city": "Reykjavík",
    ]
    let time = Timestamp(parsing: "2025-11-24T03:30:02Z")!

    @Test func pathACreateMapsAsTheNightlyRunDid() throws {
        let fields = try PathACreateDocument.fields(memberJSON: Self.member, serverTime: time)
        let document = FirestoreDocument(path: "members/0101702389", fields: fields)
        #expect(document.value(at: try FieldPath(parsing: "kennitala")) == "0101702389")
        #expect(document.value(at: try FieldPath(parsing: "profile.gender")) == "female")
        #expect(document.value(at: try FieldPath(parsing: "profile.phone")) == "+354 581 2345")  // not normalised
        #expect(document.value(at: try FieldPath(parsing: "profile.address.postalcode")) == "101")
        #expect(document.value(at: try FieldPath(parsing: "profile.housingSituation")) == nil)  // updates only
        #expect(document.value(at: try FieldPath(parsing: "membership.joined")) == "2021-03-04T12:00:00+00:00")
        #expect(document.value(at: try FieldPath(parsing: "privacy.reachable")) == true)
        #expect(document.value(at: try FieldPath(parsing: "metadata.source")) == "django")
        #expect(document.value(at: try FieldPath(parsing: "metadata.last_sync")) == .timestamp(time))
    }

    @Test func pathACreateOmitsEmptyAddressesAndFailsOnGenderOutOfRange() throws {
        guard case .object(var member) = Self.member else { return }
        member["street_address"] = ""
        let fields = try PathACreateDocument.fields(memberJSON: .object(member), serverTime: time)
        #expect(fields["profile"]?.mapValue?["address"] == nil)
        member["gender"] = 7
        #expect(throws: PathAEnums.OutOfRange.self) {
            try PathACreateDocument.fields(memberJSON: .object(member), serverTime: time)
        }
        // Updates were lenient: out of range became "unknown".
        #expect(PathAEnums.lenientName(9, in: PathAEnums.genders) == "unknown")
        #expect(PathAEnums.lenientName("other", in: PathAEnums.genders) == "other")
    }

    @Test(arguments: [
        ("581-2345", "5812345"), ("+354 581 2345", "5812345"), ("3545812345", "5812345"), ("5812345", "5812345"),
        ("+45 1234 5678", "+45 1234 5678"), ("", ""), ("12", "12"),
    ])
    func pathBNormalisesPhones(_ input: String, _ expected: String) {
        #expect(PathBMemberDocument.normalisedPhone(input) == expected)
    }

    @Test func pathBWritesItsOwnShape() throws {
        let data: JSONValue = [
            "id": 12, "ssn": "010170-2389", "name": "Guðrún", "birthday": "1970-01-01", "gender": 2,
            "housing_situation": 3,
            "reachable": true, "groupable": false, "date_joined": "2021-03-04T12:00:00Z",
            "contact_info": ["email": "g@example.is", "phone": "581-2345", "foreign_phone": "", "facebook": ""],
            "local_address": [
                "street": "Laugavegur", "number": 1, "letter": "a", "postal_code": "101", "city": "Reykjavík",
            ],
            "unions": [["name": "Efling"]], "titles": [],
            "foreign_addresses": [
                [
                    "pk": 4, "country": 45, "current": false, "municipality": "København", "postal_code": "1000",
                    "address": "Nørregade 1",
                ]
            ],
        ]
        let document = FirestoreDocument(
            path: "members/0101702389",
            fields: PathBMemberDocument.fields(data: data, serverTime: time, functionClock: time))
        #expect(document.value(at: try FieldPath(parsing: "profile.kennitala")) == "0101702389")
        #expect(document.value(at: try FieldPath(parsing: "profile.gender")) == 2)  // int, unmapped
        #expect(document.value(at: try FieldPath(parsing: "profile.housing_situation")) == 3)
        #expect(document.value(at: try FieldPath(parsing: "profile.phone")) == "5812345")
        #expect(
            document.value(at: try FieldPath(parsing: "membership.date_joined"))
                == .timestamp(Timestamp(parsing: "2021-03-04T12:00:00Z")!))
        #expect(document.value(at: try FieldPath(parsing: "membership.unions")) == ["Efling"])
        guard case .array(let addresses)? = document.value(at: try FieldPath(parsing: "profile.addresses")) else {
            Issue.record("no addresses")
            return
        }
        #expect(addresses.count == 2)
        #expect(addresses[0].mapValue?["country"] == "IS")
        #expect(addresses[0].mapValue?["is_default"] == true)
        #expect(addresses[1].mapValue?["country"] == "DK")
        #expect(document.value(at: try FieldPath(parsing: "kennitala")) == nil)
    }
}
