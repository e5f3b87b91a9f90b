import ArgumentParser
import CutoverSupport

/// `--since 2026-11-26T00:00:00Z`: an RFC 3339 time, refused as a usage error when it is not one.
extension Timestamp: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { iso8601 }
}
