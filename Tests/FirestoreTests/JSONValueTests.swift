import CutoverCore
import CutoverSupport
import Testing

struct JSONValueTests {
    @Test func parsesAndWritesCanonically() throws {
        let value = try JSONValue(
            parsing: #" { "b": [1, 2.5, -3e2, true, null], "a": "x\"y\\z\n\u00e9\ud83d\ude00" } "#)
        #expect(value["a"] == .string("x\"y\\z\né😀"))
        #expect(value["b"] == [1, .double(2.5), .double(-300), true, nil])
        #expect(value.canonicalText == #"{"a":"x\"y\\z\né😀","b":[1,2.5,-300.0,true,null]}"#)
        #expect(try JSONValue(parsing: value.canonicalText) == value)
        #expect(try JSONValue(parsing: "9223372036854775807") == .integer(Int64.max))
        #expect(try JSONValue(parsing: "{}") == .object([:]))
        // Every escape, at the start, between plain runs and at the end of a string.
        let escapes = JSONValue.string("\"a\tb\rc\u{01}d\u{1f}\\")
        #expect(escapes.canonicalText == #""\"a\tb\rc\u0001d\u001f\\""#)
        #expect(try JSONValue(parsing: escapes.canonicalText) == escapes)
        #expect(JSONValue.string("").canonicalText == #""""#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"", "\"a\nb\"", "nul", "{} {}", "\"\\ud800\""])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func prettyTextIsStableAndSorted() {
        let value: JSONValue = ["z": 1, "a": ["k": [1, 2]], "m": [:]]
        #expect(
            value.prettyText
                == "{\n  \"a\": {\n    \"k\": [\n      1,\n      2\n    ]\n  },\n  \"m\": {},\n  \"z\": 1\n}\n")
    }
}
