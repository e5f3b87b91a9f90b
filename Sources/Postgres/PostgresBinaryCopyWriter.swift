/// Writes rows into a running `COPY … FROM STDIN (FORMAT binary)`, each field given as the text PostgreSQL
/// prints for it and encoded by its column's `PostgresBinaryColumn`, buffering about 256 KiB at a time.
///
/// The stream is the format's signature and header, then per row a 16-bit field count and each field as a
/// 32-bit length (-1 for NULL) and its bytes, then a field count of -1 (PostgreSQL's `COPY` reference).
public final class PostgresBinaryCopyWriter {
    private let connection: PostgresConnection
    private let statement: String
    private let columns: [PostgresBinaryColumn]
    private var buffer: [UInt8] = []
    private static let flushThreshold = 256 * 1024
    /// `PGCOPY\n\xff\r\n\0`, then flags (0: no OIDs) and the header extension's length (0).
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    static let trailer: [UInt8] = [0xFF, 0xFF]

    init(connection: PostgresConnection, statement: String, columns: [PostgresBinaryColumn]) {
        self.connection = connection
        self.statement = statement
        self.columns = columns
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        buffer.append(contentsOf: Self.header)
    }

    /// Appends one row whose fields are read as text bytes (nil is SQL NULL). Throws `.valueNotBinary` —
    /// before anything of the row is sent — when a field's text is not one its column's encoder writes.
    public func writeRow(fieldCount: Int, _ field: (Int, (UnsafeRawBufferPointer?) -> Void) -> Void) throws {
        guard fieldCount == columns.count else {
            throw PostgresError(
                code: .copyFailed, message: "a row of \(fieldCount) fields for \(columns.count) columns",
                statement: statement, target: connection.connectedTarget)
        }
        let rowStart = buffer.count
        withUnsafeBytes(of: Int16(truncatingIfNeeded: fieldCount).bigEndian) { buffer.append(contentsOf: $0) }
        var refused: Int?
        for index in 0..<fieldCount where refused == nil {
            field(index) { bytes in
                guard let bytes else { return PostgresBinaryColumn.appendLength(-1, to: &buffer) }
                if !columns[index].append(bytes, to: &buffer) { refused = index }
            }
        }
        if let refused {
            buffer.removeSubrange(rowStart...)
            // The column's position and type only: a value never goes into an error.
            throw PostgresError(
                code: .valueNotBinary,
                message: "column \(refused + 1) (\(columns[refused])) holds a value not in the form binary COPY "
                    + "is written from here", statement: statement, target: connection.connectedTarget)
        }
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends the trailer and sends what is buffered.
    func finish() throws {
        buffer.append(contentsOf: Self.trailer)
        try flush()
    }

    private func flush() throws {
        try connection.putCopyData(buffer, statement: statement)
        buffer.removeAll(keepingCapacity: true)
    }
}
