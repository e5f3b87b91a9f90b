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

    /// Fields of every length around the eight-byte steps the scan takes, with tabs, newlines and
    /// backslashes at every offset, NULLs and empty strings: escaped as the COPY writer escapes and
    /// parsed back, each is what it was.
    @Test func everyValueComesBackWhereverItsEscapesFall() throws {
        let alphabet: [String] = ["a", "7", "\t", "\\", "\n", "N", "x", "é", "☃", "\r", " "]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<2_000 {
            let values: [String?] = (0..<(1 + next(6))).map { _ in
                next(8) == 0 ? nil : String((0..<next(40)).map { _ in alphabet[next(alphabet.count)] }.joined())
            }
            var line: [UInt8] = []
            for (offset, value) in values.enumerated() {
                if offset > 0 { line.append(9) }
                guard let value else {
                    line += [92, 78]
                    continue
                }
                PostgresCopyWriter.appendEscaped(value, to: &line)
            }
            line.append(10)
            #expect(try parse(String(decoding: line, as: UTF8.self)) == values)
        }
    }
}
