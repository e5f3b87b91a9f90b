import CutoverSupport
import Foundation

/// Draws a command's progress on standard error, never standard output (which may be the JSON result).
///
/// On a terminal (`tty`) one line is redrawn in place (`\r`, then erase to the end of the line), at most
/// ten times a second. Off a terminal (`plain`) each phase is one line when it starts, and counted
/// progress one line per `interval` (5 s by default): a log file gets a heartbeat with a percentage,
/// not a line per batch; each plain line starts with `… `. `none` draws nothing.
///
/// A plain phase that reports nothing for an interval still gets a line: a timer started with the phase
/// (`HeartbeatTimer`) writes `… snapshot 3/5: hashing, 41 s` — with the phase's last count when it had
/// one — whenever no line was written for `interval`, and is cancelled when the next phase begins or the
/// command ends (`finish`), so a log shows a long step is alive and how long it has taken.
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
    private let startHeartbeat: HeartbeatTimerFactory
    private var heartbeat: (any HeartbeatTimer)?
    // The phase running now (as shown), since when, and its last counted line; `beat` numbers the phases, so a
    // tick of a timer cancelled while it ran does not speak for the phase after it.
    private var running: (text: String, since: Double, beat: Int)?
    private var lastUpdate: String?
    private var beats = 0

    init(
        clock: @escaping ProgressMeter.Clock = ProgressMeter.monotonic,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        heartbeat: @escaping HeartbeatTimerFactory = DispatchHeartbeatTimer.factory
    ) {
        self.clock = clock
        self.write = write
        self.startHeartbeat = heartbeat
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
            stopHeartbeat()
            draw(text, force: true)
            if mode == .plain {
                beats += 1
                let beat = beats
                running = (text, clock(), beat)
                // Ticks twice an interval: a line is due at most half an interval late after the last one. Never
                // faster than a hundred a second, whatever a test's --progress-interval says.
                heartbeat = startHeartbeat(max(interval / 2, 0.01)) { [weak self] in self?.tick(beat) }
            }
            return text
        }
    }

    /// A counted update (`ProgressMeter`'s line): redrawn on a terminal, a line per interval off one.
    func update(_ line: String) {
        lock.withLock {
            lastUpdate = line
            draw(line, force: false)
        }
    }

    /// The phase running now has ended with nothing after it (a follow loop going to sleep): its heartbeat
    /// stops.
    func endPhase() {
        lock.withLock { stopHeartbeat() }
    }

    /// The command ends: the heartbeat stops and the tty line is taken away.
    func finish() {
        endPhase()
        clearLine()
    }

    /// Takes the tty line away before other text goes to standard error, and at the end of the command.
    func clearLine() {
        lock.withLock {
            guard lineShown else { return }
            write("\r\u{1B}[K")
            lineShown = false
        }
    }

    /// The heartbeat: a plain line for the running phase when none was written for an interval.
    private func tick(_ beat: Int) {
        lock.withLock {
            guard mode == .plain, let running, running.beat == beat else { return }
            let now = clock()
            if let lastDrawn, now - lastDrawn < interval { return }
            let seconds = now - running.since
            let elapsed = seconds < 60 ? "\(Int(seconds)) s" : ProgressMeter.duration(seconds)
            let text = "\(running.text), \(elapsed)" + (lastUpdate.map { " · \($0)" } ?? "")
            write(Self.plainMark + TerminalText.escaped(text) + "\n")
            lastDrawn = now
        }
    }

    private func stopHeartbeat() {
        heartbeat?.cancel()
        heartbeat = nil
        running = nil
        lastUpdate = nil
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
