import Foundation

/// The JSON a command prints or writes, decoded into the test's own `Decodable` types (snake_case keys
/// to camelCase properties): a missing key or a wrong type fails with a decoding error that names the
/// key, where `as!` casts crashed the test process and `as?` turned the problem into a quiet nil.
enum DecodedOutput {
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(text.utf8))
    }

    static func decode<T: Decodable>(_ type: T.Type, fromFile path: String) throws -> T {
        try decode(type, from: String(contentsOfFile: path, encoding: .utf8))
    }

    /// A command's `--json` output: one envelope (README, "JSON output"), its `result` decoded into `T`.
    /// The envelope's own keys are decoded too, so a command that prints another shape fails here.
    static func result<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(Envelope<T>.self, from: text).result
    }

    /// The envelope's `result` as the untyped dictionary some tests pick one key from.
    static func resultObject(_ text: String) throws -> [String: Any]? {
        _ = try decode(Envelope<Ignored>.self, from: text)
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["result"] as? [String: Any]
    }

    /// The envelope of a command that stopped with an error.
    static func error(from text: String) throws -> Failure {
        try decode(Failure.self, from: text)
    }

    struct Envelope<Result: Decodable>: Decodable {
        var format: String
        var formatVersion: Int
        var command: String
        var ok: Bool
        var exitCode: Int32
        var result: Result
    }

    struct Ignored: Decodable {}

    struct Failure: Decodable {
        struct Detail: Decodable {
            var code: String
            var message: String
            var next: String?
        }

        var format: String
        var command: String
        var ok: Bool
        var exitCode: Int32
        var error: Detail
    }
}
