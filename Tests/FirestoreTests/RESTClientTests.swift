import CutoverSupport
import Digest
import Firestore
import Foundation
import LocalServers
import Testing

@testable import CutoverCore

/// The REST client against the local server over real HTTP, with faults injected.
@Suite struct RESTClientTests {
    func withServer(
        faults: FaultInjection = .init(), requiredToken: String? = nil, issuedToken: String = "local-access-token",
        _ body: (LocalServer, EmbeddedDocumentStore) async throws -> Void
    ) async throws {
        let store = try temporaryStore()
        var options = FirestoreHTTPServer.Options()
        options.faults = faults
        options.requiredToken = requiredToken
        options.issuedToken = issuedToken
        let server = try await LocalServer.start(store: store, options: options)
        do { try await body(server, store) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func retriesRetryableFailuresUntilTheyPass() async throws {
        var faults = FaultInjection()
        faults.failureRates = [(503, 0.3), (429, 0.2)]
        try await withServer(faults: faults) { server, store in
            _ = try await store.commit((0..<20).map { .set("members/m\($0)", ["i": .integer(Int64($0))]) })
            var patient = RetryPolicy.fastForTests
            patient.maxAttempts = 40  // 0.5^40: never gives up in practice
            let client = server.client(retry: patient)
            for index in 0..<20 {
                #expect(try await client.getDocument("members/m\(index)")?.fields == ["i": .integer(Int64(index))])
            }
            _ = try await client.commit([.set("members/new", ["v": 1])])
            #expect(try await store.getDocument("members/new") != nil)
        }
    }

    @Test func givesUpAfterTheLastAttemptNamingStatusAndDocument() async throws {
        var faults = FaultInjection()
        faults.failureRates = [(503, 1.0)]
        try await withServer(faults: faults) { server, _ in
            await expectFirestoreError(.unavailable, document: "members/x", containing: "gave up after 5 attempts") {
                _ = try await server.client().getDocument("members/x")
            }
        }
    }

    @Test func honoursRetryAfter() async throws {
        var faults = FaultInjection()
        faults.failureRates = [(429, 1.0)]
        faults.retryAfterSeconds = 1
        try await withServer(faults: faults) { server, _ in
            var policy = RetryPolicy.fastForTests
            policy.maxAttempts = 2
            policy.maxDelay = 5
            let started = Date()
            await expectFirestoreError(.resourceExhausted, containing: "gave up after 2 attempts") {
                _ = try await server.client(retry: policy).getDocument("members/x")
            }
            #expect(Date().timeIntervalSince(started) >= 1.0)
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        try await withServer { server, store in
            _ = try await store.commit([.set("c/d", [:])])
            let client = server.client()
            #expect(try await client.getDocument("c/missing") == nil)
            await expectFirestoreError(.alreadyExists, document: "c/d") {
                _ = try await client.commit([.create("c/d", [:])])
            }
            await expectFirestoreError(.notFound, document: "c/none") {
                _ = try await client.commit([.update("c/none", [FieldPath(["a"]): 1])])
            }
            do {
                _ = try await client.commit([.create("c/d", [:])])
            } catch let error as FirestoreError {
                #expect(!error.message.contains("gave up"))
            }
        }
    }

    @Test func abortedCommitsAreRetried() async throws {
        var faults = FaultInjection()
        faults.failureRates = [(409, 0.5)]
        try await withServer(faults: faults) { server, store in
            var patient = RetryPolicy.fastForTests
            patient.maxAttempts = 40
            for index in 0..<10 { _ = try await server.client(retry: patient).commit([.set("c/d\(index)", [:])]) }
            #expect(try await store.count(collection: "c") == 10)
        }
    }

    @Test func commitsLargerThanOneRequestAreSplit() async throws {
        try await withServer { server, store in
            let writes = (0..<1_234).map { FirestoreWrite.set("members/m\($0)", ["i": .integer(Int64($0))]) }
            let chunks = FirestoreRESTClient.chunks(writes, in: store.database)
            #expect(chunks.map(\.count) == [500, 500, 234])
            // Each body is the canonical text of the chunk's writes, encoded once.
            var offset = 0
            for chunk in chunks {
                let writesJSON = writes[offset..<offset + chunk.count].map { $0.restJSON(in: store.database) }
                #expect(chunk.body == Data(JSONValue.object(["writes": .array(writesJSON)]).canonicalText.utf8))
                offset += chunk.count
            }
            #expect(FirestoreRESTClient.chunks([writes[7]], in: store.database).first?.document == "members/m7")
            let result = try await server.client().commit(writes)
            #expect(result.writeResults.count == 1_234)
            #expect(try await store.count(collection: "members") == 1_234)
            // Bytes bound a chunk too: 20 documents of 600 kB do not fit one 10 MiB request.
            let big = (0..<20).map {
                FirestoreWrite.set("big/b\($0)", ["x": .string(String(repeating: "y", count: 600_000))])
            }
            #expect(FirestoreRESTClient.chunks(big, in: store.database).count == 2)
            _ = try await server.client().commit(big)
            #expect(try await store.count(collection: "big") == 20)
        }
    }

    @Test func malformedAnswersAndDroppedConnectionsAreClearErrors() async throws {
        var malformed = FaultInjection()
        malformed.malformedRate = 1
        try await withServer(faults: malformed) { server, _ in
            await expectFirestoreError(.malformedResponse, containing: "JSON is malformed") {
                _ = try await server.client().listDocuments(collection: "members", pageSize: 10, pageToken: nil)
            }
        }
        var dropped = FaultInjection()
        dropped.dropRate = 1
        try await withServer(faults: dropped) { server, _ in
            await expectFirestoreError(.transport, containing: "gave up after 5 attempts") {
                _ = try await server.client().getDocument("members/x")
            }
        }
    }

    @Test func unauthenticatedRequestsRefreshOnceThenFail() async throws {
        try await withServer(requiredToken: "fresh-token") { server, _ in
            // A token that is simply wrong (or expired): one refresh, then a clear 401 error.
            await expectFirestoreError(.unauthenticated, containing: "invalid authentication credentials") {
                _ = try await server.client(credentials: StaticAccessToken("expired", source: "test")).getDocument(
                    "c/d")
            }
            // A command that first prints an expired token and a fresh one when asked again.
            let counter = NSTemporaryDirectory() + "token-\(UUID().uuidString)"
            let command = "if [ -f \(counter) ]; then echo fresh-token; else touch \(counter); echo expired-token; fi"
            let client = server.client(credentials: CommandAccessToken(command: command))
            let refreshed = try await client.getDocument("c/d")
            #expect(refreshed == nil)
            try? FileManager.default.removeItem(atPath: counter)
            await expectFirestoreError(.credential, containing: "CUTOVER_TEST_UNSET_TOKEN is not set") {
                _ = try await server.client(credentials: EnvironmentAccessToken(variable: "CUTOVER_TEST_UNSET_TOKEN"))
                    .getDocument("c/d")
            }
        }
    }

    @Test func serviceAccountKeyFlowSignsAValidJWTAndUsesTheIssuedToken() async throws {
        try await withServer(requiredToken: "sa-token", issuedToken: "sa-token") { server, store in
            let key = try RSAKey.generate()
            let keyFile = NSTemporaryDirectory() + "sa-\(UUID().uuidString).json"
            let json: JSONValue = [
                "type": "service_account", "client_email": "cutover@demo-cutover.iam.gserviceaccount.com",
                "private_key": .string(key.privateKeyPEM), "private_key_id": "k1",
                "token_uri": .string("\(server.url)/oauth2/token"),
            ]
            try json.prettyText.write(toFile: keyFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: keyFile) }

            let provider = try ServiceAccountAccessToken(keyFile: keyFile)
            let assertion = try await provider.signedAssertion(now: Date())
            let parts = assertion.split(separator: ".").map(String.init)
            #expect(parts.count == 3)
            let verifier = try RSAKey(publicKeyPEM: key.publicKeyPEM)
            #expect(verifier.verifySHA256(Self.base64URLDecode(parts[2]), of: Array("\(parts[0]).\(parts[1])".utf8)))
            let claims = try JSONValue(parsing: String(decoding: Self.base64URLDecode(parts[1]), as: UTF8.self))
            #expect(claims["aud"] == .string("\(server.url)/oauth2/token"))
            #expect(claims["scope"] == .string(ServiceAccountAccessToken.scope))

            var options = DocumentStoreOpener.Options()
            options.credentialsFile = keyFile
            let client = try DocumentStoreOpener.open(server.url, options: options)
            _ = try await client.commit([.set("c/sa", ["ok": true])])
            #expect(try await store.getDocument("c/sa")?.fields == ["ok": true])
        }
    }

    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["FIRESTORE_ACCESS_TOKEN"] == nil
                && ProcessInfo.processInfo.environment["GOOGLE_APPLICATION_CREDENTIALS"] == nil))
    func productionWithoutACredentialSaysHowToGiveOne() {
        let error = #expect(throws: CutoverError.self) { try DocumentStoreOpener.open("firestore:my-project") }
        #expect(error?.message == "no credential for firestore:my-project")
        #expect(error?.nextStep?.contains("gcloud auth print-access-token") == true)
        let bad = #expect(throws: CutoverError.self) { try DocumentStoreOpener.open("mongodb://x") }
        #expect(bad?.message.contains("cannot tell what document store") == true)
    }

    static func base64URLDecode(_ text: String) -> [UInt8] {
        var normalised = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalised.count % 4 != 0 { normalised += "=" }
        return Array(Data(base64Encoded: normalised) ?? Data())
    }
}
