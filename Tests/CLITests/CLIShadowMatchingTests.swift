import CutoverCore
import CutoverSupport
import Foundation
import SQLite
import TestSupport
import Testing

/// `shadow compare` matches like Path B sends (issue 18, point 6): a contact-info edit alone takes no
/// delivery, so the member save after it is matched to its own POST instead of reported missing.
/// Rows and deliveries carry set times: no waiting.
struct CLIShadowMatchingTests {
    @Test func contactOnlyEditsFollowedByMemberSavesReportNoMissingWebhook() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 60, queueRows: 200).copy(into: directory, store: .none)
            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readWrite)
            let members = try legacy.query(
                "SELECT id, ssn FROM membership_comrade WHERE ssn NOT LIKE '9999%' ORDER BY id LIMIT 6"
            )
            .map { (id: $0[0].integerValue!, ssn: $0[1].textValue!) }
            let recording = try DeliveryRecording(path: "\(directory)/record.sqlite")
            let start = try #require(Timestamp(parsing: "2026-11-26T10:00:00Z"))
            func at(_ seconds: Double) -> Timestamp {
                Timestamp(microseconds: start.microseconds + Int64(seconds * 1_000_000))
            }
            func row(_ member: (id: Int64, ssn: String), _ fields: String, _ time: Timestamp) throws {
                try legacy.query(
                    """
                    INSERT INTO membership_membersyncqueue (member_id, ssn, action, fields_changed, created_at, \
                    synced_at, sync_status,
                        error_message, retry_count) VALUES (?, ?, 'update', ?, ?, NULL, 'pending', '', 0)
                    """, [.integer(member.id), .text(member.ssn), .text(fields), .text(Self.djangoText(time))])
            }
            func delivery(_ member: (id: Int64, ssn: String), _ time: Timestamp) async throws {
                _ = try await recording.record(
                    receivedAt: time, kennitala: member.ssn, action: "update", status: 200, reason: "", body: "{}")
            }
            for (index, member) in members.prefix(4).enumerated() {
                let offset = Double(index) * 100
                // The e-mail edited alone (no POST), then the name saved 20 s later (its POST 0.3 s after).
                try row(member, #"{"email": "new@example.is"}"#, at(offset))
                try row(member, #"{"name": "Saved"}"#, at(offset + 20))
                try await delivery(member, at(offset + 20.3))
            }
            // Two saves 3 s apart: each takes its own POST, the nearest in time.
            try row(members[4], #"{"name": "First"}"#, at(500))
            try row(members[4], #"{"name": "Second"}"#, at(503))
            try await delivery(members[4], at(500.2))
            try await delivery(members[4], at(503.1))
            // A save whose POST never went out is still a missing webhook.
            try row(members[5], #"{"name": "Lost"}"#, at(600))
            legacy.close()

            let compared = try await CutoverBinary.run(
                [
                    "shadow", "compare", "--source", "sqlite:legacy.sqlite", "--record", "record.sqlite", "--path-a",
                    "embedded:a.sqlite",
                    "--path-b", "embedded:b.sqlite", "--since", at(-60).iso8601, "--until", at(900).iso8601, "--settle",
                    "2s",
                    "--unmask", "--out", "shadow",
                ], directory: directory)
            #expect(compared.exitCode == 11, "\(compared.stdout)\(compared.stderr)")
            // The summary on stdout, the findings in the files.
            #expect(
                compared.stdout.hasPrefix("shadow compare: FAIL")
                    && compared.stdout.contains("reports: shadow/shadow.{json,md,html}"))
            #expect(!compared.stdout.contains("| matched |"))
            let report = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/shadow/shadow.json"))) as? [String: Any])
            let coverage = report["coverage"] as? [String: Int] ?? [:]
            #expect(
                coverage["matched"] == 6 && coverage["not-sent-by-design"] == 4 && coverage["missing-webhook"] == 1,
                "\(coverage) \(report["findings"] ?? "")")
            let missing = (report["findings"] as? [[String: Any]] ?? []).filter {
                $0["kind"] as? String == "missing-webhook"
            }
            #expect(missing.map { $0["member"] as? String } == [members[5].ssn])
        }
    }

    /// `created_at` as Django's SQLite backend stores it (and the demo seeds it): compared as text there.
    static func djangoText(_ time: Timestamp) -> String {
        var text = time.iso8601.replacingOccurrences(of: "T", with: " ")
        if text.hasSuffix("Z") { text.removeLast() }
        return text
    }
}
