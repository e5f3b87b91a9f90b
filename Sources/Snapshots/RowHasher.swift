import Digest

/// SHA-256 over a table's rows in the canonical encoding `cutover-rows-v1` (Snapshots/FORMAT.md):
/// for each row in key order, for each column in table order, a NULL is the byte 0x00 and a value is
/// the byte 0x01, its UTF-8 length as 8 bytes big-endian, then its UTF-8 bytes.
/// Anyone can recompute it from the table's text values with a few lines of any language.
public final class RowHasher {
    public static let encodingName = "cutover-rows-v1"

    private let digester = Digester(.sha256)
    /// Small fields are gathered here and hashed 64 KiB at a time (one libcrypto call per field is slow).
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    private var used = 0
    public private(set) var rowCount = 0

    public init() {}

    deinit { buffer.deallocate() }

    public func addField(_ bytes: UnsafeRawBufferPointer?) {
        if buffer.count - used < 9 { flush() }
        guard let bytes else {
            buffer[used] = 0
            used += 1
            return
        }
        buffer[used] = 1
        buffer.storeBytes(of: UInt64(bytes.count).bigEndian, toByteOffset: used + 1, as: UInt64.self)
        used += 9
        if bytes.count > buffer.count - used {
            flush()
            if bytes.count > buffer.count {
                digester.update(bytes)
                return
            }
        }
        if let source = bytes.baseAddress, !bytes.isEmpty {
            (buffer.baseAddress! + used).copyMemory(from: source, byteCount: bytes.count)
            used += bytes.count
        }
    }

    public func addField(_ text: String?) {
        guard var text else { return addField(nil as UnsafeRawBufferPointer?) }
        text.withUTF8 { addField(UnsafeRawBufferPointer($0)) }
    }

    public func addRow(_ values: [String?]) {
        for value in values { addField(value) }
        endRow()
    }

    public func endRow() { rowCount += 1 }

    /// Lowercase hex SHA-256; the hasher cannot be used afterwards.
    public func finalize() -> String {
        flush()
        return digester.hexDigest()
    }

    private func flush() {
        digester.update(UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
        used = 0
    }
}
