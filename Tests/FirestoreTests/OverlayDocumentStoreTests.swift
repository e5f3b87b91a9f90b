import CutoverCore
import Firestore
import Foundation
import Testing

/// The dry run's overlay over a store that holds documents: reads see the base and the overlay's own
/// writes together; the base is never changed. (The behaviour suite runs it over an empty store.)
@Suite struct OverlayDocumentStoreTests {
    @Test func writesStayInTheOverlayAndReadsSeeThem() async throws {
        let base = try temporaryStore()
        let ids = (0..<6).map { String(format: "m%02d", $0) }
        _ = try await base.commit(
            ids.map { .set("members/\($0)", ["i": .string($0), "status": "active"]) }
                + [.set("sync_logs/run-1", ["status": "success"])])
        let before = try await base.listDocuments(collection: "members", pageSize: 100, pageToken: nil).documents

        let overlay = OverlayDocumentStore(over: base)
        _ = try await overlay.commit([
            .update("members/m01", [FieldPath(["status"]): "inactive"]),
            .delete("members/m02"),
            .set("members/m99", ["i": "m99", "status": "active"]),
        ])
        // Point reads, batch reads, listings and queries all see the overlay's writes.
        #expect(try await overlay.getDocument("members/m01")?.fields["status"] == "inactive")
        #expect(try await overlay.getDocument("members/m02") == nil)
        #expect(try await overlay.getDocument("members/m03")?.fields["status"] == "active")
        #expect(
            Set(try await overlay.batchGet(["members/m01", "members/m02", "members/m99"]).keys) == [
                "members/m01", "members/m99",
            ])
        var listed: [String] = []
        var token: String?
        repeat {
            let page = try await overlay.listDocuments(collection: "members", pageSize: 4, pageToken: token)
            listed += page.documents.map(\.id)
            token = page.nextPageToken
        } while token != nil
        #expect(listed == ["m00", "m01", "m03", "m04", "m05", "m99"])
        let active = try await overlay.runQuery(
            StructuredQuery(collectionID: "members", filter: .field(FieldPath(["status"]), .equal, "active")),
            parent: "")
        #expect(active.map(\.id) == ["m00", "m03", "m04", "m05", "m99"])
        // Untouched collections are read from the base as they are.
        #expect(
            try await overlay.listDocuments(collection: "sync_logs", pageSize: 10, pageToken: nil).documents.count == 1)
        // The overlay keeps Firestore's semantics: an update of a missing document fails.
        await #expect(throws: FirestoreError.self) {
            _ = try await overlay.commit([.update("members/m02", [FieldPath(["i"]): "x"])])
        }
        #expect(await overlay.changedPaths == ["members/m01", "members/m02", "members/m99"])

        // The base is exactly as it was.
        #expect(try await base.listDocuments(collection: "members", pageSize: 100, pageToken: nil).documents == before)
    }
}
