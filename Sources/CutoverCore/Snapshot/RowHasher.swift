import Digest

/// SHA-256 over a table's rows in the canonical encoding `cutover-rows-v1` (Snapshots/FORMAT.md):
/// for each row in key order, for each column in table order, a NULL is the byte 0x00 and a value is
/// the byte 0x01, its UTF-8 length as 8 bytes big-endian, then its UTF-8 bytes.
/// Anyone can recompute it from the table's text values with a few lines of any language.
public final class RowHasher {
    public static let encodingName = "cutover-rows-v1"

    private let digester = Digester(.sha256)
    private var buffer: [UInt8] = []
    public private(set) var rowCount = 0

    public init() { buffer.reserveCapacity(1 << 16) }

    public func addField(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else {
            buffer.append(0)
            return
        }
        buffer.append(1)
        let length = UInt64(bytes.count)
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
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
        digester.update(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
