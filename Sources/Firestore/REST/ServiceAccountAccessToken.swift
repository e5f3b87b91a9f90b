import CutoverSupport
import Digest
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The service-account JWT-bearer flow (FIRESTORE.md §5): sign an RS256 JWT with the key file's
/// private key, exchange it at the key's `token_uri` for an access token, keep it until shortly
/// before it expires.
public actor ServiceAccountAccessToken: AccessTokenProvider {
    public static let scope = "https://www.googleapis.com/auth/datastore"

    public nonisolated let clientEmail: String
    let keyID: String
    let privateKeyPEM: String
    let tokenURI: String
    /// The key's `project_id`: the project when nothing else names one (Google's order).
    public nonisolated let projectID: String?
    private var cached: (token: String, expires: Date)?

    /// Reads a Google service-account key file (JSON with client_email, private_key, private_key_id, token_uri).
    public init(keyFile path: String) throws {
        if let warning = Self.readableByOthersWarning(keyFile: path) { Log.credentials.warning("\(warning)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FirestoreError(.credential, "cannot read service-account key file \(path)")
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: String(decoding: data, as: UTF8.self)) } catch {
            throw FirestoreError(.credential, "service-account key file \(path) is not JSON: \(error)")
        }
        func field(_ name: String) throws -> String {
            guard let value = json[name]?.stringValue, !value.isEmpty else {
                throw FirestoreError(.credential, "service-account key file \(path) has no \(name)")
            }
            return value
        }
        clientEmail = try field("client_email")
        privateKeyPEM = try field("private_key")
        keyID = json["private_key_id"]?.stringValue ?? ""
        tokenURI = json["token_uri"]?.stringValue ?? "https://oauth2.googleapis.com/token"
        projectID = json["project_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        _ = try Self.key(privateKeyPEM)  // fail now, not at the first request
    }

    public nonisolated var source: String { "service account \(clientEmail)" }
    public nonisolated var canRefresh: Bool { true }

    public func token(refresh: Bool) async throws -> String? {
        if !refresh, let cached, cached.expires > Date() { return cached.token }
        let assertion = try signedAssertion(now: Date())
        guard let url = URL(string: tokenURI) else { throw FirestoreError(.credential, "bad token_uri \(tokenURI)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(assertion)".utf8)
        let (data, response): (Data, URLResponse)
        do { (data, response) = try await URLSession.shared.data(for: request) } catch {
            throw FirestoreError(.credential, "token exchange at \(tokenURI) failed: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let body = try? JSONValue(parsing: String(decoding: data, as: UTF8.self))
        guard status == 200, let token = body?["access_token"]?.stringValue else {
            let reason = body?["error_description"]?.stringValue ?? body?["error"]?.stringValue ?? "HTTP \(status)"
            throw FirestoreError(.credential, "token exchange for \(clientEmail) refused: \(reason)")
        }
        var lifetime = 3_600.0
        if case .integer(let seconds)? = body?["expires_in"] { lifetime = Double(seconds) }
        cached = (token, Date().addingTimeInterval(max(lifetime - 60, 30)))
        return token
    }

    /// `base64url(header).base64url(claims).base64url(RS256 signature)`.
    package func signedAssertion(now: Date) throws -> String {
        let issued = Int64(now.timeIntervalSince1970)
        var header: [String: JSONValue] = ["alg": "RS256", "typ": "JWT"]
        if !keyID.isEmpty { header["kid"] = .string(keyID) }
        let claims: JSONValue = [
            "iss": .string(clientEmail), "scope": .string(Self.scope), "aud": .string(tokenURI),
            "iat": .integer(issued), "exp": .integer(issued + 3_600),
        ]
        let signingInput =
            Self.base64URL(Array(JSONValue.object(header).canonicalText.utf8)) + "."
            + Self.base64URL(Array(claims.canonicalText.utf8))
        let signature = try Self.key(privateKeyPEM).signSHA256(Array(signingInput.utf8))
        return signingInput + "." + Self.base64URL(signature)
    }

    static func key(_ pem: String) throws -> RSAKey {
        do { return try RSAKey(privateKeyPEM: pem) } catch {
            throw FirestoreError(.credential, "the service-account private key is unreadable: \(error)")
        }
    }

    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }
}
