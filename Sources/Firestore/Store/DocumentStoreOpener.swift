import CutoverSupport
import Foundation

/// Turns a store string into a `DocumentStore`:
/// * `embedded:PATH` — the SQLite-backed embedded store;
/// * `http://HOST:PORT` — the local server or the emulator (`Authorization: Bearer owner`);
/// * `firestore:PROJECT[/DATABASE]` — production, with a credential;
/// * nothing, with `FIRESTORE_EMULATOR_HOST=host:port` set — that emulator.
public enum DocumentStoreOpener {
    public struct Options: Sendable {
        /// The project for embedded and local stores (production takes it from the string).
        public var project = "demo-cutover"
        /// Use this access token command (`gcloud auth print-access-token`).
        public var tokenCommand: String?
        /// Use this service-account key file.
        public var credentialsFile: String?
        /// Read the access token from this environment variable.
        public var tokenVariable: String?
        public var retry = RetryPolicy.standard

        public init() {}
    }

    public static func open(_ text: String?, options: Options = Options()) throws -> any DocumentStore {
        let environment = ProcessInfo.processInfo.environment
        var text = text ?? ""
        if text.isEmpty, let host = environment["FIRESTORE_EMULATOR_HOST"], !host.isEmpty { text = "http://\(host)" }
        if text.hasPrefix("embedded:") {
            let path = String(text.dropFirst("embedded:".count))
            guard !path.isEmpty else { throw CutoverError(.input, "embedded: needs a file path, e.g. embedded:firestore.sqlite") }
            return try EmbeddedDocumentStore(path: path, database: DatabaseName(project: options.project))
        }
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            guard let root = URL(string: text.hasSuffix("/") ? text : text + "/") else {
                throw CutoverError(.input, "'\(text)' is not a URL")
            }
            // A port past 65535 is no port (a client may wrap it round and reach another server).
            guard root.host?.isEmpty == false, (root.port.map { (1...65_535).contains($0) } ?? true) else {
                throw CutoverError(.input, "'\(text)' names no reachable HOST:PORT (the port must be from 1 to 65535)")
            }
            let credentials = try explicitCredentials(options) ?? StaticAccessToken("owner", source: "emulator admin (Bearer owner)")
            return FirestoreRESTClient(
                baseURL: URL(string: "v1/", relativeTo: root)!, database: DatabaseName(project: options.project),
                credentials: credentials, retry: options.retry, emulatorRoot: root)
        }
        if text.hasPrefix("firestore:") {
            let parts = text.dropFirst("firestore:".count).split(separator: "/", maxSplits: 1).map(String.init)
            guard let project = parts.first, !project.isEmpty else {
                throw CutoverError(.input, "firestore: needs a project, e.g. firestore:my-project or firestore:my-project/(default)")
            }
            var credentials = try explicitCredentials(options)
            if credentials == nil, let file = environment["GOOGLE_APPLICATION_CREDENTIALS"], !file.isEmpty {
                credentials = try serviceAccount(file)
            }
            if credentials == nil, environment["FIRESTORE_ACCESS_TOKEN"] != nil {
                credentials = EnvironmentAccessToken(variable: "FIRESTORE_ACCESS_TOKEN")
            }
            guard let credentials else {
                throw CutoverError(
                    .input, "no credential for \(text)",
                    nextStep: "set FIRESTORE_ACCESS_TOKEN, or pass --token-command 'gcloud auth print-access-token', "
                        + "or --credentials KEY.json (or set GOOGLE_APPLICATION_CREDENTIALS)")
            }
            return FirestoreRESTClient(
                baseURL: URL(string: "https://firestore.googleapis.com/v1/")!,
                database: DatabaseName(project: project, database: parts.count > 1 ? parts[1] : "(default)"),
                credentials: credentials, retry: options.retry)
        }
        throw CutoverError(
            .input, "cannot tell what document store '\(text.prefix(60))' is",
            nextStep: "use embedded:PATH, http://HOST:PORT (local server or emulator), or firestore:PROJECT[/DATABASE]")
    }

    static func explicitCredentials(_ options: Options) throws -> (any AccessTokenProvider)? {
        if let file = options.credentialsFile { return try serviceAccount(file) }
        if let command = options.tokenCommand { return CommandAccessToken(command: command) }
        if let variable = options.tokenVariable { return EnvironmentAccessToken(variable: variable) }
        return nil
    }

    static func serviceAccount(_ file: String) throws -> ServiceAccountAccessToken {
        do { return try ServiceAccountAccessToken(keyFile: file) } catch let error as FirestoreError {
            throw CutoverError(.input, error.message)
        }
    }
}
