import CZlib

/// Streams bytes into the gzip container (RFC 1952) through zlib's deflate.
///
/// The `z_stream` lives on the heap because zlib keeps its address between calls.
public final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false

    /// `level` 0–9 (6 is gzip's default).
    public init(level: Int32 = 6) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let code = czlib_deflate_init_gzip(stream, level)
        guard code == Z_OK else {
            stream.deallocate()
            throw ZlibError(code: code, message: "deflateInit2 failed")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input`, appending whatever zlib emits to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        try run(input, flush: Z_NO_FLUSH, into: &output)
    }

    public func compress(_ input: [UInt8], into output: inout [UInt8]) throws {
        try input.withUnsafeBytes { try compress($0, into: &output) }
    }

    /// Ends the stream (trailer with CRC-32 and length). No input may follow.
    public func finish(into output: inout [UInt8]) throws {
        guard !finished else { return }
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: &output)
        finished = true
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, into output: inout [UInt8]) throws {
        guard !finished else { throw ZlibError(code: Z_STREAM_ERROR, message: "compressor already finished") }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let (code, produced) = chunk.withUnsafeMutableBytes { buffer -> (Int32, Int) in
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(buffer.count)
                let code = deflate(stream, flush)
                return (code, buffer.count - Int(stream.pointee.avail_out))
            }
            guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
                throw ZlibError(code: code, message: "deflate failed")
            }
            output.append(contentsOf: chunk[0..<produced])
            if flush == Z_FINISH {
                if code == Z_STREAM_END { return }
            } else if stream.pointee.avail_in == 0 && produced < chunk.count {
                return
            }
        }
    }
}
