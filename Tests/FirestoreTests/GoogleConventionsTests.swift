import CutoverSupport
import Digest
import Firestore
import Foundation
import LocalServers
import Testing

/// Google's conventions in process: the project's order (`--project`, `GOOGLE_CLOUD_PROJECT`,
/// `GCLOUD_PROJECT`, `CLOUDSDK_CORE_PROJECT`, the credentials'), and Application Default Credentials'
/// order, each step against the local server standing in for the token endpoint (`token_uri`) and the
/// metadata server (`GCE_METADATA_HOST`).
@Suite struct GoogleConventionsTests {
    static let variables = GoogleProject.environmentVariables

    /// Each variable wins over the ones after it, loses to `--project`, and an empty one counts as unset.
    @Test func theProjectComesFromProjectThenEachVariableInGooglesOrderThenTheCredentials() throws {
        let all = ["GOOGLE_CLOUD_PROJECT": "p-google", "GCLOUD_PROJECT": "p-gcloud", "CLOUDSDK_CORE_PROJECT": "p-sdk"]
        let fromCredentials = GoogleProject(id: "p-key", origin: "service account k")
        func resolved(_ explicit: String?, _ environment: [String: String]) -> GoogleProject? {
            GoogleProject.resolve(
                explicit: explicit.map { GoogleProject(id: $0, origin: "--project") }, environment: environment
            ) {
                fromCredentials
            }
        }
        #expect(resolved("p-flag", all) == GoogleProject(id: "p-flag", origin: "--project"))
        #expect(resolved(nil, all) == GoogleProject(id: "p-google", origin: "GOOGLE_CLOUD_PROJECT"))
        #expect(
            resolved(nil, all.filter { $0.key != "GOOGLE_CLOUD_PROJECT" })
                == GoogleProject(id: "p-gcloud", origin: "GCLOUD_PROJECT"))
        #expect(
            resolved(nil, ["CLOUDSDK_CORE_PROJECT": "p-sdk", "GOOGLE_CLOUD_PROJECT": ""])
                == GoogleProject(id: "p-sdk", origin: "CLOUDSDK_CORE_PROJECT"))
        #expect(resolved(nil, [:]) == fromCredentials)

        // The same order decides the database a store is opened on; local stores fall back to demo-cutover.
        let path = NSTemporaryDirectory() + "project-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (variable, project) in [
            ("GOOGLE_CLOUD_PROJECT", "p-one"), ("GCLOUD_PROJECT", "p-two"), ("CLOUDSDK_CORE_PROJECT", "p-three"),
        ] {
            var options = DocumentStoreOpener.Options()
            options.environment = [variable: project]
            #expect(try DocumentStoreOpener.open("embedded:\(path)", options: options).database.project == project)
            #expect(try DocumentStoreOpener.open("http://127.0.0.1:9", options: options).database.project == project)
            options.project = "p-flag"
            #expect(try DocumentStoreOpener.open("http://127.0.0.1:9", options: options).database.project == "p-flag")
        }
        var bare = DocumentStoreOpener.Options()
        bare.environment = [:]
        #expect(try DocumentStoreOpener.open("embedded:\(path)", options: bare).database.project == "demo-cutover")
        bare.environment = ["FIRESTORE_EMULATOR_HOST": "127.0.0.1:9", "GCLOUD_PROJECT": "p-emulated"]
        #expect(try DocumentStoreOpener.open(nil, options: bare).database.project == "p-emulated")
    }

    @Test func applicationDefaultCredentialsFollowGooglesOrderAgainstStandIns() async throws {
        try await withStandIn { server, root in
            let tokenURI = "\(server.url)/oauth2/token"
            let userFile = "\(root)/user.json"
            try Self.authorizedUser(tokenURI: tokenURI, quotaProject: "p-quota").write(
                toFile: userFile, atomically: true, encoding: .utf8)
            let gcloud = "\(root)/gcloud"
            try FileManager.default.createDirectory(atPath: gcloud, withIntermediateDirectories: true)
            let keyFile = "\(gcloud)/application_default_credentials.json"
            try Self.serviceAccountKey(tokenURI: tokenURI, project: "p-key").write(
                toFile: keyFile, atomically: true, encoding: .utf8)
            let metadataHost = String(server.url.dropFirst("http://".count))
            let nowhere = "\(root)/no-such-product-name"

            // 1. GOOGLE_APPLICATION_CREDENTIALS wins over gcloud's file and the metadata server.
            var environment = [
                "GOOGLE_APPLICATION_CREDENTIALS": userFile, "CLOUDSDK_CONFIG": gcloud,
                "GCE_METADATA_HOST": metadataHost,
            ]
            let first = try #require(
                try ApplicationDefaultCredentials.find(environment: environment, productNameFile: nowhere))
            #expect(first.provider.source == "authorized user in \(userFile)")
            #expect(try first.project() == GoogleProject(id: "p-quota", origin: "quota_project_id in \(userFile)"))
            try await expectServed(by: first.provider, server)

            // 2. Without it, gcloud's application_default_credentials.json in $CLOUDSDK_CONFIG.
            environment["GOOGLE_APPLICATION_CREDENTIALS"] = nil
            let second = try #require(
                try ApplicationDefaultCredentials.find(environment: environment, productNameFile: nowhere))
            #expect(second.provider.source == "service account cutover@p-key.iam.gserviceaccount.com")
            #expect(try second.project()?.id == "p-key")
            try await expectServed(by: second.provider, server)
            // ~/.config/gcloud when CLOUDSDK_CONFIG is not set.
            #expect(
                ApplicationDefaultCredentials.gcloudFile(environment: ["HOME": "/home/op"])
                    == "/home/op/.config/gcloud/application_default_credentials.json")

            // 3. Without a file, the metadata server: its token, and its project.
            environment["CLOUDSDK_CONFIG"] = "\(root)/empty"
            let third = try #require(
                try ApplicationDefaultCredentials.find(environment: environment, productNameFile: nowhere))
            #expect(third.provider.source == "the metadata server at \(metadataHost)")
            #expect(try await Self.offThePool { try third.project()?.id } == "demo-cutover")
            try await expectServed(by: third.provider, server)
            // Production with nothing naming a project takes the metadata server's.
            var options = DocumentStoreOpener.Options()
            options.environment = environment
            let unnamed = options
            #expect(
                try await Self.offThePool {
                    try DocumentStoreOpener.open("firestore:", options: unnamed).database.project
                }
                    == "demo-cutover")
            options.environment["GOOGLE_CLOUD_PROJECT"] = "p-named"
            #expect(try DocumentStoreOpener.open("firestore:", options: options).database.project == "p-named")
            #expect(
                try DocumentStoreOpener.open("firestore:p-url/db2", options: options).database
                    == DatabaseName(project: "p-url", database: "db2"))

            // 4. Not on Google Cloud and nothing set: no credential at all.
            environment["GCE_METADATA_HOST"] = nil
            #expect(try ApplicationDefaultCredentials.find(environment: environment, productNameFile: nowhere) == nil)
        }
    }

    /// Credential problems are connection problems: exit 3, as the README's table says.
    @Test func credentialProblemsExitWithTheConnectionCode() throws {
        var options = DocumentStoreOpener.Options()
        options.environment = ["HOME": "/nonexistent"]
        let missing = #expect(throws: CutoverError.self) {
            try DocumentStoreOpener.open("firestore:my-project", options: options)
        }
        #expect(missing?.message == "no credential for firestore:my-project")
        #expect(missing?.nextStep?.contains("gcloud auth application-default login") == true)
        #expect(missing?.exitCode == ExitCode.connection.code)
        options.environment["GOOGLE_APPLICATION_CREDENTIALS"] = "/nonexistent/key.json"
        let unreadable = #expect(throws: CutoverError.self) {
            try DocumentStoreOpener.open("firestore:my-project", options: options)
        }
        #expect(unreadable?.message == "cannot read the credential file /nonexistent/key.json")
        #expect(unreadable?.exitCode == ExitCode.connection.code)
        #expect(ExitCode.connection.meaning.contains("credentials missing or refused"))
    }

    // MARK: - Stand-ins

    /// Runs blocking work on a thread of its own. The metadata server's project is fetched synchronously
    /// (stores are opened synchronously), and the stand-in answering it runs on this process's cooperative
    /// pool, which two blocked pool threads on two cores would starve.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// The local server requiring `adc-token` on every request and issuing it from `/oauth2/token` and the
    /// metadata routes; a temporary folder for credential files.
    func withStandIn(_ body: (LocalServer, String) async throws -> Void) async throws {
        let store = try temporaryStore()
        var options = FirestoreHTTPServer.Options()
        options.requiredToken = "adc-token"
        options.issuedToken = "adc-token"
        let server = try await LocalServer.start(store: store, options: options)
        let root = NSTemporaryDirectory() + "adc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        do { try await body(server, root) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The provider's token opens the server, which refuses any other.
    func expectServed(by provider: any AccessTokenProvider, _ server: LocalServer) async throws {
        #expect(try await provider.token(refresh: false) == "adc-token")
        let client = server.client(credentials: provider)
        _ = try await client.commit([.set("c/adc", ["ok": true])])
        #expect(try await client.getDocument("c/adc")?.fields == ["ok": true])
    }

    static func authorizedUser(tokenURI: String, quotaProject: String) -> String {
        JSONValue.object([
            "type": "authorized_user", "client_id": "id.apps.googleusercontent.com", "client_secret": "secret",
            "refresh_token": "1//refresh", "token_uri": .string(tokenURI), "quota_project_id": .string(quotaProject),
        ]).prettyText
    }

    static func serviceAccountKey(tokenURI: String, project: String) throws -> String {
        JSONValue.object([
            "type": "service_account", "project_id": .string(project),
            "client_email": .string("cutover@\(project).iam.gserviceaccount.com"),
            "private_key": .string(try RSAKey.generate().privateKeyPEM), "private_key_id": "k1",
            "token_uri": .string(tokenURI),
        ]).prettyText
    }
}
