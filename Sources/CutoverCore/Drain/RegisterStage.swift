import Foundation
import SQLite

/// The register's serialisations of the members a drain touches, read in one pass (one consistent
/// read) and kept in a temporary SQLite file, not in memory: a drain of half a million members holds
/// one batch of them at a time. The file goes away with the stage.
final class RegisterStage {
    private let path: String
    private let file: SQLiteDatabase
    private let select: SQLiteStatement
    /// Path A's member JSON is kept only for a drain through the queue path: the webhook path needs
    /// Path B's data alone, and serialising and parsing both costs the drain its throughput.
    private let withPathA: Bool

    init(database: any LegacyDatabase, schema: String, kennitalas: Set<String>, withPathA: Bool,
         scratchDirectory: String = NSTemporaryDirectory()) throws {
        self.withPathA = withPathA
        path = "\(scratchDirectory)/cutover-drain-register-\(getpid())-\(UUID().uuidString).sqlite"
        do {
            file = try SQLiteDatabase(path: path, mode: .create)
            try file.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                + "CREATE TABLE members (kennitala TEXT PRIMARY KEY, path_a TEXT NOT NULL, path_b TEXT NOT NULL) WITHOUT ROWID")
            if !kennitalas.isEmpty {
                let insert = try file.prepare("INSERT OR REPLACE INTO members VALUES (?, ?, ?)")
                try file.withTransaction {
                    try database.withConsistentRead { _ in
                        try RegisterReader(database: database, schema: schema).scan { member in
                            let kennitala = Kennitala.normalised(member.ssn)
                            guard kennitalas.contains(kennitala) else { return }
                            try insert.run([.text(kennitala), .text(withPathA ? member.pathAMemberJSON.canonicalText : ""),
                                            .text(member.pathBDataJSON.canonicalText)])
                        }
                    }
                }
            }
            select = try file.prepare("SELECT path_a, path_b FROM members WHERE kennitala = ?")
        } catch let error as SQLiteError {
            throw CutoverError(.output, "cannot stage the register in \(path): \(error.message)")
        }
    }

    deinit {
        file.close()
        for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// One batch's members, parsed.
    func lookup(_ kennitalas: [String]) throws -> RegisterLookup {
        var lookup = RegisterLookup()
        for kennitala in kennitalas {
            try select.bind([.text(kennitala)])
            guard try select.step() else { continue }
            if withPathA { lookup.pathA[kennitala] = try JSONValue(parsing: select.text(0) ?? "null") }
            lookup.pathB[kennitala] = try JSONValue(parsing: select.text(1) ?? "null")
        }
        select.reset()
        return lookup
    }
}
