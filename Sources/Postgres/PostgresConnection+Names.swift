import CLibPQ

extension PostgresConnection {
    /// What libpq connected to (or last tried), from `PQuser`, `PQhost`, `PQport` and `PQdb`: the names
    /// libpq settled on after reading the URI, the `PG*` variables and the service file. A target's own
    /// text cannot tell these (`postgresql://` with `PGSERVICE` set names no host at all).
    static func connectedName(_ connection: OpaquePointer) -> String {
        func text(_ value: UnsafeMutablePointer<CChar>?) -> String? {
            guard let value else { return nil }
            let string = String(cString: value)
            return string.isEmpty ? nil : string
        }
        return PostgresTarget.uri(
            user: text(PQuser(connection)), host: text(PQhost(connection)), port: text(PQport(connection)),
            database: text(PQdb(connection)))
    }
}

extension PostgresTarget {
    /// `postgresql://user@host:port/db`: a URI libpq accepts back, with nothing secret in it. A Unix-socket
    /// directory (a host starting with `/`) goes into `?host=`, as libpq's URI syntax has it; an IPv6
    /// address into brackets.
    public static func uri(user: String?, host: String?, port: String?, database: String?) -> String {
        var authority = user.map { percentEncoded($0) + "@" } ?? ""
        var query = ""
        if let host, host.hasPrefix("/") {
            query = "?host=" + percentEncoded(host, keeping: "/")
        } else if let host {
            authority += host.contains(":") ? "[\(host)]" : percentEncoded(host)
        }
        if let port { authority += ":\(port)" }
        return "postgresql://\(authority)/\(database.map { percentEncoded($0) } ?? "")\(query)"
    }

    /// RFC 3986 unreserved characters stay, everything else is `%XX` (libpq decodes it).
    static func percentEncoded(_ text: String, keeping extra: String = "") -> String {
        let kept = Set(("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" + extra).utf8)
        var output = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }
}
