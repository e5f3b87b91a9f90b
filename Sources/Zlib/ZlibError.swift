/// The one error type of the zlib wrapper: zlib's return code and message.
public struct ZlibError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "zlib: \(message) [code \(code)]" }
}
