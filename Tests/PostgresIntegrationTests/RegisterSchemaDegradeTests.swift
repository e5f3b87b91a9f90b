import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Postgres
import Snapshots
import TestSupport
import Testing

/// `demo seed`'s register is Django's own DDL; a missing column and an absent table are told in
/// words by the commands the road test does not run (`demo nightly-run`) and by the snapshot.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct RegisterSchemaDegradeTests {
    /// A database holding the demo world (a copy of the one seeded for the run), its store as
    /// `firestore.sqlite` in `directory`.
    func withSeededDatabase(_ directory: String, _ body: (String) async throws -> Void) async throws {
        try await DemoWorld(members: 120, queueRows: 400).withCopiedDatabase(
            store: .at("firestore.sqlite"), in: directory, body)
    }

    @Test func demoSeedNamesConstraintsAndIndexesAsDjangoAndDefersForeignKeys() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededDatabase(directory) { url in
                let connection = try PostgresConnection(url)
                let foreignKeys = try connection.query(
                    """
                    SELECT c.conname, c.condeferrable, c.condeferred FROM pg_constraint c JOIN pg_class t ON t.oid = \
                    c.conrelid
                    WHERE c.contype = 'f' AND (t.relname LIKE 'map\\_%' OR t.relname LIKE 'membership\\_%')
                      AND t.relname <> 'membership_membersyncqueue'
                    """
                ).rows
                #expect(foreignKeys.count == 17)
                #expect(
                    foreignKeys.allSatisfy { $0[1] == "t" && $0[2] == "t" },
                    "every foreign key DEFERRABLE INITIALLY DEFERRED")
                // Django's names: names_digest hashes, long names truncated to 63 characters as Django does.
                let names = Set(foreignKeys.compactMap { $0[0] })
                #expect(names.contains("membership_newlocala_address_id_7e3d8080_fk_map_addre"))
                #expect(names.contains("map_street_postal_code_id_d81e49cc_fk_map_postalcode_id"))
                let indexes = Set(
                    try connection.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").rows.compactMap
                    { $0[0] })
                #expect(
                    indexes.isSuperset(of: [
                        "membership_newlocaladdress_comrade_id_8212ff70", "membership_comrade_ssn_ba365baf_like",
                        "map_municipalitypostalcode_postal_code_id_9f31a2a9", "membership_newlocaladdress_pkey",
                    ]))
                // Multi-table inheritance: the child's key is the parent's id.
                let key = try connection.query(
                    """
                    SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = \
                    ANY(i.indkey)
                    WHERE i.indrelid = 'membership_newforeignaddress'::regclass AND i.indisprimary
                    """
                ).value(0, 0)
                #expect(key == "newcomradeaddress_ptr_id")
                // The cases §3 describes are there.
                let twoCurrent = try connection.query(
                    """
                    SELECT count(*) FROM (SELECT l.comrade_id FROM membership_newlocaladdress l
                      JOIN membership_newcomradeaddress c ON c.id = l.newcomradeaddress_ptr_id
                      WHERE c."current" AND l.address_id IS NOT NULL GROUP BY l.comrade_id HAVING count(*) > 1) m
                    """
                ).value(0, 0)
                #expect(Int(twoCurrent ?? "0")! > 0)
                for condition in ["l.address_id IS NULL AND c.\"current\"", "NOT c.\"current\""] {
                    let count = try connection.query(
                        """
                        SELECT count(*) FROM membership_newlocaladdress l
                        JOIN membership_newcomradeaddress c ON c.id = l.newcomradeaddress_ptr_id WHERE \(condition)
                        """
                    ).value(0, 0)
                    #expect(Int(count ?? "0")! > 0, "\(condition)")
                }
                let foreign = try connection.query(
                    """
                    SELECT DISTINCT c."current" FROM membership_newforeignaddress f
                    JOIN membership_newcomradeaddress c ON c.id = f.newcomradeaddress_ptr_id ORDER BY 1
                    """
                ).rows.compactMap { $0[0] }
                #expect(foreign == ["f", "t"])
                let cities = try connection.query(
                    "SELECT DISTINCT city FROM membership_simpleaddress WHERE postal_code = '101'"
                ).rows
                #expect(cities.compactMap { $0[0] } == ["Reykjavík"])
                #expect(
                    try connection.query("SELECT count(*) FROM map_municipality WHERE name = 'Reykjavíkurborg'").value(
                        0, 0) == "1")
            }
        }
    }

    @Test func aMissingColumnIsNamedWithItsTableAndWhatNeedsIt() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededDatabase(directory) { url in
                try PostgresConnection(url).execute("ALTER TABLE membership_unionmembership DROP COLUMN union_id")
                let snapshot = try await CutoverBinary.run(
                    ["snapshot", "--source", url, "--out", "snap.sqlite"], directory: directory)
                #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
                #expect(
                    snapshot.stderr.contains(
                        "public.membership_unionmembership.union_id missing, which the register's unions part needs"),
                    "\(snapshot.stderr)")
                let manifest = try SnapshotFile(path: "\(directory)/snap.sqlite").manifest
                #expect(manifest.values["register_missing_columns"] == "membership_unionmembership.union_id")
                #expect(manifest.values["register_absent_tables"] == "")
            }
        }
    }

    @Test func theNightlyRunSaysWhyWhenATableItWritesIsAbsent() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededDatabase(directory) { url in
                try PostgresConnection(url).execute(
                    "SET client_min_messages = warning; DROP TABLE membership_contactinfo CASCADE")
                let run = try await CutoverBinary.run(
                    [
                        "demo", "nightly-run", "--source", url, "--firestore",
                        "embedded:\(directory)/firestore.sqlite", "--json",
                    ], directory: directory)
                #expect(run.exitCode == 0, "\(run.stderr)")
                let text = run.stdout + run.stderr
                #expect(!["DECLARE", "SELECT ", "SQLSTATE", "42P01"].contains { text.contains($0) }, "\(text)")
                #expect(
                    run.stderr.contains("the register has no contact-info table (public.membership_contactinfo absent)")
                )
                // The result inside the --json envelope (README, "JSON output").
                let envelope = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
                let result = envelope?["result"] as? [String: Any] ?? [:]
                // Creates are served from the rest of the register.
                #expect((result["rows_fetched"] as? Int ?? 0) > 0)
            }
        }
    }
}
