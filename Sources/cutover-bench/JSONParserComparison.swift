import CutoverSupport
import Foundation
import SQLite

/// `JSONValue(parsing:)` against Foundation's `JSONDecoder` and `JSONSerialization`, in process, on the
/// JSON texts a parity replay and a verify parse, read out of a snapshot file taken with `--firestore`:
/// the `members` documents' `fields` (REST JSON), the register's Path A and Path B serialisations, and
/// the `fields_changed` of the rows not yet synced. Every parser builds the same `JSONValue` tree (checked:
/// a parser whose trees differ from ours is reported, not silently timed). Runs are interleaved
/// (ours, JSONDecoder, JSONSerialization, ours, …); the median of each is printed.
///
/// Foundation's parsers take `Data`: the texts are turned into `Data` once, outside the timing, which
/// favours Foundation (the snapshot hands out text, so switching would add that copy per value).
struct JSONParserComparison {
    struct Input {
        let name: String
        let texts: [String]
        let data: [Data]
        var bytes: Int { data.reduce(0) { $0 + $1.count } }
    }

    let snapshot: String
    let runs: Int

    static let queries: [(name: String, sql: String)] = [
        ("member documents' fields", "SELECT fields FROM firestore_documents WHERE collection = 'members'"),
        ("register path_a", "SELECT path_a FROM register_members"),
        ("register path_b", "SELECT path_b FROM register_members"),
        ("unsynced rows' fields_changed", "SELECT fields_changed FROM queue_rows WHERE sync_status IS NOT 'synced'"),
    ]

    func run() throws {
        let database = try SQLiteDatabase(path: snapshot, mode: .readOnly)
        var inputs: [Input] = []
        for query in Self.queries {
            let statement = try database.prepare(query.sql)
            var texts: [String] = []
            while try statement.step() { if let text = statement.text(0) { texts.append(text) } }
            inputs.append(Input(name: query.name, texts: texts, data: texts.map { Data($0.utf8) }))
        }
        print("JSON parsers on \(snapshot), \(runs) interleaved runs each, medians (one core):")
        let parsers: [(name: String, parse: (Input) throws -> [JSONValue])] = [
            ("JSONValue(parsing:)", { try $0.texts.map { try JSONValue(parsing: $0) } }),
            (
                "JSONDecoder",
                { input in
                    let decoder = JSONDecoder()
                    return try input.data.map { try decoder.decode(JSONValue.self, from: $0) }
                }
            ),
            (
                "JSONSerialization",
                { input in
                    try input.data.map {
                        try JSONValue(foundation: JSONSerialization.jsonObject(with: $0, options: .fragmentsAllowed))
                    }
                }
            ),
        ]
        var totals = Array(repeating: 0.0, count: parsers.count)
        for input in inputs {
            let reference = try parsers[0].parse(input)
            for parser in parsers.dropFirst() where try parser.parse(input) != reference {
                print("  \(parser.name) builds different trees on \(input.name)")
            }
            var seconds = Array(repeating: [Double](), count: parsers.count)
            for _ in 0..<runs {
                for (index, parser) in parsers.enumerated() {
                    let started = DispatchTime.now()
                    let trees = try parser.parse(input)
                    let nanoseconds = DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds
                    seconds[index].append(Double(nanoseconds) / 1e9)
                    precondition(trees.count == input.texts.count)
                }
            }
            print(
                String(
                    format: "  %@: %d texts, %.1f MB", input.name as NSString, input.texts.count,
                    Double(input.bytes) / 1e6))
            for (index, parser) in parsers.enumerated() {
                let median = CommandResult.median(seconds[index])
                totals[index] += median
                print(
                    String(
                        format: "    %-20@ median %7.3f s (runs %.3f–%.3f s), %6.1f MB/s, %.2f× ours",
                        parser.name as NSString, median, seconds[index].min() ?? 0, seconds[index].max() ?? 0,
                        Double(input.bytes) / 1e6 / median, median / CommandResult.median(seconds[0])))
            }
        }
        print("  all inputs:")
        for (index, parser) in parsers.enumerated() {
            print(
                String(
                    format: "    %-20@ %7.3f s, %.2f× ours", parser.name as NSString, totals[index],
                    totals[index] / totals[0]))
        }
    }
}

/// Decoding through `singleValueContainer`, trying each JSON kind in turn (the commonest first), so that
/// `JSONDecoder` builds the same tree as `JSONValue(parsing:)`: integers that fit in Int64 without fraction
/// or exponent stay integers.
extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }
}

extension JSONValue {
    /// A `JSONSerialization` result as a `JSONValue`. Booleans and numbers both arrive as `NSNumber`;
    /// its type encoding tells them apart (`c` for a Bool, `d`/`f` for a double).
    init(foundation object: Any) throws {
        switch object {
        case is NSNull: self = .null
        case let text as String: self = .string(text)
        case let number as NSNumber:
            switch UnicodeScalar(UInt8(bitPattern: number.objCType.pointee)) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .double(number.doubleValue)
            default: self = .integer(number.int64Value)
            }
        case let array as [Any]: self = .array(try array.map { try JSONValue(foundation: $0) })
        case let object as [String: Any]: self = .object(try object.mapValues { try JSONValue(foundation: $0) })
        default: throw BenchError("JSONSerialization returned \(type(of: object))")
        }
    }
}
