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
}
