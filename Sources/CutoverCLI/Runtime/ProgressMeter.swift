import CutoverSupport
import Foundation

/// Count, percentage, rate and time left for one counted step:
/// `drain: 1,200/7,000 rows 17% 2,150 rows/s ETA 0:03`.
///
/// The clock is injected (seconds on any monotonic scale) so the rate and the ETA are tested with a clock
/// a test moves, without sleeping. The rate is generic — whatever the caller counts, per second — so a
/// step that changes its own speed (the drain's) shows the speed it has now, not its average since the
/// start: it is measured over the last `window` seconds once that much has passed.
struct ProgressMeter {
    /// Seconds on a monotonic scale: the meter only subtracts readings.
    typealias Clock = @Sendable () -> Double

    /// The process's monotonic clock (wall-clock changes do not make a rate negative).
    static let monotonic: Clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private let clock: Clock
    private let started: Double
    private let window: Double
    // Mutable through a class so a meter captured by a progress closure can still slide its window.
    private final class Samples { var list: [(time: Double, done: Int)] = [] }
    private let samples = Samples()

    init(clock: @escaping Clock = ProgressMeter.monotonic, window: Double = 10) {
        self.clock = clock
        self.started = clock()
        self.window = window
    }

    /// What the meter shows for `done` of `total` now.
    struct Reading: Equatable {
        var done: Int
        var total: Int?
        /// Per second; nil until some time has passed.
        var rate: Double?
        /// 0…100, when the total is known.
        var percent: Int?
        /// Seconds left at the current rate, when the total and a rate are known.
        var secondsLeft: Double?
        /// The total is an estimate: the percentage and the time left are shown with `~`.
        var estimated = false
    }

    func reading(_ done: Int, of total: Int? = nil, estimated: Bool = false) -> Reading {
        let now = clock()
        samples.list.append((now, done))
        // Keep one sample at or before the window's start, so the rate covers a whole window.
        while samples.list.count > 2, now - samples.list[1].time >= window { samples.list.removeFirst() }
        let since = now - started >= window ? samples.list[0] : (time: started, done: 0)
        let seconds = now - since.time
        let rate = seconds > 0.000_1 ? Double(max(done - since.done, 0)) / seconds : nil
        let percent = total.map { $0 > 0 ? min(100, done * 100 / $0) : 100 }
        var left: Double?
        if let total, let rate, rate > 0 { left = Double(max(total - done, 0)) / rate }
        return Reading(
            done: done, total: total, rate: rate, percent: percent, secondsLeft: left,
            estimated: estimated && total != nil)
    }

    /// The line for what a core type counted: `archive verify: 12.6/40.2 MB 31% 3.1 MB/s ETA 0:09`, or with an
    /// estimated total `verify: 40,000/~100,000 documents ~40% 3,100 documents/s ETA ~0:20`.
    func line(_ label: String, _ count: ProgressCount) -> String {
        Self.text(label, reading(count.done, of: count.total, estimated: count.totalIsEstimate), unit: count.unit)
    }

    /// The line for `done` (of `total`) `unit`, e.g. `verify: 40,000 documents 3,100 documents/s`.
    func line(_ label: String, _ done: Int, of total: Int? = nil, unit: String) -> String {
        Self.text(label, reading(done, of: total), unit: unit)
    }

    static func text(_ label: String, _ reading: Reading, unit: String) -> String {
        let about = reading.estimated ? "~" : ""
        let bytes = unit == ProgressCount.bytes
        func amount(_ number: Int) -> String { bytes ? megabytes(Double(number)) : grouped(number) }
        let shownUnit = bytes ? "MB" : unit
        var parts = [
            "\(label): \(amount(reading.done))" + (reading.total.map { "/\(about)\(amount($0))" } ?? "")
                + " \(shownUnit)"
        ]
        if let percent = reading.percent { parts.append("\(about)\(percent)%") }
        if let rate = reading.rate {
            parts.append((bytes ? megabytes(rate) : grouped(Int(rate.rounded()))) + " \(shownUnit)/s")
        }
        if reading.total != nil { parts.append("ETA " + (reading.secondsLeft.map { about + duration($0) } ?? "--:--")) }
        return parts.joined(separator: " ")
    }

    /// 12_582_912 bytes → `12.6`: archives and files are counted in bytes and read in megabytes (10⁶, as
    /// `ls -lh --si` and disk makers count them).
    static func megabytes(_ bytes: Double) -> String { String(format: "%.1f", bytes / 1_000_000) }

    /// 1234567 → `1,234,567`: counts in the millions stay readable at a glance.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (number < 0 ? "-" : "") + text
    }

    /// `0:07`, `12:30`, `2:05:00`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(min(seconds, 359_999).rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        let tail = String(format: "%02d", rest)
        return hours > 0 ? "\(hours):" + String(format: "%02d", minutes) + ":\(tail)" : "\(minutes):\(tail)"
    }
}
