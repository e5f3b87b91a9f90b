/// A tar header's type flag (POSIX ustar, byte 156). The archive writes only files and directories;
/// the reader names the others so verification and extraction can refuse them.
public enum TarEntryType: Sendable, Equatable {
    case regularFile
    case hardLink
    case symbolicLink
    case characterDevice
    case blockDevice
    case directory
    case fifo
    /// A type flag ustar does not define (pax headers, GNU extensions, vendor types).
    case other(UInt8)

    /// The flag's byte. An old-style NUL flag means a regular file.
    public init(flag: UInt8) {
        switch flag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): self = .regularFile
        case UInt8(ascii: "1"): self = .hardLink
        case UInt8(ascii: "2"): self = .symbolicLink
        case UInt8(ascii: "3"): self = .characterDevice
        case UInt8(ascii: "4"): self = .blockDevice
        case UInt8(ascii: "5"): self = .directory
        case UInt8(ascii: "6"): self = .fifo
        default: self = .other(flag)
        }
    }

    /// The byte written into a header.
    public var flag: UInt8 {
        switch self {
        case .regularFile: UInt8(ascii: "0")
        case .hardLink: UInt8(ascii: "1")
        case .symbolicLink: UInt8(ascii: "2")
        case .characterDevice: UInt8(ascii: "3")
        case .blockDevice: UInt8(ascii: "4")
        case .directory: UInt8(ascii: "5")
        case .fifo: UInt8(ascii: "6")
        case .other(let flag): flag
        }
    }

    /// How `archive list --json` names it.
    public var name: String {
        switch self {
        case .regularFile: "file"
        case .hardLink: "hard link"
        case .symbolicLink: "symbolic link"
        case .characterDevice: "character device"
        case .blockDevice: "block device"
        case .directory: "directory"
        case .fifo: "fifo"
        case .other(let flag): "type \(flag)"
        }
    }
}
