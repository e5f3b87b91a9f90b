import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Testing

/// Path B's member as the register reader builds it from LEGACY.md §3's own tables — the map
/// registry, multi-table-inheritance addresses and link models — on the DDL `demo seed` creates,
/// with extra columns of types the tool does not know.
struct RegisterPathBTests {
    /// A register holding one member with every address case, one with no usable local address,
    /// and one address row whose member was deleted.
    func withRegister(dropping dropped: [String] = [], _ body: (any LegacyDatabase) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("register-\(UUID().uuidString).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteLegacyDatabase(path: path, create: true)
        try database.execute(DemoSchema.registerDDL(engine: .sqlite))
        try database.execute(
            """
            ALTER TABLE map_address ADD COLUMN geometry some_gis_type;
            ALTER TABLE membership_comrade ADD COLUMN deleted_at datetime NULL;
            INSERT INTO map_country VALUES (109, 'IS', 'Ísland'), (45, 'DK', 'Danmörk'), (46, 'SE', 'Svíþjóð');
            INSERT INTO map_municipality VALUES (1, 'Reykjavíkurborg'), (2, 'Mosfellsbær');
            INSERT INTO map_postalcode VALUES (1, 110);
            -- The postal code's first row names the city; the street says Mosfellsbær (the original's
            -- SQL reports' rule), and so does the second row.
            INSERT INTO map_municipalitypostalcode VALUES (9, 2, 1), (5, 1, 1);
            INSERT INTO map_street VALUES (1, 'Laugavegur', 1, 2), (2, 'Hamraborg', 1, 2);
            INSERT INTO map_address VALUES (1, 1, 106, 'a', '', '', X'00FF'), (2, 2, 7, '', '', '', NULL);
            INSERT INTO membership_comrade VALUES
                (1, '0101302989', 'Anna Jónsdóttir', '1930-01-01', 2, 1, 1, 0, NULL, NULL),
                (2, '0202302969', 'Jón Jónsson', NULL, 1, 0, 1, 1, NULL, '2025-01-01 00:00:00');
            INSERT INTO membership_newcomradeaddress VALUES
                (10, 109, 0, NULL, NULL), (11, 109, 1, NULL, NULL), (12, 109, 1, NULL, NULL), (13, 109, 1, NULL, NULL),
                (14, 45, 1, NULL, NULL), (15, 46, 0, NULL, NULL), (20, 109, 1, NULL, NULL), (21, 109, 0, NULL, NULL),
                (30, 109, 1, NULL, NULL);
            -- Member 1: an old row, an unlocated current row, then two current located rows.
            INSERT INTO membership_newlocaladdress VALUES (10, 1, 2, 0), (11, 1, NULL, 1), (12, 1, 1, 0), (13, 1, 2, 0),
                (20, 2, NULL, 1), (21, 2, 1, 0), (30, NULL, 1, 0);
            INSERT INTO membership_newforeignaddress VALUES (14, 1, 'Nørregade 1', '1165', 'København'),
                (15, 1, 'Storgatan 2', '41103', 'Göteborg');
            INSERT INTO membership_union VALUES (1, 'Efling', 'EFL', ''), (2, 'VR', 'VR', '');
            INSERT INTO membership_unionmembership VALUES (1, 1, 2), (2, 1, 1);
            INSERT INTO membership_title VALUES (1, 'Gjaldkeri');
            INSERT INTO membership_comradetitle VALUES (1, 1, 1);
            """)
        for table in dropped { try database.execute("DROP TABLE \(table)") }
        try body(database)
    }

    func members(_ database: any LegacyDatabase) throws -> [RegisterMember] {
        var members: [RegisterMember] = []
        try database.withConsistentRead { _ in
            try RegisterReader(database: database, schema: "public").scan { members.append($0) }
        }
        return members
    }

    func document(_ member: RegisterMember) -> FirestoreDocument {
        FirestoreDocument(
            path: "members/\(member.ssn)",
            fields: PathBMemberDocument.fields(data: member.pathBDataJSON, serverTime: .now, functionClock: .now))
    }

    @Test func theLocalAddressIsTheFirstCurrentRowWithAnAddressAndItsCityThePostalCodesFirstMunicipality() throws {
        try withRegister { database in
            let found = try members(database)
            try #require(found.count == 2)
            #expect(
                found[0].localAddress
                    == .init(street: "Laugavegur", number: 106, letter: "a", postalCode: 110, city: "Reykjavíkurborg"))
            // Only an unlocated current row and an old one: no local address at all.
            #expect(found[1].localAddress == nil)
            let local = found[0].pathBDataJSON["local_address"]
            #expect(local?["postal_code"] == .integer(110), "Django sends map_postalcode.code as an int")
            #expect(local?["number"] == .integer(106))
            let addresses = document(found[0]).value(at: FieldPath(["profile", "addresses"]))
            guard case .array(let entries)? = addresses else { Issue.record("no addresses"); return }
            #expect(
                entries.first
                    == .map([
                        "street": .string("Laugavegur"), "number": .string("106"), "letter": .string("a"),
                        "postal_code": .string("110"), "city": .string("Reykjavíkurborg"),
                        "country": .string("IS"), "is_default": .boolean(true),
                    ]))
            #expect(document(found[1]).value(at: FieldPath(["profile", "addresses"])) == .array([]))
        }
    }

    @Test func everyForeignAddressCurrentOrNotWithTheParentsCountryAndCurrent() throws {
        try withRegister { database in
            let member = try #require(try members(database).first)
            #expect(
                member.foreignAddresses == [
                    .init(
                        id: 14, countryID: 45, municipality: "København", postalCode: "1165", address: "Nørregade 1",
                        current: true),
                    .init(
                        id: 15, countryID: 46, municipality: "Göteborg", postalCode: "41103", address: "Storgatan 2",
                        current: false),
                ])
            guard case .array(let entries)? = document(member).value(at: FieldPath(["profile", "addresses"])) else {
                Issue.record("no addresses")
                return
            }
            #expect(entries.count == 3)
            // A local address with a street exists, so no foreign address is the default.
            #expect(entries.dropFirst().map { $0.mapValue?["country"] } == [.string("DK"), .string("SE")])
            #expect(entries.dropFirst().allSatisfy { $0.mapValue?["is_default"] == .boolean(false) })
        }
    }

    @Test func unionsAndTitlesComeThroughTheirLinkRowsInLinkOrder() throws {
        try withRegister { database in
            let member = try #require(try members(database).first)
            #expect(member.unions == ["VR", "Efling"])
            #expect(member.titles == ["Gjaldkeri"])
            #expect(member.pathBDataJSON["titles"] == .array([["name": "Gjaldkeri"]]))
            #expect(
                document(member).value(at: FieldPath(["membership", "unions"]))
                    == .array([.string("VR"), .string("Efling")]))
        }
    }

    @Test func anAbsentTableLeavesItsPartEmptyAndIsNamed() throws {
        try withRegister(dropping: ["membership_comradetitle", "map_municipalitypostalcode"]) { database in
            let layout = try RegisterSchema.inspect(database, schema: "public")
            #expect(layout.absentTables == ["map_municipalitypostalcode", "membership_comradetitle"])
            #expect(layout.absences.map(\.cause).contains { $0.hasPrefix("the register has no titles table") })
            let member = try #require(try members(database).first)
            #expect(member.titles.isEmpty)
            #expect(member.unions == ["VR", "Efling"])
            #expect(member.localAddress?.city == "", "the city's tables are gone; the address is still read")
            #expect(member.localAddress?.postalCode == 110)
        }
    }

    @Test func aMissingColumnIsNamedWithItsTableAndTheRequiredTableIsRequired() throws {
        try withRegister(dropping: ["membership_contactinfo"]) { database in
            try database.execute(
                "CREATE TABLE membership_contactinfo (id integer PRIMARY KEY, comrade_id integer, email text)")
            let layout = try RegisterSchema.inspect(database, schema: "public")
            let contact = try #require(layout.absences.first { $0.part == .contact })
            #expect(
                contact.missingColumns == [
                    "membership_contactinfo.phone", "membership_contactinfo.foreign_phone",
                    "membership_contactinfo.facebook",
                ])
            #expect(contact.message.contains("membership_contactinfo.phone"))
            try database.execute("DROP TABLE membership_comrade")
            #expect(throws: CutoverError.self) { try RegisterSchema.inspect(database, schema: "public") }
        }
    }
}
