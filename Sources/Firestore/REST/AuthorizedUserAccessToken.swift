import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A user's refresh token (`gcloud auth application-default login` writes one into
/// `application_default_credentials.json`, `"type": "authorized_user"`), exchanged at the token endpoint
/// for an access token with the `refresh_token` grant, kept until shortly before it expires.
public actor AuthorizedUserAccessToken: AccessTokenProvider {
    let clientID: String
    let clientSecret: String
    let refreshToken: String
    /// Google's endpoint unless the file names another (`token_uri`), which is how tests use a stand-in.
    let tokenURI: String
    /// The file the credential came from, for messages.
    public nonisolated let file: String
    private var cached: OAuthTokenRequest.Token?

    public init(clientID: String, clientSecret: String, refreshToken: String, tokenURI: String?, file: String) {
        (self.clientID, self.clientSecret, self.refreshToken) = (clientID, clientSecret, refreshToken)
        self.tokenURI = tokenURI ?? "https://oauth2.googleapis.com/token"
        self.file = file
    }

    public nonisolated var source: String { "authorized user in \(file)" }
    public nonisolated var canRefresh: Bool { true }

    public func token(refresh: Bool) async throws -> String? {
        if !refresh, let cached, cached.renewAt > Date() { return cached.value }
        guard let url = URL(string: tokenURI) else {
            throw FirestoreError(.credential, "bad token_uri \(tokenURI) in \(file)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = OAuthTokenRequest.form([
            ("grant_type", "refresh_token"), ("client_id", clientID), ("client_secret", clientSecret),
            ("refresh_token", refreshToken),
        ])
        let token = try await OAuthTokenRequest.send(request, for: "the authorized user in \(file)")
        cached = token
        return token.value
    }
}
