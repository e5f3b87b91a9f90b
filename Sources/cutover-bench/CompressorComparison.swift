import Deflate
import Foundation
import Tar
import Zlib

#if canImport(Glibc)
import Glibc
#endif

/// The archive's compressor (libdeflate in chunks, `ChunkedGzipCompressor`) against zlib level 6 in
/// process and `gzip -6`, on one file (a snapshot's COPY text: `psql -c '\copy TABLE TO FILE'`).
///
/// Runs are interleaved; medians of wall and CPU seconds are printed with the output's size and the
/// ratios against `gzip -6`. The in-process compressors work from memory (the file is read once,
/// outside the timing), and each result is checked by decompressing it with zlib.
struct CompressorComparison {
    let file: String
    let runs: Int

    struct Sample {
        var wall: [Double] = []
        var cpu: [Double] = []
        var bytes = 0
    }

    func run() throws {
        let input = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        let compressors: [(name: String, compress: ([UInt8]) throws -> [UInt8])] = [
            (
                "zlib level 6 (GzipCompressor)",
                { input in
                    let compressor = try GzipCompressor(level: 6)
                    return try Self.feed(input) {
                        try compressor.compress($0, into: &$1)
                    } finish: {
                        try compressor.finish(into: &$0)
                    }
                }
            ),
            ("libdeflate 6, 1 MiB chunks, 2 cores", { try Self.chunked($0, parallelism: 2) }),
            ("libdeflate 6, 1 MiB chunks, 1 core", { try Self.chunked($0, parallelism: 1) }),
        ]
        var gzip = Sample()
        var samples = Array(repeating: Sample(), count: compressors.count)
        let output = NSTemporaryDirectory() + "cutover-bench-gzip-\(getpid()).gz"
        defer { unlink(output) }
        for _ in 0..<runs {
            let external = try MeasuredRun.shell(
                "gzip -6 -c '\(file)' > '\(output)'", environment: ProcessInfo.processInfo.environment)
            gzip.wall.append(external.seconds)
            gzip.bytes = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.intValue ?? 0
            for (index, compressor) in compressors.enumerated() {
                let (wallStart, cpuStart) = (DispatchTime.now().uptimeNanoseconds, Self.cpuSeconds())
                let packed = try compressor.compress(input)
                samples[index].wall.append(Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9)
                samples[index].cpu.append(Self.cpuSeconds() - cpuStart)
                samples[index].bytes = packed.count
                guard try Self.inflated(packed) == input else {
                    throw BenchError("\(compressor.name) does not round-trip")
                }
            }
        }
        let gzipWall = CommandResult.median(gzip.wall)
        print("Compressors on \(file) (\(input.count) bytes), \(runs) interleaved runs, medians:")
        print("  gzip -6: wall \(Self.format(gzipWall)) s, \(gzip.bytes) bytes")
        for (index, compressor) in compressors.enumerated() {
            let wall = CommandResult.median(samples[index].wall)
            print(
                "  \(compressor.name): wall \(Self.format(wall)) s (\(Self.format(wall / gzipWall))× gzip -6), "
                    + "CPU \(Self.format(CommandResult.median(samples[index].cpu))) s, \(samples[index].bytes) bytes "
                    + "(\(Self.format(Double(samples[index].bytes) / Double(max(gzip.bytes, 1))))× gzip -6)")
        }
    }

    static func chunked(_ input: [UInt8], parallelism: Int) throws -> [UInt8] {
        let compressor = try ChunkedGzipCompressor(level: 6, parallelism: parallelism)
        return try feed(input) {
            try compressor.compress($0, into: &$1)
        } finish: {
            try compressor.finish(into: &$0)
        }
    }

    /// Feeds `input` in 1 MiB pieces, as `TarWriter` does.
    static func feed(
        _ input: [UInt8], _ compress: (UnsafeRawBufferPointer, inout [UInt8]) throws -> Void,
        finish: (inout [UInt8]) throws -> Void
    ) throws -> [UInt8] {
        var output: [UInt8] = []
        try input.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + (1 << 20), bytes.count)
                try compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), &output)
                offset = end
            }
        }
        try finish(&output)
        return output
    }

    static func inflated(_ packed: [UInt8]) throws -> [UInt8] {
        let decompressor = try GzipDecompressor()
        var output: [UInt8] = []
        try decompressor.decompress(packed, into: &output)
        try decompressor.finish()
        return output
    }

    /// User + system CPU of this process (all threads).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
