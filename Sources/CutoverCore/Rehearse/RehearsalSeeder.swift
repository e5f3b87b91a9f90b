import Firestore
import LegacySync

/// What a rehearsal without a named source starts from: a legacy database and a document store filled
/// from nothing. The demo target provides it, so the core does not depend on demo data.
public protocol RehearsalSeeder: Sendable {
    /// Replaces whatever the database and store hold; returns the seed step's one-line summary.
    func seed(
        members: Int, queueRows: Int, into database: any LegacyDatabase, store: any DocumentStore
    ) async throws -> String
}
