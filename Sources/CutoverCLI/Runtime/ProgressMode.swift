import ArgumentParser

/// How progress is shown on standard error (`--progress`).
enum ProgressMode: String, CaseIterable, ExpressibleByArgument {
    /// One line redrawn in place: for a person watching a terminal.
    case tty
    /// A line per phase and one every few seconds: for a log file or a CI job.
    case plain
    /// Nothing.
    case none

    /// `tty` when standard error is a terminal, else `plain` — as the operator would choose.
    static var automatic: ProgressMode { Terminal.errorIsTerminal ? .tty : .plain }
}
