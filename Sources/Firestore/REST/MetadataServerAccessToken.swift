import CutoverSupport
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The metadata server of a Google Cloud machine (Compute Engine, Cloud Run, GKE): the attached service
/// account's token and the project, over plain HTTP with the mandatory `Metadata-Flavor: Google`.
/// `GCE_METADATA_HOST` (host or host:port), which Google's libraries honour, moves it (a loopback
/// stand-in in tests).
public actor MetadataServerAccessToken: AccessTokenProvider {
    public static let defaultHost = "metadata.google.internal"
    public nonisolated let host: String
    private var cached: OAuthTokenRequest.Token?

    public init(host: String) { self.host = host }

    public nonisolated var source: String { "the metadata server at \(host)" }
    public nonisolated var canRefresh: Bool { true }

    public func token(refresh: Bool) async throws -> String? {
        if !refresh, let cached, cached.renewAt > Date() { return cached.value }
        let path = "instance/service-accounts/default/token?scopes=\(ServiceAccountAccessToken.scope)"
        let token = try await OAuthTokenRequest.send(try request(path), for: "the default service account")
        cached = token
        return token.value
    }

    /// The project the machine runs in. Blocking (stores are opened synchronously): asked once, while a
    /// store is being opened, and only when nothing else named a project. A caller serving the metadata
    /// server from its own cooperative pool (a test's stand-in) must call it from a thread of its own.
    public nonisolated func project(timeout: TimeInterval = 5) throws -> String {
        var asking = try request("project/project-id")
        asking.timeoutInterval = timeout
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: asking) { data, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let text = String(decoding: data ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let result: Result<String, FirestoreError> =
                status == 200 && !text.isEmpty
                ? .success(text)
                : .failure(
                    FirestoreError(
                        .credential,
                        "the metadata server at \(self.host) gave no project: "
                            + (error.map { $0.localizedDescription } ?? "HTTP \(status)")))
            answer.result = result
            done.signal()
        }.resume()
        done.wait()
        return try
            (answer.result ?? .failure(FirestoreError(.credential, "the metadata server at \(host) did not answer")))
            .get()
    }

    /// The completion handler's result, handed over once: the semaphore orders the write before the read.
    private final class Answer: @unchecked Sendable {
        var result: Result<String, FirestoreError>?
    }

    nonisolated func request(_ path: String) throws -> URLRequest {
        guard let url = URL(string: "http://\(host)/computeMetadata/v1/\(path)") else {
            throw FirestoreError(.credential, "GCE_METADATA_HOST '\(host)' is not a host[:port]")
        }
        var request = URLRequest(url: url)
        request.setValue("Google", forHTTPHeaderField: "Metadata-Flavor")
        return request
    }
}
