import CutoverCore
import CutoverDemo
import CutoverSupport
import Digest
import Foundation
import Tar
import TestSupport
import Testing

/// The archive container: deterministic gzip'd ustar, readable by GNU tar, damage detected.
struct TarArchiveTests {
    static let modified: Int64 = 1_764_000_000

    /// Entries of awkward sizes and names.
    static func entries() -> [(String, [UInt8])] {
        [
            ("bag/bagit.txt", Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)),
            ("bag/data/empty.txt", []),
            ("bag/data/block.bin", [UInt8](repeating: 7, count: 512)),
            ("bag/data/odd.bin", (0..<600).map { UInt8($0 % 251) }),
            (
                "bag/data/" + String(repeating: "long-directory-name/", count: 6) + "ísland-☃.ndjson",
                Array("{\"a\":1}\n".utf8)
            ),
        ]
    }

    @discardableResult
    func write(_ path: String, bigFile: String? = nil) throws -> String {
        let writer = try TarWriter(path: path, modified: Self.modified)
        try writer.addDirectory("bag")
        for (name, contents) in Self.entries() { try writer.addFile(name, contents: contents) }
        if let bigFile { try writer.addFile("bag/data/big.copy", fromFile: bigFile, mode: 0o600) }
        return try writer.finish()
    }

    @Test func roundTripsThroughOurReaderAndGNUTar() throws {
        try withTemporaryDirectory { directory in
            let big = "\(directory)/big.copy"
            let bigBytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try Data(bigBytes).write(to: URL(fileURLWithPath: big))
            try write("\(directory)/a.tar.gz", bigFile: big)

            var read: [String: [UInt8]] = [:]
            try TarReader(path: "\(directory)/a.tar.gz").forEachEntry { entry, contents in
                read[entry.path] = contents
                #expect(entry.modified == Self.modified)
            }
            for (name, contents) in Self.entries() { #expect(read[name] == contents, "\(name)") }
            #expect(read["bag/data/big.copy"] == bigBytes)
            #expect(read["bag"] == [])

            // GNU tar extracts the same bytes.
            try FileManager.default.createDirectory(atPath: "\(directory)/x", withIntermediateDirectories: true)
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/bin/tar")
            tar.arguments = ["-xzf", "\(directory)/a.tar.gz", "-C", "\(directory)/x"]
            try tar.run()
            tar.waitUntilExit()
            #expect(tar.terminationStatus == 0)
            for (name, contents) in Self.entries() {
                #expect(
                    FileManager.default.contents(atPath: "\(directory)/x/\(name)").map(Array.init) == contents,
                    "\(name)")
            }
            #expect(
                FileManager.default.contents(atPath: "\(directory)/x/bag/data/big.copy").map(Array.init) == bigBytes)
        }
    }

    @Test func theSameEntriesGiveTheSameBytes() throws {
        try withTemporaryDirectory { directory in
            try write("\(directory)/1.tar.gz")
            try write("\(directory)/2.tar.gz")
            let first = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/1.tar.gz"))
            let second = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/2.tar.gz"))
            #expect(first == second)
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/1.tar.gz")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test func everyFlippedByteAndTruncationIsDetected() throws {
        try withTemporaryDirectory { directory in
            let sha256 = try write("\(directory)/a.tar.gz")
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.tar.gz")))
            #expect(Digester.hexDigest(of: original) == sha256)
            var readerCaught = 0
            var random = DemoRandom(seed: 42)
            var positions = Array(0..<10)  // every gzip header byte
            positions += (0..<90).map { _ in random.int(10...(original.count - 1)) }
            for position in positions {
                var damaged = original
                damaged[position] ^= UInt8(random.int(1...255))
                try Data(damaged).write(to: URL(fileURLWithPath: "\(directory)/d.tar.gz"))
                // The archive's digest sees every flip; the reader sees every flip that changes content.
                #expect(Digester.hexDigest(of: damaged) != sha256, "flip at byte \(position)")
                do { try TarReader(path: "\(directory)/d.tar.gz").forEachEntry { _, _ in } } catch { readerCaught += 1 }
            }
            #expect(
                readerCaught >= positions.count - 3, "the reader alone caught \(readerCaught) of \(positions.count)")
            for length in [0, 5, 10, 100, original.count / 2, original.count - 8, original.count - 1] {
                try Data(original.prefix(length)).write(to: URL(fileURLWithPath: "\(directory)/t.tar.gz"))
                #expect(throws: CutoverError.self, "truncated to \(length)") {
                    try TarReader(path: "\(directory)/t.tar.gz").forEachEntry { _, _ in }
                }
            }
        }
    }

    @Test func pathsTooLongForUstarAreRefused() throws {
        try withTemporaryDirectory { directory in
            let writer = try TarWriter(path: "\(directory)/a.tar.gz", modified: 0)
            #expect(throws: CutoverError.self) { try writer.addFile(String(repeating: "x", count: 120), contents: []) }
        }
    }
}
