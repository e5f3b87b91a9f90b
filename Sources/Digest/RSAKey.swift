import CLibCrypto

/// An RSA key for RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures, as Google's service-account
/// JWT flow needs them. Owns its `EVP_PKEY` and frees it on deinit.
public final class RSAKey {
    private let key: OpaquePointer

    private init(key: OpaquePointer) { self.key = key }

    deinit { EVP_PKEY_free(key) }

    public struct KeyError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads a PEM private key (PKCS#8 `BEGIN PRIVATE KEY`, or `BEGIN RSA PRIVATE KEY`).
    public convenience init(privateKeyPEM pem: String) throws {
        guard let key = Self.readPEM(pem, { PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            throw KeyError(description: "not a readable PEM private key: \(Self.lastError())")
        }
        self.init(key: key)
    }

    /// Reads a PEM public key (`BEGIN PUBLIC KEY`).
    public convenience init(publicKeyPEM pem: String) throws {
        guard let key = Self.readPEM(pem, { PEM_read_bio_PUBKEY($0, nil, nil, nil) }) else {
            throw KeyError(description: "not a readable PEM public key: \(Self.lastError())")
        }
        self.init(key: key)
    }

    /// A fresh key pair (for tests and dry runs).
    public static func generate(bits: UInt32 = 2048) throws -> RSAKey {
        guard let key = clibcrypto_rsa_generate(bits) else { throw KeyError(description: "RSA key generation failed") }
        return RSAKey(key: key)
    }

    public var privateKeyPEM: String {
        Self.writePEM { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    public var publicKeyPEM: String {
        Self.writePEM { PEM_write_bio_PUBKEY($0, key) }
    }

    /// The RS256 signature of `message`.
    public func signSHA256(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw KeyError(description: "out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw KeyError(description: "cannot sign with this key: \(Self.lastError())")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw KeyError(description: "signing failed: \(Self.lastError())")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw KeyError(description: "signing failed: \(Self.lastError())")
        }
        return Array(signature.prefix(length))
    }

    /// Checks an RS256 signature.
    public func verifySHA256(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }

    private static func readPEM(_ pem: String, _ read: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        let bytes = Array(pem.utf8)
        return bytes.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    private static func writePEM(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return "" }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
