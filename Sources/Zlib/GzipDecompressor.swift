import CZlib

/// Streams a gzip container back to bytes, refusing to expand past `limit` bytes (a guard against
/// decompression bombs in archives from elsewhere).
///
/// Reads every member of a multi-member file (RFC 1952 §2.2, what `gzip` does and what archives
/// compressed in chunks are): zlib's `inflate` stops at the end of each member, so the stream is reset
/// and inflation continues with the next one. Bytes after a member that are not a gzip member are an
/// error (zlib reports a bad header).
public final class GzipDecompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let limit: Int
    private var produced = 0
    /// True when the input so far ends exactly at the end of a member whose trailer has been checked.
    public private(set) var isComplete = false

    public init(limit: Int = .max) throws {
        self.limit = limit
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let code = czlib_inflate_init_gzip(stream)
        guard code == Z_OK else {
            stream.deallocate()
            throw ZlibError(code: code, message: "inflateInit2 failed")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Decompresses `input`, appending to `output`. Input may end anywhere, also inside a member.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        guard !input.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while stream.pointee.avail_in > 0 {
            if isComplete {
                // More input after a member's trailer: the next member begins.
                let code = inflateReset(stream)
                guard code == Z_OK else { throw ZlibError(code: code, message: "inflateReset failed") }
                isComplete = false
            }
            let (code, count) = chunk.withUnsafeMutableBytes { buffer -> (Int32, Int) in
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(buffer.count)
                let code = inflate(stream, Z_NO_FLUSH)
                return (code, buffer.count - Int(stream.pointee.avail_out))
            }
            switch code {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: isComplete = true
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt gzip data"
                throw ZlibError(code: code, message: message)
            }
            produced += count
            guard produced <= limit else {
                throw ZlibError(code: Z_DATA_ERROR, message: "expands past the limit of \(limit) bytes")
            }
            output.append(contentsOf: chunk[0..<count])
            if code == Z_BUF_ERROR && count == 0 { break }
        }
    }

    public func decompress(_ input: [UInt8], into output: inout [UInt8]) throws {
        try input.withUnsafeBytes { try decompress($0, into: &output) }
    }

    /// Fails unless the input ended with a valid member trailer (catches truncation).
    public func finish() throws {
        guard isComplete else { throw ZlibError(code: Z_DATA_ERROR, message: "gzip stream is truncated") }
    }
}
