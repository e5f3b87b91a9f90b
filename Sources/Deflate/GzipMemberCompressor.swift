import CLibDeflate

/// Owns one `libdeflate_compressor` and turns a whole buffer into one gzip member (RFC 1952).
///
/// libdeflate's gzip header is fixed: no name, no comment, MTIME 0, OS 255 ("unknown"), and an XFL
/// byte that depends only on the level (0 at levels 2–7). So the same bytes at the same level give
/// the same member, with the same libdeflate version.
///
/// A libdeflate compressor may be used by one thread at a time; `ChunkedGzipCompressor` gives each
/// in-flight chunk its own slot, and a slot is reused only after its previous job was waited for.
/// That is the invariant `@unchecked Sendable` stands on.
final class GzipMemberCompressor: @unchecked Sendable {
    private let compressor: OpaquePointer

    /// `level` 1–12 (6 matches `gzip -6`'s effort; libdeflate's level 6 is smaller and faster).
    init(level: Int32) throws {
        guard let compressor = libdeflate_alloc_compressor(level) else {
            throw DeflateError("cannot allocate a compressor at level \(level) (valid: 0–12)")
        }
        self.compressor = compressor
    }

    deinit {
        libdeflate_free_compressor(compressor)
    }

    /// The whole of `input` as one gzip member: header, deflate data, CRC-32 and length.
    func member(of input: [UInt8]) throws -> [UInt8] {
        let bound = libdeflate_gzip_compress_bound(compressor, input.count)
        // `withUnsafeBytes` on an empty array may give a nil base address; libdeflate reads nothing then,
        // but it is handed a valid pointer anyway.
        var empty: UInt8 = 0
        let member = try [UInt8](unsafeUninitializedCapacity: bound) { output, written in
            written = input.withUnsafeBytes { source in
                withUnsafeMutablePointer(to: &empty) { fallback in
                    libdeflate_gzip_compress(
                        compressor, source.baseAddress ?? UnsafeRawPointer(fallback), source.count,
                        output.baseAddress, output.count)
                }
            }
            // With an output of the bound's size, 0 bytes written cannot happen; if it does, say so.
            guard written > 0 else { throw DeflateError("libdeflate_gzip_compress wrote nothing (bound \(bound))") }
        }
        return member
    }
}
