import Digest

extension ReadableFile {
    /// The SHA-256 of a file, streamed a MiB at a time: how the ledger, restore records and retire's
    /// archive gate name the exact bytes of a file they point at.
    public static func sha256(ofFile path: String) throws -> String {
        let handle = try open(path)
        defer { try? handle.close() }
        let digester = Digester(.sha256)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { digester.update($0) }
        }
        return digester.hexDigest()
    }
}
