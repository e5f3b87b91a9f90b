import CLibCrypto

extension Digester {
    /// HMAC-SHA-256 of `message` under `key`, through libcrypto's one-shot `HMAC()`: a keyed digest
    /// that, unlike a plain hash, cannot be recomputed by someone who lacks the key.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(
                    EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                    messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count, &output,
                    &length)
            }
        }
        // HMAC with a built-in digest fails only when libcrypto itself is broken.
        precondition(result != nil && length == 32, "libcrypto: HMAC failed")
        return output
    }
}
