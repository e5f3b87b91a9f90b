import CutoverSupport
import LegacySync

/// A drill-down: the members (`--member`, repeatable) and the queue rows' `created_at` window
/// (`--since` inclusive, `--until` exclusive) a replay, a verify or a drain's dry run is restricted to.
/// A restricted run says so in every report, and its verdict speaks for those members and rows only:
/// no gate accepts it.
public struct ReplayScope: Sendable, Equatable {
    /// Normalised kennitalas (no hyphen); empty: every member.
    public var members: Set<String>
    public var since: Timestamp?
    public var until: Timestamp?

    public init(members: [String] = [], since: Timestamp? = nil, until: Timestamp? = nil) throws {
        for member in members where !Kennitala.isWellFormed(member) {
            throw CutoverError(
                .input, "--member \(Masker().kennitala(member)) is not a kennitala (10 digits, or DDMMYY-NNNN)")
        }
        if let since, let until, until <= since {
            throw CutoverError(.input, "--until \(until.iso8601) is not after --since \(since.iso8601)")
        }
        self.members = Set(members.map(Kennitala.normalised))
        self.since = since
        self.until = until
    }

    /// Every member, every row.
    public static let everything = try! ReplayScope()

    public var isRestricted: Bool { !members.isEmpty || since != nil || until != nil }
    public var hasWindow: Bool { since != nil || until != nil }

    /// Whether `kennitala` (normalised) is one of the chosen members, or no member was chosen.
    func admits(_ kennitala: String) -> Bool { members.isEmpty || members.contains(kennitala) }

    /// The rows in the window; a member outside the scope, or with no row in a window, is left out.
    func restrict(_ member: MemberChanges) -> MemberChanges? {
        guard members.isEmpty || members.contains(member.kennitala) else { return nil }
        guard since != nil || until != nil else { return member }
        var member = member
        member.rows = member.rows.filter(contains)
        return member.rows.isEmpty ? nil : member
    }

    func contains(_ row: QueueRow) -> Bool {
        (since.map { row.createdAt >= $0 } ?? true) && (until.map { row.createdAt < $0 } ?? true)
    }

    /// "2 members (010170-**** 5c0e19a2, …); rows created from … until …", for the reports; `rows` names
    /// what the window selects (verify: "members with queue rows").
    func description(naming name: (String) -> String, rows: String = "rows") -> String {
        var parts: [String] = []
        if !members.isEmpty {
            let names = members.sorted().map(name).joined(separator: ", ")
            parts.append("\(members.count) member\(members.count == 1 ? "" : "s") (\(names))")
        }
        switch (since, until) {
        case (let since?, let until?): parts.append("\(rows) created from \(since.iso8601) until \(until.iso8601)")
        case (let since?, nil): parts.append("\(rows) created from \(since.iso8601)")
        case (nil, let until?): parts.append("\(rows) created before \(until.iso8601)")
        case (nil, nil): break
        }
        return parts.joined(separator: "; ")
    }
}
