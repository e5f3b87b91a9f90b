import Deflate
import Foundation
import TestSupport
import Testing
import Zlib

/// libdeflate's chunked multi-member gzip, read back by our zlib `GzipDecompressor` and by `gzip`.
struct ChunkedGzipTests {
    /// Small chunks so a few kilobytes already make several members.
    static let chunkSize = 4_096
    let text: [UInt8] = Array(
        (0..<6_000).map { "\($0)\t010170-\($0 % 10_000)\tmember_updated\t{\"n\": \($0)}\n" }.joined().utf8)

    /// Bytes that do not compress: a fixed-seed xorshift, so a failure is reproducible.
    static func incompressible(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 32)
        }
    }

    /// Compresses `input` fed in pieces of `piece` bytes (the caller's slicing must not matter).
    static func chunked(_ input: [UInt8], piece: Int = 1_000, parallelism: Int = 2) throws -> [UInt8] {
        let compressor = try ChunkedGzipCompressor(level: 6, chunkSize: chunkSize, parallelism: parallelism)
        var output: [UInt8] = []
        var offset = 0
        while offset < input.count {
            let end = min(offset + piece, input.count)
            try compressor.compress(Array(input[offset..<end]), into: &output)
            offset = end
        }
        try compressor.finish(into: &output)
        return output
    }

    static func inflated(_ packed: [UInt8], piece: Int = 777) throws -> [UInt8] {
        let decompressor = try GzipDecompressor()
        var output: [UInt8] = []
        var offset = 0
        while offset < packed.count {
            let end = min(offset + piece, packed.count)
            try decompressor.decompress(Array(packed[offset..<end]), into: &output)
            offset = end
        }
        try decompressor.finish()
        return output
    }

    /// Runs `/bin/gzip` with `arguments` on `packed` written to a file; returns exit code and stdout.
    static func gzip(_ arguments: [String], on packed: [UInt8]) throws -> (Int32, [UInt8]) {
        try withTemporaryDirectory { directory in
            let path = directory + "/chunked.gz"
            try Data(packed).write(to: URL(fileURLWithPath: path))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/gzip")
            process.arguments = arguments + [path]
            let captured = try ProcessOutput.run(process)
            return (captured.exitCode, Array(captured.stdout))
        }
    }

    /// `input` cut at `chunkSize` and each chunk compressed alone: what a multi-member file must be.
    static func membersOneByOne(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, input.count)
            let single = try ChunkedGzipCompressor(level: 6, chunkSize: chunkSize, parallelism: 1)
            try single.compress(Array(input[offset..<end]), into: &output)
            try single.finish(into: &output)
            offset = end
        } while offset < input.count
        return output
    }

    // Empty, one byte, a chunk less one, exactly one chunk, a boundary exactly at the end, one past it.
    @Test(arguments: [0, 1, 4_095, 4_096, 12_288, 12_289])
    func readBackByZlibAndGzip(count: Int) throws {
        let input = Array(text.prefix(count))
        #expect(input.count == count)
        let packed = try Self.chunked(input)
        #expect(try Self.inflated(packed) == input)
        let (tested, _) = try Self.gzip(["-t"], on: packed)
        #expect(tested == 0)
        let (decoded, bytes) = try Self.gzip(["-dc"], on: packed)
        #expect(decoded == 0)
        #expect(bytes == input)
        // One member per chunk, no empty member after a chunk that ends exactly at the input's end
        // (an empty input gets one empty member).
        #expect(packed == (try Self.membersOneByOne(input)))
    }

    @Test func severalChunksOfText() throws {
        let packed = try Self.chunked(text)
        #expect(text.count > 40 * Self.chunkSize)
        #expect(packed.count < text.count / 3)
        #expect(try Self.inflated(packed) == text)
        let (decoded, bytes) = try Self.gzip(["-dc"], on: packed)
        #expect(decoded == 0)
        #expect(bytes == text)
    }

    @Test func incompressibleDataRoundTrips() throws {
        let noise = Self.incompressible(10 * Self.chunkSize + 123)
        let packed = try Self.chunked(noise, piece: 5_000)
        // Stored blocks: a little larger than the input, never much.
        #expect(packed.count < noise.count + 11 * 64)
        #expect(try Self.inflated(packed, piece: 4_099) == noise)
        let (tested, _) = try Self.gzip(["-t"], on: packed)
        #expect(tested == 0)
        let (decoded, bytes) = try Self.gzip(["-dc"], on: packed)
        #expect(decoded == 0)
        #expect(bytes == noise)
    }

    @Test func sameInputSameBytesHoweverFed() throws {
        let input = text + Self.incompressible(5 * Self.chunkSize) + text
        let first = try Self.chunked(input)
        #expect(try Self.chunked(input) == first)
        #expect(try Self.chunked(input, piece: 1) == first)
        #expect(try Self.chunked(input, piece: 1 << 20) == first)
        #expect(try Self.chunked(input, parallelism: 1) == first)
        #expect(try Self.chunked(input, parallelism: 3) == first)
        // Fixed header: no name, MTIME 0, XFL 0, OS 255.
        #expect(Array(first.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
    }

    @Test func refusesInputAfterFinishAndBadSettings() throws {
        let compressor = try ChunkedGzipCompressor()
        var output: [UInt8] = []
        try compressor.finish(into: &output)
        #expect(throws: DeflateError.self) { try compressor.compress([1, 2, 3], into: &output) }
        #expect(throws: DeflateError.self) { try ChunkedGzipCompressor(level: 13) }
        #expect(throws: DeflateError.self) { try ChunkedGzipCompressor(chunkSize: 0) }
    }
}
