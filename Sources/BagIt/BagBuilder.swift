import CutoverSupport
import Digest
import Foundation

/// Lays out a BagIt bag (RFC 8493) in a directory: payload files under `data/`, each hashed with
/// SHA-256 and SHA-512 while it is written; then the tag files that describe them.
package final class BagBuilder {
    package let root: String
    package private(set) var payload: [(path: String, size: Int, sha256: String, sha512: String)] = []

    package init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
    }

    /// A payload file written through `body`, which may call `write` as often as it likes.
    package func addPayload(_ relative: String, _ body: (_ write: (String) throws -> Void) throws -> Void) throws {
        let file = try PayloadFile(root: root, relative: relative)
        try body { text in
            var text = text
            try text.withUTF8 { try file.write(UnsafeRawBufferPointer($0)) }
        }
        payload.append(try file.finish())
    }

    /// A payload file written as bytes (the queue's rows: no String per row).
    package func addPayloadBytes(
        _ relative: String, _ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        let file = try PayloadFile(root: root, relative: relative)
        try body(file.write)
        payload.append(try file.finish())
    }

    /// A payload file whose content is not written here: it was hashed and compressed as it was made
    /// (`snapshot --archive`), and the archive takes its compressed form from elsewhere.
    package func addCompressedPayload(_ relative: String, size: Int, sha256: String, sha512: String) {
        payload.append(("data/\(relative)", size, sha256, sha512))
    }

    /// One payload file being written: buffered, hashed with both algorithms on the way to disk.
    private final class PayloadFile {
        let path: String
        private let handle: FileHandle
        private let sha256 = Digester(.sha256)
        private let sha512 = Digester(.sha512)
        private var size = 0
        private var buffer: [UInt8] = []

        init(root: String, relative: String) throws {
            path = "data/\(relative)"
            let full = "\(root)/\(path)"
            // Through the registry's gate: a signal's cleanup must not see the staging re-created under it.
            self.handle = try CleanupRegistry.shared.creating {
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: full, contents: nil),
                    let handle = FileHandle(forWritingAtPath: full)
                else {
                    throw CutoverError(.output, "cannot write \(full)")
                }
                return handle
            }
        }

        deinit { try? handle.close() }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            buffer.append(contentsOf: bytes)
            size += bytes.count
            if buffer.count >= 1 << 20 { try flush() }
        }

        func finish() throws -> (path: String, size: Int, sha256: String, sha512: String) {
            try flush()
            try handle.close()
            return (path, size, sha256.hexDigest(), sha512.hexDigest())
        }

        private func flush() throws {
            sha256.update(buffer)
            sha512.update(buffer)
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Writes bagit.txt, bag-info.txt, both payload manifests and the tag manifest; returns every
    /// file of the bag, sorted, relative to the root.
    package func finish(info: [(String, String)]) throws -> [String] {
        // Through a FileHandle, not `String.write(toFile:)`, which flushes each file to disk: the bag is
        // staging, packed into an archive that is flushed once. Five flushes cost little alone, but
        // `snapshot --archive` packs while the snapshot file is being flushed, and each small flush
        // then waited 14-40 ms for the file system's journal.
        func write(_ name: String, _ text: String) throws {
            let path = "\(root)/\(name)"
            let handle = try CleanupRegistry.shared.creating {
                guard FileManager.default.createFile(atPath: path, contents: nil),
                    let handle = FileHandle(forWritingAtPath: path)
                else { throw CutoverError(.output, "cannot write \(path)") }
                return handle
            }
            do {
                try handle.write(contentsOf: Data(text.utf8))
                try handle.close()
            } catch { throw CutoverError(.output, "cannot write \(path): \(error.localizedDescription)") }
        }
        let sorted = payload.sorted { $0.path < $1.path }
        try write("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        let oxum = "\(sorted.reduce(0) { $0 + $1.size }).\(sorted.count)"
        try write("bag-info.txt", (info + [("Payload-Oxum", oxum)]).map { "\($0.0): \($0.1)\n" }.joined())
        try write("manifest-sha256.txt", sorted.map { "\($0.sha256)  \($0.path)\n" }.joined())
        try write("manifest-sha512.txt", sorted.map { "\($0.sha512)  \($0.path)\n" }.joined())
        var tags = ""
        for name in ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
            tags += "\(Digester.hexDigest(of: bytes))  \(name)\n"
        }
        try write("tagmanifest-sha256.txt", tags)
        return ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"]
            + sorted.map(\.path)
    }
}
