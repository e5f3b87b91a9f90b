import CutoverSupport
import Foundation
import Zlib

/// Reads a gzip-compressed ustar archive entry by entry, checking every header's checksum and the
/// gzip trailer (CRC-32 and length): a flipped byte or a truncation is an error naming where.
public struct TarReader {
    public struct Entry: Sendable, Equatable {
        public let path: String
        public let size: Int
        /// `0` file, `5` directory.
        public let type: TarEntryType
        public let mode: Int
        public let modified: Int64
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// What the reader meets, in order: an entry's start, its bytes in chunks, its end.
    public enum Event {
        case begin(Entry)
        case data(ArraySlice<UInt8>)
        case end(Entry)
    }

    private enum State {
        case header
        case content(Entry, remaining: Int)
        case padding(Int)
        case ended
    }

    /// Calls `body` for each entry with its whole contents (for small archives and tests).
    public func forEachEntry(_ body: (Entry, [UInt8]) throws -> Void) throws {
        var contents: [UInt8] = []
        try read { event in
            switch event {
            case .begin: contents.removeAll(keepingCapacity: true)
            case .data(let chunk): contents.append(contentsOf: chunk)
            case .end(let entry): try body(entry, contents)
            }
        }
    }

    /// Streams the archive: memory stays at about one megabyte whatever the file sizes. `progress` gets the
    /// archive file's bytes read so far after each megabyte: of the file's size, how far the reading is.
    public func read(progress: (_ bytesRead: Int) -> Void = { _ in }, _ body: (Event) throws -> Void) throws {
        let input = try ReadableFile.open(path)
        defer { try? input.close() }
        let decompressor: GzipDecompressor
        do { decompressor = try GzipDecompressor() } catch { throw CutoverError(.internalFailure, "zlib: \(error)") }
        func fail(_ reason: String) -> CutoverError { CutoverError(.input, "\(path): \(reason)") }
        var buffer: [UInt8] = []
        var consumed = 0  // bytes of the tar stream before `buffer`
        var state = State.header
        // No checksum covers the gzip header's time, flags and OS bytes; cutover writes them fixed,
        // so anything else there is damage.
        let head = Array(input.readData(ofLength: 10))
        guard Self.gzipHeaders.contains(head) else {
            throw fail("the gzip header is not the one cutover writes (damaged or foreign)")
        }
        try input.seek(toOffset: 0)

        var bytesRead = 0
        while case let chunk = input.readData(ofLength: 1 << 20), !chunk.isEmpty {
            do { try decompressor.decompress(Array(chunk), into: &buffer) } catch {
                throw fail("corrupt gzip data (\(error))")
            }
            var offset = 0
            parsing: while offset < buffer.count {
                switch state {
                case .ended:
                    // Anything after the end marker must be zero padding.
                    guard buffer[offset...].allSatisfy({ $0 == 0 }) else {
                        throw fail("data after the end-of-archive marker")
                    }
                    offset = buffer.count
                case .header:
                    guard buffer.count - offset >= 512 else { break parsing }
                    let header = Array(buffer[offset..<offset + 512])
                    let position = consumed + offset
                    offset += 512
                    if header.allSatisfy({ $0 == 0 }) {
                        state = .ended
                        continue
                    }
                    let entry = try Self.parseHeader(header, archive: path, at: position)
                    try body(.begin(entry))
                    if entry.size == 0 {
                        try body(.end(entry))
                    } else {
                        state = .content(entry, remaining: entry.size)
                    }
                case .content(let entry, let remaining):
                    let take = min(remaining, buffer.count - offset)
                    try body(.data(buffer[offset..<offset + take]))
                    offset += take
                    if take == remaining {
                        try body(.end(entry))
                        let remainder = entry.size % 512
                        state = remainder == 0 ? .header : .padding(512 - remainder)
                    } else {
                        state = .content(entry, remaining: remaining - take)
                    }
                case .padding(let count):
                    let take = min(count, buffer.count - offset)
                    offset += take
                    state = take == count ? .header : .padding(count - take)
                }
            }
            buffer.removeFirst(offset)
            consumed += offset
            bytesRead += chunk.count
            progress(bytesRead)
        }
        do { try decompressor.finish() } catch { throw fail("the gzip stream is truncated or corrupt (\(error))") }
        switch state {
        case .ended: return
        case .content(let entry, _): throw fail("ends inside \(entry.path)")
        default: throw fail("has no end-of-archive marker (truncated)")
        }
    }

    /// The gzip headers cutover writes, no name and no time stamp: libdeflate's at levels 2–7 (XFL 0,
    /// OS 255 "unknown"), and zlib's (OS 3, Unix) in archives written before the switch to libdeflate.
    static let gzipHeaders: [[UInt8]] = [
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff],
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
    ]

    static func parseHeader(_ header: [UInt8], archive: String, at position: Int) throws -> Entry {
        func text(_ offset: Int, _ width: Int) -> String {
            String(decoding: header[offset..<offset + width].prefix { $0 != 0 }, as: UTF8.self)
        }
        func octal(_ offset: Int, _ width: Int) -> Int64? {
            Int64(text(offset, width).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        var copy = header
        for index in 148..<156 { copy[index] = 32 }
        guard let stored = octal(148, 8), stored == Int64(copy.reduce(0) { $0 + Int($1) }) else {
            throw CutoverError(.input, "\(archive): header checksum mismatch at byte \(position) (corrupted)")
        }
        guard let size = octal(124, 12), let mode = octal(100, 8), let modified = octal(136, 12) else {
            throw CutoverError(.input, "\(archive): unreadable header at byte \(position)")
        }
        let name = text(0, 100)
        let prefix = text(345, 155)
        let type = TarEntryType(flag: header[156])
        var path = prefix.isEmpty ? name : "\(prefix)/\(name)"
        if type == .directory && path.hasSuffix("/") { path.removeLast() }
        return Entry(path: path, size: Int(size), type: type, mode: Int(mode), modified: modified)
    }
}
