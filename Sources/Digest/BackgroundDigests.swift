import Dispatch

/// SHA-256 and SHA-512 of a stream, computed on a serial queue of their own so the thread producing
/// the stream does not wait for them. At most `backlog` pieces wait to be hashed: memory stays
/// bounded when the hashing falls behind.
///
/// `@unchecked Sendable`: the digesters are touched only on `queue`, one piece after another.
public final class BackgroundDigests: @unchecked Sendable {
    private let sha256 = Digester(.sha256)
    private let sha512 = Digester(.sha512)
    private let queue = DispatchQueue(label: "BackgroundDigests")
    private let room: DispatchSemaphore

    public init(backlog: Int = 4) {
        room = DispatchSemaphore(value: backlog)
    }

    /// Hashes `bytes` after every piece given before it.
    public func update(_ bytes: [UInt8]) {
        room.wait()
        queue.async {
            self.sha256.update(bytes)
            self.sha512.update(bytes)
            self.room.signal()
        }
    }

    /// Waits for every piece, then returns both digests (lowercase hex). Call once, after the last update.
    public func finish() -> (sha256: String, sha512: String) {
        queue.sync { (sha256.hexDigest(), sha512.hexDigest()) }
    }
}
