import CutoverSupport
import Foundation

/// The REST JSON encoding of values (proto3 JSON mapping, FIRESTORE.md §1), both ways.
extension FirestoreValue {
    /// `{"integerValue": "42"}`, `{"mapValue": {"fields": {…}}}`, `{"arrayValue": {}}`, ….
    public var restJSON: JSONValue {
        switch self {
        case .null: return ["nullValue": .null]
        case .boolean(let flag): return ["booleanValue": .bool(flag)]
        case .integer(let number): return ["integerValue": .string(String(number))]
        case .double(let number):
            if number.isNaN { return ["doubleValue": "NaN"] }
            if number.isInfinite { return ["doubleValue": .string(number > 0 ? "Infinity" : "-Infinity")] }
            return ["doubleValue": .double(number)]
        case .timestamp(let time): return ["timestampValue": .string(time.iso8601)]
        case .string(let text): return ["stringValue": .string(text)]
        case .bytes(let bytes): return ["bytesValue": .string(Data(bytes).base64EncodedString())]
        case .reference(let name): return ["referenceValue": .string(name)]
        case .geoPoint(let latitude, let longitude):
            // proto3 JSON omits fields at their default (0).
            var point: [String: JSONValue] = [:]
            if latitude != 0 { point["latitude"] = .double(latitude) }
            if longitude != 0 { point["longitude"] = .double(longitude) }
            return ["geoPointValue": .object(point)]
        case .array(let values):
            return ["arrayValue": values.isEmpty ? [:] : ["values": .array(values.map(\.restJSON))]]
        case .map(let fields):
            return ["mapValue": fields.isEmpty ? [:] : ["fields": Self.restFields(fields)]]
        }
    }

    /// `{"name": {"stringValue": …}, …}`.
    public static func restFields(_ fields: [String: FirestoreValue]) -> JSONValue {
        .object(fields.mapValues(\.restJSON))
    }

    /// Decodes a REST value; `context` (document and field) goes into every error message.
    public init(restJSON json: JSONValue, context: String) throws {
        guard case .object(let object) = json, object.count == 1, let (kind, payload) = object.first else {
            throw FirestoreError(.malformedResponse, "\(context): a value must be an object with exactly one kind key")
        }
        func bad(_ what: String) -> FirestoreError {
            FirestoreError(.malformedResponse, "\(context): \(kind) \(what)")
        }
        switch kind {
        case "nullValue":
            guard payload == .null || payload == .string("NULL_VALUE") else { throw bad("must be null") }
            self = .null
        case "booleanValue":
            guard case .bool(let flag) = payload else { throw bad("must be true or false") }
            self = .boolean(flag)
        case "integerValue":
            switch payload {
            case .string(let text):
                guard let number = Int64(text) else { throw bad("'\(text)' is not a 64-bit integer") }
                self = .integer(number)
            case .integer(let number): self = .integer(number)
            default: throw bad("must be a string or number")
            }
        case "doubleValue":
            switch payload {
            case .double(let number): self = .double(number)
            case .integer(let number): self = .double(Double(number))
            case .string("NaN"): self = .double(.nan)
            case .string("Infinity"): self = .double(.infinity)
            case .string("-Infinity"): self = .double(-.infinity)
            default: throw bad("must be a number, NaN, Infinity or -Infinity")
            }
        case "timestampValue":
            guard case .string(let text) = payload, let time = Timestamp(parsing: text), text.contains("T") else {
                throw bad("must be an RFC 3339 time")
            }
            self = .timestamp(time)
        case "stringValue":
            guard case .string(let text) = payload else { throw bad("must be a string") }
            self = .string(text)
        case "bytesValue":
            guard case .string(let text) = payload, let data = Self.decodeBase64(text) else {
                throw bad("must be base64")
            }
            self = .bytes(Array(data))
        case "referenceValue":
            guard case .string(let name) = payload else { throw bad("must be a string") }
            self = .reference(name)
        case "geoPointValue":
            guard case .object(let point) = payload else { throw bad("must be an object") }
            func coordinate(_ key: String) throws -> Double {
                switch point[key] {
                case nil: return 0
                case .double(let value): return value
                case .integer(let value): return Double(value)
                default: throw bad("\(key) must be a number")
                }
            }
            self = .geoPoint(latitude: try coordinate("latitude"), longitude: try coordinate("longitude"))
        case "arrayValue":
            guard case .object(let array) = payload else { throw bad("must be an object") }
            switch array["values"] {
            case nil: self = .array([])
            case .array(let values)?:
                self = .array(
                    try values.enumerated().map { try FirestoreValue(restJSON: $1, context: "\(context)[\($0)]") })
            default: throw bad("values must be an array")
            }
        case "mapValue":
            guard case .object(let map) = payload else { throw bad("must be an object") }
            switch map["fields"] {
            case nil: self = .map([:])
            case let fields?: self = .map(try Self.decodeFields(fields, context: context))
            }
        default:
            throw FirestoreError(.malformedResponse, "\(context): unknown value kind '\(kind)'")
        }
    }

    /// Decodes a `fields` object.
    public static func decodeFields(_ json: JSONValue, context: String) throws -> [String: FirestoreValue] {
        guard case .object(let fields) = json else {
            throw FirestoreError(.malformedResponse, "\(context): fields must be an object")
        }
        var result: [String: FirestoreValue] = [:]
        for (key, value) in fields {
            result[key] = try FirestoreValue(restJSON: value, context: context.isEmpty ? key : "\(context).\(key)")
        }
        return result
    }

    /// Standard or URL-safe base64, padding optional.
    static func decodeBase64(_ text: String) -> Data? {
        var normalised = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalised.count % 4 != 0 { normalised += "=" }
        return Data(base64Encoded: normalised)
    }
}
