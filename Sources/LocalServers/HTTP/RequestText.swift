import Hummingbird
import HummingbirdCore
import NIOCore

/// A request body read as text for a server run on this machine: bounded, and refused rather than
/// repaired when it is not UTF-8 (a replacement character inside a kennitala would be stored as data).
enum RequestText {
    enum Outcome {
        case text(String)
        /// Longer than the server accepts: answer 413.
        case tooLarge(limit: Int)
        /// Not valid UTF-8: answer 400.
        case notUTF8
    }

    /// Reads at most `limit` bytes; one byte more is `tooLarge`, without reading the rest into memory.
    static func read(_ request: Request, limit: Int) async throws -> Outcome {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            return .tooLarge(limit: limit)
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else { return .notUTF8 }
        return .text(text)
    }
}
