import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import Testing

struct FirestoreValueTests {
    let database = DatabaseName(project: "p")

    func roundTrip(_ value: FirestoreValue) throws -> FirestoreValue {
        // Through text, as it crosses the wire.
        let text = value.restJSON.canonicalText
        return try FirestoreValue(restJSON: try JSONValue(parsing: text), context: "test")
    }

    @Test(arguments: [
        FirestoreValue.null, .boolean(false), .boolean(true), .integer(0), .integer(Int64.min), .integer(Int64.max),
        .double(0), .double(-2.5), .double(.infinity), .double(-.infinity), .double(1e300),
        .double(.leastNonzeroMagnitude),
        .timestamp(Timestamp(parsing: "0001-01-01T00:00:00Z")!),
        .timestamp(Timestamp(parsing: "9999-12-31T23:59:59.999999Z")!),
        .string(""), .string("ísland ☃ \"quoted\"\n"), .bytes([]), .bytes([0, 255, 1, 254]),
        .reference("projects/p/databases/(default)/documents/c/d"), .geoPoint(latitude: 0, longitude: 0),
        .geoPoint(latitude: -90, longitude: 180), .array([]), .map([:]), .array([1, "a", ["k": [2.5]]]),
        .map(["nested": .map(["empty": .map([:]), "list": .array([])])]),
    ])
    func everyKindRoundTrips(_ value: FirestoreValue) throws {
        #expect(try roundTrip(value) == value)
    }

    @Test func nanRoundTripsAndEqualsItself() throws {
        let value = try roundTrip(.double(.nan))
        guard case .double(let number) = value else { Issue.record("not a double"); return }
        #expect(number.isNaN)
        #expect(FirestoreValue.double(.nan).restJSON.canonicalText == #"{"doubleValue":"NaN"}"#)
    }

    @Test func wireFormsFollowProto3JSON() throws {
        #expect(FirestoreValue.integer(42).restJSON.canonicalText == #"{"integerValue":"42"}"#)
        #expect(FirestoreValue.map([:]).restJSON.canonicalText == #"{"mapValue":{}}"#)
        #expect(FirestoreValue.array([]).restJSON.canonicalText == #"{"arrayValue":{}}"#)
        #expect(
            FirestoreValue.geoPoint(latitude: 0, longitude: 11.5).restJSON.canonicalText
                == #"{"geoPointValue":{"longitude":11.5}}"#)
        #expect(FirestoreValue.bytes([0xfb, 0xff]).restJSON.canonicalText == #"{"bytesValue":"+/8="}"#)
        // Input accepts numbers for integers, integral numbers for doubles, NULL_VALUE, URL-safe unpadded base64.
        #expect(try FirestoreValue(restJSON: ["integerValue": 7], context: "") == .integer(7))
        #expect(try FirestoreValue(restJSON: ["doubleValue": 3], context: "") == .double(3))
        #expect(try FirestoreValue(restJSON: ["nullValue": "NULL_VALUE"], context: "") == .null)
        #expect(try FirestoreValue(restJSON: ["bytesValue": "-_8"], context: "") == .bytes([0xfb, 0xff]))
    }

    @Test func timestampsKeepMicrosecondsRoundingNineDigitsDown() throws {
        let value = try FirestoreValue(restJSON: ["timestampValue": "2024-05-01T12:00:00.123456789Z"], context: "")
        #expect(value == .timestamp(Timestamp(parsing: "2024-05-01T12:00:00.123456Z")!))
        let offset = try FirestoreValue(restJSON: ["timestampValue": "2024-05-01T14:00:03.5+02:00"], context: "")
        #expect(offset.restJSON.canonicalText == #"{"timestampValue":"2024-05-01T12:00:03.500Z"}"#)
    }

    @Test func unknownKindsAndBadPayloadsNameTheDocumentAndField() {
        let document: JSONValue = [
            "name": "projects/p/databases/(default)/documents/members/0101702389",
            "fields": ["profile": ["mapValue": ["fields": ["age": ["fooValue": 1]]]]],
        ]
        let error = #expect(throws: FirestoreError.self) { try FirestoreDocument(restJSON: document, in: database) }
        #expect(error?.message == "document members/0101702389 field.profile.age: unknown value kind 'fooValue'")
        let bad = #expect(throws: FirestoreError.self) {
            try FirestoreValue(restJSON: ["integerValue": "12x"], context: "members/x field.n")
        }
        #expect(bad?.message.contains("'12x' is not a 64-bit integer") == true)
    }

    @Test func fieldPathsQuoteNonIdentifiers() throws {
        #expect(FieldPath(["_0", "1", "+2"]).description == "_0.`1`.`+2`")
        #expect(FieldPath(["a.b", "x`y", "c\\d"]).description == "`a.b`.`x\\`y`.`c\\\\d`")
        #expect(try FieldPath(parsing: "profile.address.street").segments == ["profile", "address", "street"])
        #expect(try FieldPath(parsing: "_0.`1`.`+2`").segments == ["_0", "1", "+2"])
        #expect(try FieldPath(parsing: "`a.b`.`x\\`y`").segments == ["a.b", "x`y"])
        for bad in ["", "a..b", "`open", "a`b`", "`a`b"] {
            #expect(throws: FirestoreError.self) { try FieldPath(parsing: bad) }
        }
    }

    @Test func crossTypeOrderingFollowsFirestore() {
        let ascending: [FirestoreValue] = [
            .null, false, true, .double(.nan), .double(-.infinity), -5, .double(-4.5), 0, .double(0.5), 1,
            .double(.infinity), .timestamp(Timestamp(seconds: 0)), "", "a", "b", "é", .bytes([0]), .bytes([1]),
            .reference("projects/p/databases/(default)/documents/a/b"),
            .reference("projects/p/databases/(default)/documents/a/b/c/d"),
            .geoPoint(latitude: 1, longitude: 1), .array([]), .array([1]), .map([:]), .map(["a": 1]),
        ]
        for (index, value) in ascending.enumerated() where index > 0 {
            #expect(FirestoreValue.compare(ascending[index - 1], value) < 0, "\(ascending[index - 1]) < \(value)")
        }
        #expect(FirestoreValue.compare(1, .double(1.0)) == 0)
        #expect(FirestoreValue.compare(.integer(Int64.max), .double(9.3e18)) < 0)
    }

    @Test func limitsAreEnforcedWithClearErrors() {
        let half = FirestoreValue.string(String(repeating: "x", count: 600_000))
        let big = FirestoreDocument(path: "members/x", fields: ["a": half, "b": half])
        let tooBig = #expect(throws: FirestoreError.self) { try big.validateLimits() }
        #expect(tooBig?.document == "members/x")
        #expect(tooBig?.message.contains("over the 1 MiB") == true)
        var deep: FirestoreValue = 1
        for _ in 0..<21 { deep = .map(["d": deep]) }
        let tooDeep = #expect(throws: FirestoreError.self) {
            try FirestoreDocument(path: "c/d", fields: ["top": deep]).validateLimits()
        }
        #expect(tooDeep?.message.contains("deeper than 20") == true)
        #expect(throws: FirestoreError.self) {
            try FirestoreDocument(path: "c/d", fields: ["a": .array([.array([1])])]).validateLimits()
        }
        #expect(throws: FirestoreError.self) {
            try FirestoreDocument(path: "c/d", fields: ["__x__": 1]).validateLimits()
        }
        #expect(throws: FirestoreError.self) { try DocumentPath.validateDocument("members") }
        #expect(throws: FirestoreError.self) { try DocumentPath.validateDocument("members/..") }
        #expect(throws: Never.self) {
            try FirestoreDocument(path: "c/d", fields: ["ok": .string(String(repeating: "x", count: 1_000_000))])
                .validateLimits()
        }
    }
}
