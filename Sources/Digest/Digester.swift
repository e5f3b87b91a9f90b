import CLibCrypto

/// Incremental SHA-256 / SHA-512 through OpenSSL's libcrypto (already linked by libpq).
/// Owns its `EVP_MD_CTX` and frees it on deinit.
public final class Digester {
    public enum Algorithm: String, Sendable {
        case sha256
        case sha512
    }

    public let algorithm: Algorithm
    private let context: OpaquePointer

    public init(_ algorithm: Algorithm = .sha256) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto: out of memory") }
        self.context = context
        let method = algorithm == .sha256 ? EVP_sha256() : EVP_sha512()
        // Initialising a built-in digest fails only when libcrypto itself is broken.
        precondition(EVP_DigestInit_ex(context, method, nil) == 1, "libcrypto: digest init failed")
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(EVP_DigestUpdate(context, base, bytes.count) == 1, "libcrypto: digest update failed")
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes(update) }

    public func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The digest; the digester cannot be used afterwards.
    public func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &output, &length) == 1, "libcrypto: digest final failed")
        return Array(output[0..<Int(length)])
    }

    /// The digest as lowercase hex.
    public func hexDigest() -> String { Self.hex(finalize()) }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One-shot hex digest.
    public static func hexDigest(of bytes: [UInt8], _ algorithm: Algorithm = .sha256) -> String {
        let digester = Digester(algorithm)
        digester.update(bytes)
        return digester.hexDigest()
    }
}
