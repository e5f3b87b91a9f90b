import Deflate
import Testing

/// `endChunk` and `flush`: what lets `snapshot --archive` compress the queue's rows apart from the
/// archive and splice the members in, with the archive's bytes unchanged.
struct ChunkedGzipSplicingTests {
    let head: [UInt8] = Array((0..<700).map { "header \($0)\n" }.joined().utf8)
    let content: [UInt8] = Array(
        (0..<3_000).map { "\($0)\t010170-\($0 % 97)\tmember_updated\t{\"n\": \($0)}\n" }.joined().utf8)
    let tail: [UInt8] = Array((0..<50).map { "tail \($0)\n" }.joined().utf8)

    func compressor() throws -> ChunkedGzipCompressor {
        try ChunkedGzipCompressor(level: 6, chunkSize: ChunkedGzipSplicingTests.chunkSize)
    }

    static let chunkSize = 4_096

    @Test func contentFramedByEndChunkIsCompressedAsOnItsOwn() throws {
        // The whole stream through one compressor, the content framed by two endChunk calls.
        let whole = try compressor()
        var framed: [UInt8] = []
        try whole.compress(head, into: &framed)
        try whole.endChunk(into: &framed)
        // Fed in odd pieces: chunk boundaries are counted from the content's first byte regardless.
        var offset = 0
        while offset < content.count {
            let end = min(offset + 1_234, content.count)
            try whole.compress(Array(content[offset..<end]), into: &framed)
            offset = end
        }
        try whole.endChunk(into: &framed)
        try whole.compress(tail, into: &framed)
        try whole.finish(into: &framed)

        // The same stream spliced: head flushed, the content's members made by a compressor of their
        // own, then the tail.
        let outer = try compressor()
        var spliced: [UInt8] = []
        try outer.compress(head, into: &spliced)
        try outer.flush(into: &spliced)
        let inner = try compressor()
        var members: [UInt8] = []
        try inner.compress(content, into: &members)
        try inner.flush(into: &members)
        spliced += members
        try outer.compress(tail, into: &spliced)
        try outer.finish(into: &spliced)

        #expect(framed == spliced)
        #expect(GzipMemberCount.members(in: members) == (content.count + Self.chunkSize - 1) / Self.chunkSize)
        #expect(try ChunkedGzipTests.inflated(framed) == head + content + tail)
        let (status, _) = try ChunkedGzipTests.gzip(["-t"], on: framed)
        #expect(status == 0)
    }

    @Test func flushOfNothingWritesNothingAndInputMayFollow() throws {
        let compressor = try compressor()
        var output: [UInt8] = []
        try compressor.flush(into: &output)
        try compressor.endChunk(into: &output)
        #expect(output.isEmpty, "an empty payload adds no member")
        try compressor.compress(tail, into: &output)
        try compressor.flush(into: &output)
        #expect(try ChunkedGzipTests.inflated(output) == tail)
        try compressor.finish(into: &output)
        #expect(throws: DeflateError.self) { try compressor.endChunk(into: &output) }
    }
}

/// Counts libdeflate's level-6 member headers (no name, MTIME 0, XFL 0, OS 255).
enum GzipMemberCount {
    static let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]

    static func members(in bytes: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index + header.count <= bytes.count {
            if bytes[index] == 0x1f && Array(bytes[index..<index + header.count]) == header { count += 1 }
            index += 1
        }
        return count
    }
}
