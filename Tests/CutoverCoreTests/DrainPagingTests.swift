import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// Reading the drain's work a page at a time changes nothing (issue 21 point 4): the same demo world
/// drained with pages of one row and batches of one or two members — so every member with several
/// rows straddles a page and many batches follow one another — writes the same drain.json byte for
/// byte, leaves the same queue and the same documents as one drain with the default sizes.
struct DrainPagingTests {
    struct Drained: Sendable {
        var json: Data
        var rows: [Int64: QueueRow]
        /// Each member document's fields. Not its times: under the test's fixed clock the embedded store
        /// moves each commit a microsecond past the last, so the number of batches shows in them.
        var documents: [String: [String: FirestoreValue]]
        var report: DrainReport
    }

    static func drain(_ configure: @escaping (inout Drainer.Configuration) -> Void) async throws -> Drained {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let report = try await world.drain(configure: configure)
            try report.write(into: "\(directory)/out", masker: Masker())
            var documents: [String: [String: FirestoreValue]] = [:]
            try await world.store.forEachDocument(in: "members") { documents[$0.path] = $0.fields }
            return Drained(
                json: try Data(contentsOf: URL(fileURLWithPath: "\(directory)/out/drain.json")), rows: try world.rows(),
                documents: documents, report: report)
        }
    }

    /// The drain with the default sizes, made once for every case: on the same world and the same test clock
    /// it gives the same bytes each time (each case's paged drain is held to them byte for byte), and making it
    /// again per case was two of the suite's six drains.
    // A task, not a lazily computed value: every case awaits the one drain without holding a thread.
    static let whole = Task<Drained, any Error> { try await drain { _ in } }

    @Test(arguments: [(1, 1), (1, 2), (3, 7)])
    func tinyPagesAndBatchesChangeNoOutcome(pageRows: Int, batchSize: Int) async throws {
        let whole = try await Self.whole.value
        let paged = try await Self.drain {
            $0.spoolPageRows = pageRows
            $0.batchSize = batchSize
        }
        // The case the paging could break: a member with several rows, the newest applied.
        let byMember = Dictionary(grouping: try whole.report.results, by: \.kennitala)
        #expect(byMember.values.contains { $0.count > 1 && $0.contains { $0.outcome == .applied } })
        #expect(paged.json == whole.json, "drain.json differs")
        #expect(paged.rows == whole.rows, "the queue differs")
        #expect(paged.documents == whole.documents, "the documents' fields differ")
    }
}
