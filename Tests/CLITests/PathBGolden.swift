import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync

/// The golden cases of Path B's transform, `Tests/Fixtures/path-b-golden.json`: one per rule of
/// LEGACY.md §5, written by hand from the spec so that a reader can check each against it line by line.
/// In its documents `{"$timestamp": T}` is a Firestore timestamp, and `"$serverTime"` /
/// `"$functionClock"` stand for the times the write was made with (they differ between runs).
struct PathBGolden {
    struct Case {
        var rule: String
        /// The kennitala the delivery names (possibly hyphenated).
        var kennitala: String
        var data: JSONValue
        var document: JSONValue

        /// The document id: the kennitala with hyphens removed.
        var documentID: String { Kennitala.normalised(kennitala) }

        /// The expected fields with the write's times put in.
        func fields(serverTime: Timestamp, functionClock: Timestamp) -> [String: FirestoreValue] {
            PathBGolden.firestore(document, serverTime: serverTime, functionClock: functionClock).mapValue ?? [:]
        }
    }

    static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/path-b-golden.json").path
    }

    static func load() throws -> [Case] {
        let json = try JSONValue(parsing: String(contentsOfFile: path, encoding: .utf8))
        guard case .array(let cases)? = json["cases"] else { return [] }
        return cases.map {
            Case(
                rule: $0["rule"]?.stringValue ?? "", kennitala: $0["kennitala"]?.stringValue ?? "",
                data: $0["data"] ?? .null,
                document: $0["document"] ?? .null)
        }
    }

    /// The fixture's plain JSON as Firestore values: JSON's ints stay ints and strings stay strings,
    /// which is exactly the distinction the address rules are about.
    static func firestore(_ json: JSONValue, serverTime: Timestamp, functionClock: Timestamp) -> FirestoreValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .boolean(flag)
        case .integer(let number): return .integer(number)
        case .double(let number): return .double(number)
        case .string("$serverTime"): return .timestamp(serverTime)
        case .string("$functionClock"): return .timestamp(functionClock)
        case .string(let text): return .string(text)
        case .array(let values):
            return .array(values.map { firestore($0, serverTime: serverTime, functionClock: functionClock) })
        case .object(let fields):
            if fields.count == 1, let time = fields["$timestamp"]?.stringValue.flatMap(Timestamp.init(parsing:)) {
                return .timestamp(time)
            }
            return .map(fields.mapValues { firestore($0, serverTime: serverTime, functionClock: functionClock) })
        }
    }
}
