import Postgres
import TestSupport
import Testing

/// The binary COPY encoders held to the server: for values PostgreSQL prints (in several time zones), each
/// field is byte for byte what the type's own send function returns; and rows written through
/// `copyInBinary`, NULLs included, read back as the texts they were written from.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct PostgresBinaryCopyTests {
    /// A column type, its send function, and SQL giving values of it (column `v`).
    private static let cases: [(PostgresBinaryColumn, String, String)] = [
        (.smallint, "int2send", "SELECT unnest(ARRAY[-32768, -1, 0, 1, 32767]::int2[]) v"),
        (.integer, "int4send", "SELECT unnest(ARRAY[-2147483648, -7, 0, 7, 2147483647]::int4[]) v"),
        (
            .bigint, "int8send",
            "SELECT unnest(ARRAY[-9223372036854775808, 9223372036854775807]::int8[]) v UNION ALL "
                + "SELECT (random() * 1e18 - 5e17)::int8 FROM generate_series(1, 500)"
        ),
        (.boolean, "boolsend", "SELECT unnest(ARRAY[true, false]) v"),
        (.text, "textsend", "SELECT unnest(ARRAY['', 'plain', 'Þórður Guðrúnarson ☃', E'tab\\tnew\\nline\\\\']) v"),
        (.text, "varcharsend", "SELECT unnest(ARRAY['', 'ssn', 'Ísland'])::varchar(20) v"),
        (.json, "json_send", "SELECT unnest(ARRAY['{\"b\":[1, 2.50]}', '\"ð\"', 'null'])::json v"),
        (
            .jsonb, "jsonb_send",
            "SELECT unnest(ARRAY['{\"b\":[1, 2.50, null], \"a\": \"ð\"}', '{}', '[]', '\"x\"', '7'])::jsonb v"
        ),
        (
            .timestampWithTimeZone, "timestamptz_send",
            "SELECT unnest(ARRAY['infinity', '-infinity', '2000-01-01 00:00:00+00', '1999-12-31 23:59:59.999999+00', "
                + "'4713-11-24 00:00:00+00 BC', '0044-03-15 12:00:00+00 BC', '294276-12-31 23:59:59.999999+00', "
                + "'1900-01-01 00:00:00+00', '10000-01-01 00:00:00+00']::timestamptz[]) v UNION ALL "
                + "SELECT to_timestamp(random() * 1e10 - 5e9) FROM generate_series(1, 2000)"
        ),
        (
            .timestampWithoutTimeZone, "timestamp_send",
            "SELECT unnest(ARRAY['infinity', '-infinity', '2000-01-01 00:00:00', '0001-02-29 00:00:00 BC', "
                + "'2024-02-29 23:59:59.5']::timestamp[]) v UNION ALL "
                + "SELECT to_timestamp(random() * 1e10 - 5e9)::timestamp FROM generate_series(1, 2000)"
        ),
        (
            .date, "date_send",
            "SELECT unnest(ARRAY['infinity', '-infinity', '2000-01-01', '4713-11-24 BC', '0001-01-01 BC', "
                + "'5874897-12-31']::date[]) v UNION ALL "
                + "SELECT '2000-01-01'::date + (random() * 1e6 - 5e5)::int FROM generate_series(1, 2000)"
        ),
        (.uuid, "uuid_send", "SELECT gen_random_uuid() v FROM generate_series(1, 200)"),
    ]

    @Test(arguments: ["UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam"])
    func eachFieldIsWhatTheTypesSendFunctionReturns(_ zone: String) throws {
        let connection = try PostgresConnection(TestPostgres.url!)
        try connection.execute("SET TIME ZONE '\(zone)'; SET DateStyle = 'ISO, YMD'; SELECT setseed(0.21)")
        var compared = 0
        for (column, send, values) in Self.cases {
            // The type's output function, as COPY prints it: a cast of a boolean to text spells it `true`.
            let printed = column == .boolean ? "boolout(v)::text" : "v::text"
            let rows = try connection.query("SELECT \(printed), encode(\(send)(v), 'hex') FROM (\(values)) s").rows
            for row in rows {
                let text = row[0]!
                var buffer: [UInt8] = []
                var bytes = text
                let accepted = bytes.withUTF8 { column.append(UnsafeRawBufferPointer($0), to: &buffer) }
                #expect(accepted, "\(send) of \(text)")
                #expect(Array(buffer.dropFirst(4)).hex == row[1]!, "\(send) of \(text)")
                #expect(Array(buffer.prefix(4)) == withUnsafeBytes(of: Int32(buffer.count - 4).bigEndian) { Array($0) })
                compared += 1
            }
        }
        #expect(compared > 6_000)
    }

    @Test func rowsWrittenInBinaryReadBackAsTheirTexts() throws {
        try TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            try connection.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'")
            try connection.execute(
                "CREATE TABLE t (id int8, a int2, b int4, c bool, d varchar(10), e text, f json, g jsonb, "
                    + "h timestamptz, i timestamp, j date, k uuid)")
            let columns: [PostgresBinaryColumn] = [
                .bigint, .smallint, .integer, .boolean, .text, .text, .json, .jsonb, .timestampWithTimeZone,
                .timestampWithoutTimeZone, .date, .uuid,
            ]
            let rows: [[String?]] = [
                [
                    "1", "-3", "-2147483648", "t", "Ísland", "Þ ☃\t\\", "{\"a\": [1, 2.50]}", "{\"a\": \"ð\"}",
                    "2025-11-24 03:30:07.412+00", "0044-03-15 12:00:00 BC", "infinity",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                ],
                ["2", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil],
                ["3", "0", "0", "f", "", "", "null", "[]", "-infinity", "2000-01-01 00:00:00", "1999-12-31", nil],
            ]
            try connection.copyInBinary("COPY t FROM STDIN (FORMAT binary)", columns: columns) { writer in
                for row in rows {
                    try writer.writeRow(fieldCount: row.count) { index, write in
                        guard var value = row[index] else { return write(nil) }
                        value.withUTF8 { write(UnsafeRawBufferPointer($0)) }
                    }
                }
            }
            var read: [[String?]] = []
            try connection.copyOut("COPY (SELECT * FROM t ORDER BY id) TO STDOUT") { read.append($0.strings) }
            #expect(read == rows)
        }
    }

    /// A text the encoder does not take aborts the COPY before its row is sent, names the column and never
    /// the value, and leaves nothing in the table.
    @Test func aRefusedValueAbortsTheCopyWithoutNamingIt() throws {
        try TestPostgres.withFreshDatabase { url in
            let connection = try PostgresConnection(url)
            try connection.execute("CREATE TABLE t (id int4, n int4)")
            let error = #expect(throws: PostgresError.self) {
                try connection.copyInBinary("COPY t FROM STDIN (FORMAT binary)", columns: [.integer, .integer]) {
                    writer in
                    for row in [["1", "2"], ["2", " 31337"]] {
                        try writer.writeRow(fieldCount: 2) { index, write in
                            var value = row[index]
                            value.withUTF8 { write(UnsafeRawBufferPointer($0)) }
                        }
                    }
                }
            }
            #expect(error?.code == .valueNotBinary)
            #expect(error?.message.contains("column 2 (integer)") == true)
            #expect(error?.description.contains("31337") == false)
            #expect(try connection.query("SELECT count(*) FROM t").value(0, 0) == "0")
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate var hex: String {
        map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
