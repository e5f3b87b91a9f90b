import CutoverSupport
import Foundation

/// A Google credential file, by its `type`: a service-account key (`service_account`, the JWT-bearer
/// flow) or a user's refresh token (`authorized_user`, what `gcloud auth application-default login`
/// writes). Either may name a project: `project_id`, `quota_project_id`.
public enum GoogleCredentialFile {
    public struct Loaded: Sendable {
        public let provider: any AccessTokenProvider
        public let project: GoogleProject?
    }

    /// Reads and checks the file; every problem is a `.credential` error naming it.
    public static func load(_ path: String) throws -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FirestoreError(.credential, "cannot read the credential file \(path)")
        }
        guard let json = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)) else {
            throw FirestoreError(.credential, "the credential file \(path) is not JSON")
        }
        switch json["type"]?.stringValue ?? "service_account" {
        case "service_account":
            let key = try ServiceAccountAccessToken(keyFile: path)
            return Loaded(
                provider: key,
                project: key.projectID.map { GoogleProject(id: $0, origin: "service account \(key.clientEmail)") })
        case "authorized_user":
            func field(_ name: String) throws -> String {
                guard let value = json[name]?.stringValue, !value.isEmpty else {
                    throw FirestoreError(.credential, "the authorized_user credential file \(path) has no \(name)")
                }
                return value
            }
            let user = AuthorizedUserAccessToken(
                clientID: try field("client_id"), clientSecret: try field("client_secret"),
                refreshToken: try field("refresh_token"),
                tokenURI: json["token_uri"]?.stringValue, file: path)
            let project = json["quota_project_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            return Loaded(
                provider: user, project: project.map { GoogleProject(id: $0, origin: "quota_project_id in \(path)") })
        case let other:
            throw FirestoreError(
                .credential,
                "the credential file \(path) is of type \(other); expected service_account or authorized_user")
        }
    }
}
