import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension TestEmulator {
    /// Returns once the emulator has answered a first commit and read, made once for the whole test run.
    ///
    /// The test script waits until the emulator answers `GET /`; its JVM then still takes seconds over
    /// the first Firestore request (2.8 s measured, longer on a loaded machine). A URLSession request
    /// waiting that long is not idle on Linux: FoundationNetworking's event loop keeps a core busy. With
    /// the emulator suite's 13 tests waiting together, 8 s of the test process's 9.6 s of CPU went to
    /// waiting; after one warm-up request, 1.7 s. The warm-up asks on a plain socket from a thread of its
    /// own, which waits without spending CPU. A warm-up that fails changes nothing the tests check: they
    /// then meet the cold emulator as before.
    public static func warmedUp() async {
        await warmUp.value
    }

    private static let warmUp = Task<Void, Never> {
        guard let host else { return }
        _ = try? await offThePool {
            let project = "cutover-warm-up"
            let documents = "/v1/projects/\(project)/databases/(default)/documents"
            let write =
                #"{"writes":[{"update":{"name":"projects/\#(project)/databases/(default)/documents/"#
                + #"warm/up","fields":{"a":{"integerValue":"1"}}}}]}"#
            _ = try plainRequest(host: host, "POST", "\(documents):commit", body: write)
            _ = try plainRequest(host: host, "GET", "\(documents)/warm/up")
            _ = try plainRequest(host: host, "DELETE", "/emulator/v1/projects/\(project)/databases/(default)/documents")
        }
    }

    /// One HTTP/1.1 request to `host` (`127.0.0.1:PORT`, as the test script names it) on a blocking
    /// socket; the whole answer (60 s at most between reads).
    static func plainRequest(host: String, _ method: String, _ path: String, body: String = "") throws -> String {
        let parts = host.split(separator: ":")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard parts.count == 2, let port = UInt16(parts[1]),
            inet_pton(AF_INET, String(parts[0]), &address.sin_addr) == 1
        else { throw POSIXError(.EINVAL) }
        address.sin_port = port.bigEndian
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array(
            ("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nAuthorization: Bearer owner\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
                + body).utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw POSIXError(.EPIPE) }
            sent += written
        }
        // The emulator keeps the connection open despite `Connection: close`: the answer ends where its
        // Content-Length (or the last chunk) says.
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while !isComplete(answer) {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Whether `answer` holds a whole HTTP answer: its headers, and the body they announce.
    static func isComplete(_ answer: [UInt8]) -> Bool {
        let text = String(decoding: answer, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let headers = text[..<end.lowerBound].lowercased()
        if let length = headers.firstMatch(of: /content-length: *(\d+)/).flatMap({ Int($0.1) }) {
            return answer.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length
        }
        if headers.contains("transfer-encoding: chunked") { return text.hasSuffix("\r\n0\r\n\r\n") }
        return false
    }
}
