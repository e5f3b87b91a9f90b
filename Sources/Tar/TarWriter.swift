import CutoverSupport
import Deflate
import Digest
import Foundation

/// Writes a gzip-compressed POSIX ustar archive, streaming, to a file.
///
/// Deterministic on purpose: the same entries in the same order give the same bytes (fixed
/// modification time, owner 0/0, no user or group names, gzip headers without a time stamp, chunk
/// boundaries at fixed offsets of the stream, or of a file's content where it starts its own
/// members), so an archive's checksum is a property of its content. Compressed by
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
    /// libdeflate's level 5. Members made elsewhere for `addCompressedFile` must use it too.
    ///
    /// Measured on the 1,000,000-row queue's COPY text (132.8 MB, one core): level 6 took 1.28 s of CPU
    /// for 26.78 MB, level 5 1.00 s for 27.46 MB (0.969× pg_dump's 28.35 MB; `gzip -6` writes 27.4 MB),
    /// level 4 0.55 s for 28.1 MB, too close to pg_dump's size. Compression is the largest share of
    /// `snapshot --archive`'s CPU, which shares two cores with the read and the server.
    public static let level: Int32 = 5

    /// Creates (truncating) `path`. `modified` is the time stamp every entry gets (seconds since 1970).
    public init(path: String, modified: Int64, level: Int32 = TarWriter.level) throws {
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
    ///
    /// With `ownMembers` the content starts and ends a run of gzip members of its own, chunks counted
    /// from its first byte: the members are then the ones a fresh `ChunkedGzipCompressor`, flushed at
    /// the end, makes of the content alone, and `addCompressedFile` with those members writes the
    /// same archive bytes.
    public func addFile(_ path: String, fromFile source: String, mode: Int = 0o644, ownMembers: Bool = false) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: source),
            let size = (attributes[.size] as? NSNumber)?.intValue, let input = FileHandle(forReadingAtPath: source)
        else { throw CutoverError(.input, "cannot read \(source)") }
        defer { try? input.close() }
        try writeHeader(path: path, size: size, mode: mode, type: .regularFile)
        if ownMembers { try endMember() }
        var written = 0
        while written < size {
            let chunk = input.readData(ofLength: min(1 << 20, size - written))
            guard !chunk.isEmpty else { throw CutoverError(.input, "\(source) shrank while being archived") }
            try write(Array(chunk))
            written += chunk.count
        }
        if ownMembers { try endMember() }
        try padToBlock(size)
    }

    /// Adds a file of `size` bytes whose content is already compressed: `members` holds the gzip
    /// members a `ChunkedGzipCompressor` at `TarWriter.level` with the default chunk size made of it,
    /// flushed at the end. They are copied into the archive as they are, which gives the bytes
    /// `addFile(_:fromFile:mode:ownMembers: true)` gives for the uncompressed content.
    public func addCompressedFile(_ path: String, size: Int, members: String, mode: Int = 0o644) throws {
        guard let input = FileHandle(forReadingAtPath: members) else {
            throw CutoverError(.input, "cannot read \(members)")
        }
        defer { try? input.close() }
        try writeHeader(path: path, size: size, mode: mode, type: .regularFile)
        // Everything before the content compressed and written out first: the spliced members follow it.
        var output: [UInt8] = []
        do {
            try compressor.compress(pending, into: &output)
            try compressor.flush(into: &output)
        } catch { throw CutoverError(.internalFailure, "\(error)") }
        pending.removeAll(keepingCapacity: true)
        try emit(output)
        while true {
            let chunk = input.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            try emit(Array(chunk))
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

    /// Compresses what is pending and ends the gzip member there: the next byte starts a new one.
    private func endMember() throws {
        var output: [UInt8] = []
        do {
            try compressor.compress(pending, into: &output)
            try compressor.endChunk(into: &output)
        } catch { throw CutoverError(.internalFailure, "\(error)") }
        pending.removeAll(keepingCapacity: true)
        try emit(output)
    }

    private func emit(_ compressed: [UInt8]) throws {
        digest.update(compressed)
        try handle.write(contentsOf: compressed)
    }
}
