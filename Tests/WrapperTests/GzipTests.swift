import Foundation
import TestSupport
import Testing
import Zlib

struct GzipTests {
    let sample: [UInt8] = Array((0..<200_000).map { "row \($0)\tvalue\n" }.joined().utf8)

    func compressed(_ input: [UInt8]) throws -> [UInt8] {
        let compressor = try GzipCompressor(level: 6)
        var output: [UInt8] = []
        try compressor.compress(input, into: &output)
        try compressor.finish(into: &output)
        return output
    }

    @Test func roundTripsAndCompresses() throws {
        let packed = try compressed(sample)
        #expect(packed.count < sample.count / 4)
        let decompressor = try GzipDecompressor()
        var output: [UInt8] = []
        // Feed it in odd-sized pieces, as a stream would arrive.
        var offset = 0
        while offset < packed.count {
            let end = min(offset + 7_777, packed.count)
            try decompressor.decompress(Array(packed[offset..<end]), into: &output)
            offset = end
        }
        try decompressor.finish()
        #expect(output == sample)
    }

    @Test func outputIsReadableByTheGzipTool() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/sample.gz"
            try Data(try compressed(sample)).write(to: URL(fileURLWithPath: path))
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gzip.arguments = ["-dc", path]
            let pipe = Pipe()
            gzip.standardOutput = pipe
            try gzip.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            gzip.waitUntilExit()
            #expect(gzip.terminationStatus == 0)
            #expect(Array(data) == sample)
        }
    }

    @Test func detectsTruncationCorruptionAndBombs() throws {
        let packed = try compressed(sample)
        let truncated = try GzipDecompressor()
        var sink: [UInt8] = []
        try truncated.decompress(Array(packed.dropLast(10)), into: &sink)
        #expect(throws: ZlibError.self) { try truncated.finish() }

        var flipped = packed
        flipped[flipped.count / 2] ^= 0x5A
        #expect(throws: ZlibError.self) {
            let decompressor = try GzipDecompressor()
            var out: [UInt8] = []
            try decompressor.decompress(flipped, into: &out)
            try decompressor.finish()
        }

        let limited = try GzipDecompressor(limit: 1000)
        #expect(throws: ZlibError.self) { try limited.decompress(packed, into: &sink) }
    }

    /// Concatenated members are one gzip file (RFC 1952 §2.2): zlib's inflate stops after each member,
    /// and the decompressor must go on, wherever the pieces it is fed are cut.
    @Test func readsEveryMemberOfAMultiMemberStream() throws {
        let first = Array(sample.prefix(50_000))
        let second = Array(sample.dropFirst(50_000))
        let packedFirst = try compressed(first)
        let stream = packedFirst + (try compressed(second)) + (try compressed([]))

        for cut in [packedFirst.count, packedFirst.count - 1, packedFirst.count + 1, 7_777] {
            let decompressor = try GzipDecompressor()
            var output: [UInt8] = []
            var offset = 0
            while offset < stream.count {
                let end = min(offset + cut, stream.count)
                try decompressor.decompress(Array(stream[offset..<end]), into: &output)
                offset = end
            }
            try decompressor.finish()
            #expect(output == sample, "pieces of \(cut) bytes")
        }

        // The stream ends inside the second member: truncated.
        let truncated = try GzipDecompressor()
        var sink: [UInt8] = []
        try truncated.decompress(Array(stream.prefix(packedFirst.count + 30)), into: &sink)
        #expect(throws: ZlibError.self) { try truncated.finish() }

        // Bytes after a member that are no gzip member are still refused.
        #expect(throws: ZlibError.self) {
            let decompressor = try GzipDecompressor()
            var out: [UInt8] = []
            try decompressor.decompress(packedFirst + Array("not gzip".utf8), into: &out)
            try decompressor.finish()
        }
    }
}
