/// The one error type of the libdeflate wrapper. libdeflate's compressor reports failure only as
/// "no compressor" or "0 bytes written", so the message says which call failed.
public struct DeflateError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "libdeflate: \(message)" }
}
