import ArgumentParser

/// `--listen HOST:PORT`, with a port that fits 16 bits (0 picks a free one). Parsed once, so a port
/// above 65535 is a usage error instead of wrapping around to another port.
struct ListenAddress: ExpressibleByArgument, Sendable {
    let host: String
    let port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (0...65_535).contains(port) else {
            return nil
        }
        self.init(host: String(parts[0]), port: port)
    }

    var defaultValueDescription: String { "\(host):\(port)" }
}
