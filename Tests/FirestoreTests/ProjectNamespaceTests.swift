import CutoverCore
import Firestore
import Foundation
import LocalServers
import TestSupport
import Testing

/// Any project id is served, each its own namespace, and the reset empties one project only: on the
/// local server as on Google's emulator (`EmulatorBehaviourTests` runs the same test there).
struct ProjectNamespaceTests {
    /// Clients of two projects on one server (the local one, or the emulator).
    func withTwoProjects(
        _ kind: StoreKind, _ body: (any DocumentStore, any DocumentStore) async throws -> Void
    ) async throws {
        switch kind {
        case .emulator:
            await TestEmulator.warmedUp()
            let (first, second) = (TestEmulator.freshProject(), TestEmulator.freshProject())
            func open(_ project: String) throws -> any DocumentStore {
                var options = DocumentStoreOpener.Options()
                options.project = project
                options.retry = .fastForTests
                return try DocumentStoreOpener.open(TestEmulator.url, options: options)
            }
            do {
                try await body(try open(first), try open(second))
            } catch {
                await TestEmulator.reset(project: first)
                await TestEmulator.reset(project: second)
                throw error
            }
            await TestEmulator.reset(project: first)
            await TestEmulator.reset(project: second)
        default:
            let server = try await LocalServer.start(store: try temporaryStore())
            do {
                try await body(
                    server.client(project: "cutover-prod-1234"), server.client(project: "cutover-staging-1234"))
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    @Test(arguments: [StoreKind.rest])
    func projectsAreSeparateNamespaces(_ kind: StoreKind) async throws {
        try await withTwoProjects(kind) { production, staging in
            _ = try await production.commit([.set("members/a", ["where": "production"])])
            _ = try await staging.commit([
                .set("members/a", ["where": "staging"]), .set("members/b", ["where": "staging"]),
            ])
            #expect(try await production.getDocument("members/a")?.fields == ["where": "production"])
            #expect(try await staging.getDocument("members/a")?.fields == ["where": "staging"])
            #expect(
                try await production.listDocuments(collection: "members", pageSize: 10, pageToken: nil).documents.map(
                    \.id) == ["a"])
            let found = try await production.runQuery(StructuredQuery(collectionID: "members"), parent: "")
            #expect(found.map(\.path) == ["members/a"])
            // The reset is per project.
            try await staging.reset()
            #expect(try await staging.getDocument("members/a") == nil)
            #expect(try await production.getDocument("members/a")?.fields == ["where": "production"])
        }
    }

    @Test func theServerKeepsAnotherProjectInAFileBesideItsOwn() async throws {
        let directory = NSTemporaryDirectory() + "projects-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await LocalServer.start(
            store: try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite"))
        _ = try await server.client(project: "cutover-prod-1234").commit([.set("members/a", ["v": 1])])
        _ = try await server.client().commit([.set("members/z", ["v": 2])])
        await expectFirestoreError(.invalidArgument, containing: "not a valid project or database id") {
            _ = try await server.client(project: "bad..id").getDocument("members/a")
        }
        await server.stop()
        let other = try EmbeddedDocumentStore(
            path: "\(directory)/firestore.cutover-prod-1234.sqlite",
            database: DatabaseName(project: "cutover-prod-1234"))
        #expect(try await other.getDocument("members/a")?.fields == ["v": 1])
        #expect(try await other.getDocument("members/z") == nil)
        let own = try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite")
        #expect(try await own.getDocument("members/z")?.fields == ["v": 2])
    }
}
