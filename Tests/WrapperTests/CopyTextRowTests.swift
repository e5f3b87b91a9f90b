import Postgres
import Testing

struct CopyTextRowTests {
    func parse(_ line: String) throws -> [String?] {
        let row = CopyTextRow()
        // A row is valid only while its line is: read it inside the scope.
        return try Array(line.utf8).withUnsafeBytes { bytes in
            try row.parse(bytes)
            return row.strings
        }
    }

    @Test func splitsFieldsAndUnescapes() throws {
        #expect(try parse("1\tabc\t\\N\n") == ["1", "abc", nil])
        #expect(try parse("a\\tb\tc\\nd\t\\\\N\n") == ["a\tb", "c\nd", "\\N"])
        #expect(try parse("\t\n") == ["", ""])
        #expect(try parse("\\101\\x42\\r\n") == ["AB\r"])
        #expect(try parse("x\\Ny\n") == ["xNy"])
        #expect(try parse("\\N\t\\N\n") == [nil, nil])
        #expect(try parse("a\\\\\tb\n") == ["a\\", "b"])
    }
}
