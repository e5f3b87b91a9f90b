import CutoverSupport
import Deflate
import Digest
import Foundation

/// Writes a gzip-compressed POSIX ustar archive, streaming, to a file.
///
/// Deterministic on purpose: the same entries in the same order give the same bytes (fixed
/// modification time, owner 0/0, no user or group names, gzip headers without a time stamp, chunk
/// boundaries at fixed offsets), so an archive's checksum is a property of its content. Compressed by
/// libdeflate in 1 MiB chunks on two cores, one gzip member each: readable with `tar xzf`, `gzip` and
/// zlib like any gzip file.
///
/// `finish()` returns the SHA-256 of the archive file: the only check that sees every byte (a flip in
/// the unused bits of deflate's last byte leaves the data and the gzip CRC intact).
public final class TarWriter {
    private let handle: FileHandle
    private let compressor: ChunkedGzipCompressor
    private var pending: [UInt8] = []
    private let modified: Int64
    private var finished = false
    private let digest = Digester(.sha256)

    /// Creates (truncating) `path`. `modified` is the time stamp every entry gets (seconds since 1970).
    public init(path: String, modified: Int64, level: Int32 = 6) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CutoverError(.output, "cannot create \(path)") }
        self.handle = handle
        self.modified = modified
        do { compressor = try ChunkedGzipCompressor(level: level) } catch {
            throw CutoverError(.internalFailure, "\(error)")
        }
    }

    /// Adds a file whose bytes are in memory.
    public func addFile(_ path: String, contents: [UInt8], mode: Int = 0o644) throws {
        try writeHeader(path: path, size: contents.count, mode: mode, type: .regularFile)
        try write(contents)
        try padToBlock(contents.count)
    }

    /// Adds a file streamed from disk (a COPY dump may be hundreds of megabytes).
    public func addFile(_ path: String, fromFile source: String, mode: Int = 0o644) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: source),
            let size = (attributes[.size] as? NSNumber)?.intValue, let input = FileHandle(forReadingAtPath: source)
        else { throw CutoverError(.input, "cannot read \(source)") }
        defer { try? input.close() }
        try writeHeader(path: path, size: size, mode: mode, type: .regularFile)
        var written = 0
        while written < size {
            let chunk = input.readData(ofLength: min(1 << 20, size - written))
            guard !chunk.isEmpty else { throw CutoverError(.input, "\(source) shrank while being archived") }
            try write(Array(chunk))
            written += chunk.count
        }
        try padToBlock(size)
    }

    /// Adds a directory entry (`path` without the trailing slash).
    public func addDirectory(_ path: String, mode: Int = 0o755) throws {
        try writeHeader(path: path + "/", size: 0, mode: mode, type: .directory)
    }

    /// Writes the end-of-archive blocks and the gzip trailer, flushes and closes the file; returns
    /// the archive's SHA-256 (lowercase hex).
    @discardableResult
    public func finish() throws -> String {
        guard !finished else { throw CutoverError(.internalFailure, "archive already finished") }
        finished = true
        try write([UInt8](repeating: 0, count: 1_024))
        var output: [UInt8] = []
        do {
            try compressor.compress(pending, into: &output)
            try compressor.finish(into: &output)
        } catch { throw CutoverError(.internalFailure, "\(error)") }
        pending.removeAll()
        try emit(output)
        try handle.synchronize()
        try handle.close()
        return digest.hexDigest()
    }

    // MARK: - ustar

    private func writeHeader(path: String, size: Int, mode: Int, type: TarEntryType) throws {
        var header = [UInt8](repeating: 0, count: 512)
        let (name, prefix) = try Self.split(path)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(Int64(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)  // uid
        octal(0, at: 116, width: 8)  // gid
        octal(Int64(size), at: 124, width: 12)
        octal(modified, at: 136, width: 12)
        header[156] = type.flag
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put(prefix, at: 345, width: 155)
        // The checksum is computed with its own field as eight spaces.
        for index in 148..<156 { header[index] = 32 }
        let sum = header.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, width: 6)
        header[154] = 0
        header[155] = 32
        try write(header)
    }

    /// ustar keeps up to 100 bytes of name and 155 of prefix, split at a slash.
    static func split(_ path: String) throws -> (name: String, prefix: String) {
        let bytes = path.utf8.count
        if bytes <= 100 { return (path, "") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for cut in 1..<parts.count {
            let prefix = parts[..<cut].joined(separator: "/")
            let name = parts[cut...].joined(separator: "/")
            if prefix.utf8.count <= 155 && name.utf8.count <= 100 && !name.isEmpty { return (name, prefix) }
        }
        throw CutoverError(.output, "archive path too long for ustar (\(bytes) bytes): \(path)")
    }

    private func padToBlock(_ size: Int) throws {
        let remainder = size % 512
        if remainder != 0 { try write([UInt8](repeating: 0, count: 512 - remainder)) }
    }

    private func write(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        guard pending.count >= 1 << 20 else { return }
        var output: [UInt8] = []
        do { try compressor.compress(pending, into: &output) } catch {
            throw CutoverError(.internalFailure, "\(error)")
        }
        pending.removeAll(keepingCapacity: true)
        try emit(output)
    }

    private func emit(_ compressed: [UInt8]) throws {
        digest.update(compressed)
        try handle.write(contentsOf: compressed)
    }
}
