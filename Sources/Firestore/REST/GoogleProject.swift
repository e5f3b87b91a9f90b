/// The Google Cloud project a command works on, found in Google's order: `--project` (or the project in
/// `firestore:PROJECT`), else `GOOGLE_CLOUD_PROJECT`, `GCLOUD_PROJECT`, `CLOUDSDK_CORE_PROJECT`, else the
/// credentials' own project (a service-account key's `project_id`, an `authorized_user` file's
/// `quota_project_id`, the metadata server's project). Without this an emulator run with
/// `GOOGLE_CLOUD_PROJECT` set read the default project, found no members and still exited 0.
public struct GoogleProject: Sendable, Equatable, CustomStringConvertible {
    public let id: String
    /// Where it came from, for messages: `--project`, `GOOGLE_CLOUD_PROJECT`, `service account x@y`.
    public let origin: String

    public init(id: String, origin: String) { (self.id, self.origin) = (id, origin) }

    /// The variables Google's libraries and gcloud read, in the order they are read.
    public static let environmentVariables = ["GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"]

    /// The project for embedded stores, the local server and the emulator when nothing names one.
    public static let localDefault = GoogleProject(id: "demo-cutover", origin: "the default for local stores")

    /// The first project found; `credentials` is asked only when nothing before it names one (asking the
    /// metadata server costs a request).
    public static func resolve(
        explicit: GoogleProject?, environment: [String: String], credentials: () throws -> GoogleProject?
    ) rethrows -> GoogleProject? {
        if let explicit, !explicit.id.isEmpty { return explicit }
        for variable in environmentVariables {
            if let value = environment[variable], !value.isEmpty { return GoogleProject(id: value, origin: variable) }
        }
        return try credentials()
    }

    /// "project my-project (from GOOGLE_CLOUD_PROJECT)".
    public var description: String { "project \(id) (from \(origin))" }
}
