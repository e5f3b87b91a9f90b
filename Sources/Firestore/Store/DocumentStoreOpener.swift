import CutoverSupport
import Foundation

/// Turns a store string into a `DocumentStore`:
/// * `embedded:PATH` — the SQLite-backed embedded store;
/// * `http://HOST:PORT` — the local server or the emulator (`Authorization: Bearer owner`);
/// * `firestore:PROJECT[/DATABASE]` — production, with a credential (`firestore:` alone takes the project
///   in Google's order, `GoogleProject`);
/// * nothing, with `FIRESTORE_EMULATOR_HOST=host:port` set — that emulator.
public enum DocumentStoreOpener {
    public struct Options: Sendable {
        /// `--project`; nil takes the project in Google's order (environment, then the credentials'),
        /// and embedded and local stores fall back to `demo-cutover`.
        public var project: String?
        /// Use this access token command (`gcloud auth print-access-token`).
        public var tokenCommand: String?
        /// Use this credential file (a service-account key or an `authorized_user` file).
        public var credentialsFile: String?
        /// Read the access token from this environment variable.
        public var tokenVariable: String?
        public var retry = RetryPolicy.standard
        /// The variables the project and the credentials are looked up in (the process's by default).
        public var environment = ProcessInfo.processInfo.environment

        public init() {}
    }

    public static func open(_ text: String?, options: Options = Options()) throws -> any DocumentStore {
        let environment = options.environment
        var text = text ?? ""
        if text.isEmpty, let host = environment["FIRESTORE_EMULATOR_HOST"], !host.isEmpty { text = "http://\(host)" }
        let explicit = options.project.map { GoogleProject(id: $0, origin: "--project") }
        // Local stores have no credentials' project: the emulator takes any id, and a default keeps the
        // embedded rehearsal working with nothing set.
        let localProject = GoogleProject.resolve(explicit: explicit, environment: environment) { nil } ?? .localDefault
        if text.hasPrefix("embedded:") {
            let path = String(text.dropFirst("embedded:".count))
            guard !path.isEmpty else {
                throw CutoverError(.input, "embedded: needs a file path, e.g. embedded:firestore.sqlite")
            }
            return try EmbeddedDocumentStore(path: path, database: DatabaseName(project: localProject.id))
        }
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            guard let root = URL(string: text.hasSuffix("/") ? text : text + "/") else {
                throw CutoverError(.input, "'\(text)' is not a URL")
            }
            // A port past 65535 is no port (a client may wrap it round and reach another server).
            guard root.host?.isEmpty == false, (root.port.map { (1...65_535).contains($0) } ?? true) else {
                throw CutoverError(.input, "'\(text)' names no reachable HOST:PORT (the port must be from 1 to 65535)")
            }
            let credentials =
                try explicitCredentials(options)?.provider
                ?? StaticAccessToken("owner", source: "emulator admin (Bearer owner)")
            return FirestoreRESTClient(
                baseURL: URL(string: "v1/", relativeTo: root)!, database: DatabaseName(project: localProject.id),
                credentials: credentials, retry: options.retry, emulatorRoot: root)
        }
        if text.hasPrefix("firestore:") {
            return try production(text, options: options, explicit: explicit)
        }
        throw CutoverError(
            .input, "cannot tell what document store '\(text.prefix(60))' is",
            nextStep: "use embedded:PATH, http://HOST:PORT (local server or emulator), or firestore:PROJECT[/DATABASE]")
    }

    /// `firestore:[PROJECT][/DATABASE]`: the credential first (its project is the last resort), then the project.
    static func production(_ text: String, options: Options, explicit: GoogleProject?) throws -> any DocumentStore {
        let parts = text.dropFirst("firestore:".count).split(
            separator: "/", maxSplits: 1, omittingEmptySubsequences: false
        )
        .map(String.init)
        let named = parts.first.flatMap { $0.isEmpty ? nil : GoogleProject(id: $0, origin: "firestore:\($0)") }
        let database = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "(default)"
        let found: ApplicationDefaultCredentials.Found
        do {
            guard
                let credential = try explicitCredentials(options) ?? environmentToken(options)
                    ?? ApplicationDefaultCredentials.find(environment: options.environment)
            else {
                throw CutoverError(
                    .connection, "no credential for \(text)",
                    nextStep: "pass --credentials KEY.json or --token-command 'gcloud auth print-access-token', set "
                        + "FIRESTORE_ACCESS_TOKEN or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth "
                        + "application-default login`"
                )
            }
            found = credential
        } catch let error as FirestoreError {
            throw CutoverError(.connection, error.message)
        }
        let project: GoogleProject?
        do {
            project = try GoogleProject.resolve(
                explicit: named ?? explicit, environment: options.environment, credentials: found.project)
        } catch let error as FirestoreError {
            throw CutoverError(.connection, error.message)
        }
        guard let project else {
            throw CutoverError(
                .connection,
                "no project for \(text): nothing names one and the credential (\(found.provider.source)) has none",
                nextStep: "write firestore:PROJECT, pass --project, or set GOOGLE_CLOUD_PROJECT")
        }
        return FirestoreRESTClient(
            baseURL: URL(string: "https://firestore.googleapis.com/v1/")!,
            database: DatabaseName(project: project.id, database: database), credentials: found.provider,
            retry: options.retry)
    }

    /// `--credentials`, `--token-command` or a token variable, when given; the file's own project with it.
    static func explicitCredentials(_ options: Options) throws -> ApplicationDefaultCredentials.Found? {
        if let file = options.credentialsFile {
            let loaded: GoogleCredentialFile.Loaded
            do { loaded = try GoogleCredentialFile.load(file) } catch let error as FirestoreError {
                throw CutoverError(.connection, error.message)
            }
            return .init(provider: loaded.provider) { loaded.project }
        }
        if let command = options.tokenCommand { return .init(provider: CommandAccessToken(command: command)) { nil } }
        if let variable = options.tokenVariable {
            return .init(provider: EnvironmentAccessToken(variable: variable)) { nil }
        }
        return nil
    }

    /// `FIRESTORE_ACCESS_TOKEN`: this tool's own variable, so it comes before Application Default Credentials.
    static func environmentToken(_ options: Options) -> ApplicationDefaultCredentials.Found? {
        guard options.environment["FIRESTORE_ACCESS_TOKEN"] != nil else { return nil }
        return .init(provider: EnvironmentAccessToken(variable: "FIRESTORE_ACCESS_TOKEN")) { nil }
    }
}
