import CutoverSupport

/// The register's serialisations of a few members, in memory: one drain batch (from a
/// `RegisterStage`), or one member read on its own.
package struct RegisterLookup: Sendable {
    package var pathA: [String: JSONValue] = [:]
    package var pathB: [String: JSONValue] = [:]

    /// A few members read on their own (a refresh, the shadow run, the Django model), both paths' forms.
    package static func load(
        database: any LegacyDatabase, schema: String, kennitalas: Set<String>
    ) throws -> RegisterLookup {
        try RegisterStage(database: database, schema: schema, kennitalas: kennitalas, withPathA: true).lookup(
            Array(kennitalas))
    }
}
