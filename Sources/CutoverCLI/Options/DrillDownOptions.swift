import ArgumentParser
import CutoverCore
import CutoverSupport

/// `--member` (repeatable), `--since` and `--until`: restrict a command (`parity replay`, `verify`, `drain
/// --dry-run`) to some members and to the queue rows created in a window, to look closely at them. The
/// reports say what they were restricted to.
struct DrillDownOptions: ParsableArguments {
    @Option(
        name: .customLong("member"),
        help: ArgumentHelp("Only this member (a kennitala; repeatable).", valueName: "KENNITALA"))
    var members: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only queue rows created at or after TIME (ISO 8601; the rows' created_at; verify: the members with "
                + "such a row).", valueName: "TIME"))
    var since: Timestamp?

    @Option(help: ArgumentHelp("Only queue rows created before TIME (ISO 8601).", valueName: "TIME"))
    var until: Timestamp?

    func scope() throws -> ReplayScope { try ReplayScope(members: members, since: since, until: until) }
}
