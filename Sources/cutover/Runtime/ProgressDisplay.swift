import CutoverSupport
import Foundation

/// Draws a command's progress on standard error, never standard output (which may be the JSON result).
///
/// On a terminal (`tty`) one line is redrawn in place (`\r`, then erase to the end of the line), at most
/// ten times a second. Off a terminal (`plain`) each phase is one line when it starts, and counted
/// progress one line per `interval` (5 s by default): a log file gets a heartbeat with a percentage,
/// not a line per batch; each plain line starts with `… `. `none` draws nothing.
///
/// One per process (`shared`), configured by `OutputOptions` while the arguments are validated: warnings
/// and log lines written meanwhile first take the tty line away (`clearLine`), so they never run into it.
/// The clock and the writer are injected so the throttling is tested without sleeping or a terminal.
final class ProgressDisplay: @unchecked Sendable {
    static let shared = ProgressDisplay()

    /// The default seconds between plain lines: often enough that a stuck job is noticed, rarely enough
    /// that a log stays readable.
    static let defaultInterval = 5.0
    /// The least time between two tty redraws: a terminal does not need more than ten a second.
    static let redrawInterval = 0.1
    /// Starts every plain line, so a log that mixes progress, warnings and errors can be read without the
    /// progress (`grep -v '^… '`), and the first line that is not one is the error.
    static let plainMark = "… "

    // Progress arrives from the command's task and, for the demo's parallel Firestore seed, another.
    private let lock = NSLock()
    private var mode = ProgressMode.none
    private var interval = ProgressDisplay.defaultInterval
    private let clock: ProgressMeter.Clock
    private let write: @Sendable (String) -> Void
    private var lastDrawn: Double?
    private var lineShown = false
    private var label: String?
    private var phase = 0
    private var phaseTotal: Int?

    init(
        clock: @escaping ProgressMeter.Clock = ProgressMeter.monotonic,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.clock = clock
        self.write = write
    }

    func configure(mode: ProgressMode, interval: Double = ProgressDisplay.defaultInterval) {
        lock.withLock {
            self.mode = mode
            self.interval = interval
        }
    }

    /// Numbers the phases that follow: `snapshot 2/5: copying queue table …` (`total` nil: `snapshot 2: …`).
    func phases(_ label: String, total: Int?) {
        lock.withLock {
            self.label = label
            phase = 0
            phaseTotal = total
        }
    }

    /// A phase begins: shown at once in either form. Returns the phase as shown (numbered).
    @discardableResult
    func phase(_ name: String) -> String {
        lock.withLock {
            var text = name
            if let label {
                phase += 1
                text = "\(label) \(phase)" + (phaseTotal.map { "/\($0)" } ?? "") + ": \(name)"
            }
            draw(text, force: true)
            return text
        }
    }

    /// A counted update (`ProgressMeter`'s line): redrawn on a terminal, a line per interval off one.
    func update(_ line: String) {
        lock.withLock { draw(line, force: false) }
    }

    /// Takes the tty line away before other text goes to standard error, and at the end of the command.
    func clearLine() {
        lock.withLock {
            guard lineShown else { return }
            write("\r\u{1B}[K")
            lineShown = false
        }
    }

    private func draw(_ text: String, force: Bool) {
        let safe = TerminalText.escaped(text)
        let now = clock()
        switch mode {
        case .none: return
        case .tty:
            if !force, let lastDrawn, now - lastDrawn < Self.redrawInterval { return }
            write("\r\u{1B}[K" + safe)
            lineShown = true
        case .plain:
            if !force, let lastDrawn, now - lastDrawn < interval { return }
            write(Self.plainMark + safe + "\n")
        }
        lastDrawn = now
    }
}
