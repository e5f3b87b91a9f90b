import CLibPQ

/// Writes rows into a running `COPY … FROM STDIN` in text format, buffering about 256 KiB at a time.
public final class PostgresCopyWriter {
    private let connection: PostgresConnection
    private let statement: String
    private var buffer: [UInt8] = []
    private static let flushThreshold = 256 * 1024

    init(connection: PostgresConnection, statement: String) {
        self.connection = connection
        self.statement = statement
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends one row; nil is SQL NULL.
    public func writeRow(_ values: [String?]) throws {
        try writeRow(fieldCount: values.count) { index, write in
            guard var value = values[index] else { return write(nil) }
            value.withUTF8 { write(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Appends one row whose fields are read as bytes (nil is SQL NULL): no String per field.
    public func writeRow(fieldCount: Int, _ field: (Int, (UnsafeRawBufferPointer?) -> Void) -> Void) throws {
        for index in 0..<fieldCount {
            if index > 0 { buffer.append(9) }
            field(index) { bytes in
                guard let bytes else {
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
                    return
                }
                Self.appendEscaped(bytes.assumingMemoryBound(to: UInt8.self), to: &buffer)
            }
        }
        buffer.append(10)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Escapes a value as COPY text: backslash, tab, newline and carriage return. Runs without those
    /// bytes (nearly every value) are copied in one go.
    public static func appendEscaped(_ value: String, to buffer: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let escaped: UInt8
            switch bytes[index] {
            case 92: escaped = 92
            case 9: escaped = UInt8(ascii: "t")
            case 10: escaped = UInt8(ascii: "n")
            case 13: escaped = UInt8(ascii: "r")
            default: continue
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            buffer.append(92)
            buffer.append(escaped)
            runStart = index + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }

    func flush() throws {
        try connection.putCopyData(buffer, statement: statement)
        buffer.removeAll(keepingCapacity: true)
    }
}

extension PostgresConnection {
    /// Sends bytes of a running `COPY … FROM STDIN` (nothing when `bytes` is empty).
    func putCopyData(_ bytes: [UInt8], statement: String) throws {
        guard !bytes.isEmpty else { return }
        let handle = try liveHandle(statement)
        let sent = bytes.withUnsafeBytes { bytes in
            PQputCopyData(handle, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1 else { throw lastError(statement: statement, code: .copyFailed) }
    }
}
