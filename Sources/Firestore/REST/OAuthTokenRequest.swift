import CutoverSupport
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One access-token request and its answer, shared by the `authorized_user` refresh grant and the
/// metadata server: `{"access_token": …, "expires_in": …}` in, a token and its expiry out, every
/// failure a `.credential` error naming who asked and where.
enum OAuthTokenRequest {
    struct Token: Sendable {
        let value: String
        /// A minute before the token really expires, so it is never sent stale.
        let renewAt: Date
    }

    static func send(_ request: URLRequest, for who: String) async throws -> Token {
        let endpoint = request.url?.absoluteString ?? "?"
        let (data, response): (Data, URLResponse)
        do { (data, response) = try await URLSession.shared.data(for: request) } catch {
            throw FirestoreError(
                .credential, "token request for \(who) at \(endpoint) failed: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let body = try? JSONValue(parsing: String(decoding: data, as: UTF8.self))
        guard status == 200, let token = body?["access_token"]?.stringValue, !token.isEmpty else {
            let reason = body?["error_description"]?.stringValue ?? body?["error"]?.stringValue ?? "HTTP \(status)"
            throw FirestoreError(.credential, "token request for \(who) at \(endpoint) refused: \(reason)")
        }
        var lifetime = 3_600.0
        if case .integer(let seconds)? = body?["expires_in"] { lifetime = Double(seconds) }
        return Token(value: token, renewAt: Date().addingTimeInterval(max(lifetime - 60, 30)))
    }

    /// `application/x-www-form-urlencoded`, every value percent-encoded.
    static func form(_ fields: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(
            fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&").utf8)
    }
}
