import CutoverSupport

/// Turns what a core type counts (`ProgressCount`) into the display's counted lines, `label: 1,200/7,000 …`.
///
/// A step that counts again from the start — the next phase, another unit, another total — gets a fresh
/// meter: its rate and time left are its own, not averaged with the phase before it. Core types count 0 when a
/// counted phase starts, so the meter's clock starts with the phase.
final class ProgressCounter {
    private let label: String
    private let display: ProgressDisplay
    private let clock: ProgressMeter.Clock
    private var meter: ProgressMeter?
    private var last: ProgressCount?

    init(
        _ label: String, display: ProgressDisplay = .shared,
        clock: @escaping ProgressMeter.Clock = ProgressMeter.monotonic
    ) {
        self.label = label
        self.display = display
        self.clock = clock
    }

    func callAsFunction(_ count: ProgressCount) {
        let restarted = last.map { $0.unit != count.unit || $0.total != count.total || count.done < $0.done } ?? true
        let meter = restarted ? ProgressMeter(clock: clock) : self.meter ?? ProgressMeter(clock: clock)
        self.meter = meter
        last = count
        display.update(meter.line(label, count))
    }
}
