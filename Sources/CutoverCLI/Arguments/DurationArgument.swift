import ArgumentParser

/// A length of time given as `90`, `90s`, `5m` or `1h` (`--settle`, `--match-window`).
struct DurationArgument: ExpressibleByArgument, Sendable {
    let seconds: Int64

    init(seconds: Int64) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        let value: Int64?
        if let last = argument.last, let unit = units[last] {
            value = Int64(argument.dropLast()).flatMap {
                $0.multipliedReportingOverflow(by: unit).overflow ? nil : $0 * unit
            }
        } else {
            value = Int64(argument)
        }
        // At most a hundred years: windows are shifted by it in microseconds, which a larger one overflows.
        guard let value, value >= 0, value <= Int64(OptionRange.maxSeconds) else { return nil }
        seconds = value
    }

    var defaultValueDescription: String { "\(seconds)s" }
}
