import Postgres
import Testing

/// The binary COPY encoders on their own: each type's layout, NULL-free edge values, and the texts they
/// refuse so that the load sends text instead (`PostgresBinaryColumnServerTests` holds them to the server).
struct PostgresBinaryColumnTests {
    /// The field `append` writes for `text` (length word included), or nil when it refuses it.
    private func field(_ column: PostgresBinaryColumn, _ text: String) -> [UInt8]? {
        var buffer: [UInt8] = [0xAA]
        var text = text
        let accepted = text.withUTF8 { column.append(UnsafeRawBufferPointer($0), to: &buffer) }
        guard accepted else {
            #expect(buffer == [0xAA], "a refusal leaves the buffer as it was")
            return nil
        }
        return Array(buffer.dropFirst())
    }

    private func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    private func fixed<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        bigEndian(Int32(MemoryLayout<T>.size)) + bigEndian(value)
    }

    @Test func integersOfEachWidthWithSignsAndLimits() {
        #expect(field(.integer, "0") == fixed(Int32(0)))
        #expect(field(.integer, "-42") == fixed(Int32(-42)))
        #expect(field(.integer, "2147483647") == fixed(Int32.max))
        #expect(field(.integer, "-2147483648") == fixed(Int32.min))
        #expect(field(.smallint, "-32768") == fixed(Int16.min))
        #expect(field(.bigint, "9223372036854775807") == fixed(Int64.max))
        #expect(field(.bigint, "-9223372036854775808") == fixed(Int64.min))
        // PostgreSQL's int4in takes these too, and gives the same numbers.
        #expect(field(.integer, "007") == fixed(Int32(7)))
        #expect(field(.integer, "+7") == fixed(Int32(7)))
    }

    @Test func integerTextsLeftToTheServer() {
        for text in ["", "-", "+", " 7", "7 ", "1e3", "7.0", "0x10", "1_000", "2147483648", "-2147483649", "x"] {
            #expect(field(.integer, text) == nil, "\(text)")
        }
        #expect(field(.smallint, "32768") == nil)
        #expect(field(.bigint, "9223372036854775808") == nil)
    }

    @Test func booleansOnlyAsPostgresPrintsThem() {
        #expect(field(.boolean, "t") == [0, 0, 0, 1, 1])
        #expect(field(.boolean, "f") == [0, 0, 0, 1, 0])
        for text in ["true", "false", "1", "0", "T", "yes", ""] { #expect(field(.boolean, text) == nil, "\(text)") }
    }

    @Test func textAndJsonAreTheirBytesAndJsonbAddsItsVersion() {
        let text = "Guðrún Þórsdóttir ☃\ttab\\"
        let bytes = Array(text.utf8)
        #expect(field(.text, text) == bigEndian(Int32(bytes.count)) + bytes)
        #expect(field(.text, "") == bigEndian(Int32(0)))
        #expect(field(.json, "{\"a\": 1}") == bigEndian(Int32(8)) + Array("{\"a\": 1}".utf8))
        #expect(field(.jsonb, "{\"a\": 1}") == bigEndian(Int32(9)) + [1] + Array("{\"a\": 1}".utf8))
    }

    @Test func timestampsAreMicrosecondsSince2000() {
        #expect(field(.timestampWithTimeZone, "2000-01-01 00:00:00+00") == fixed(Int64(0)))
        #expect(field(.timestampWithTimeZone, "1999-12-31 23:59:59.999999+00") == fixed(Int64(-1)))
        #expect(field(.timestampWithTimeZone, "2000-01-01 05:30:00.5+05:30") == fixed(Int64(500_000)))
        #expect(field(.timestampWithTimeZone, "1999-12-31 20:00:00-04") == fixed(Int64(0)))
        #expect(field(.timestampWithTimeZone, "2000-01-01 00:00:01-00:00:01") == fixed(Int64(2_000_000)))
        // 2025-11-24 03:30:07.412 UTC: 9,459 days after 2000-01-01.
        let micros = (Int64(9_459) * 86_400 + 3 * 3_600 + 30 * 60 + 7) * 1_000_000 + 412_000
        #expect(field(.timestampWithTimeZone, "2025-11-24 03:30:07.412+00") == fixed(micros))
        #expect(field(.timestampWithoutTimeZone, "2025-11-24 03:30:07.412") == fixed(micros))
        #expect(field(.timestampWithTimeZone, "infinity") == fixed(Int64.max))
        #expect(field(.timestampWithTimeZone, "-infinity") == fixed(Int64.min))
        #expect(field(.timestampWithoutTimeZone, "infinity") == fixed(Int64.max))
        // The leap day of 2024, and year 1 BC (astronomical year 0, a leap year).
        #expect(field(.timestampWithoutTimeZone, "2024-02-29 00:00:00") == fixed(Int64(8_825) * 86_400_000_000))
        #expect(field(.timestampWithoutTimeZone, "0001-02-29 00:00:00 BC") != nil)
        #expect(field(.timestampWithoutTimeZone, "0001-02-29 00:00:00") == nil)
    }

    @Test func timestampTextsLeftToTheServer() {
        for text in [
            "2025-11-24 03:30:07.412",  // with time zone, but no offset: the session's zone would decide
            "2025-02-29 00:00:00+00", "2025-13-01 00:00:00+00", "2025-11-31 00:00:00+00",
            "2025-11-24 24:00:00+00", "2025-11-24 03:60:00+00", "2025-11-24 03:30:07.4123456+00",
            "2025-11-24T03:30:07+00", "2025-11-24 03:30:07.+00", "11/24/2025 03:30:07+00", "0000-01-01 00:00:00+00",
            "2025-11-24 03:30:07+00 AD", "Infinity", "", "2025-11-24 03:30:07+16",
        ] {
            #expect(field(.timestampWithTimeZone, text) == nil, "\(text)")
        }
        #expect(field(.timestampWithoutTimeZone, "2025-11-24 03:30:07+00") == nil)
    }

    @Test func datesAreDaysSince2000() {
        #expect(field(.date, "2000-01-01") == fixed(Int32(0)))
        #expect(field(.date, "1999-12-31") == fixed(Int32(-1)))
        #expect(field(.date, "2025-11-24") == fixed(Int32(9_459)))
        #expect(field(.date, "1970-01-01") == fixed(Int32(-10_957)))
        #expect(field(.date, "infinity") == fixed(Int32.max))
        #expect(field(.date, "-infinity") == fixed(Int32.min))
        // 0001-01-01 BC is astronomical year 0: one leap year (366 days) before 0001-01-01.
        let firstAD = -730_119
        #expect(field(.date, "0001-01-01") == fixed(Int32(firstAD)))
        #expect(field(.date, "0001-01-01 BC") == fixed(Int32(firstAD - 366)))
        #expect(field(.date, "10000-01-01") == fixed(Int32(2_921_940)))
        for text in ["2025-2-01", "2025-02-30", "25-02-01", "2025-02-01 ", "2025-02-01 BCE"] {
            #expect(field(.date, text) == nil, "\(text)")
        }
    }

    @Test func uuidsAreTheirSixteenBytes() {
        let bytes: [UInt8] = [
            0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x0F, 0xED, 0xCB, 0xA9, 0x87, 0x65, 0x43, 0x21,
        ]
        #expect(field(.uuid, "12345678-9abc-def0-0fed-cba987654321") == bigEndian(Int32(16)) + bytes)
        #expect(field(.uuid, "12345678-9ABC-DEF0-0FED-CBA987654321") == bigEndian(Int32(16)) + bytes)
        for text in ["123456789abcdef00fedcba987654321", "12345678-9abc-def0-0fed-cba98765432g", "{12345678-9abc}"] {
            #expect(field(.uuid, text) == nil, "\(text)")
        }
    }

    @Test func typeOIDsOfTheBuiltInTypesOnly() {
        #expect(PostgresBinaryColumn(typeOID: 23) == .integer)
        #expect(PostgresBinaryColumn(typeOID: 1043) == .text)
        #expect(PostgresBinaryColumn(typeOID: 1184) == .timestampWithTimeZone)
        // numeric, float8, character(n), bytea and arrays go as text.
        for oid: UInt32 in [1700, 701, 1042, 17, 1007, 0] { #expect(PostgresBinaryColumn(typeOID: oid) == nil) }
    }
}
