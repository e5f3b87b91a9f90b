import Foundation

/// Counts and a rate for progress lines: `drain: 1,200 of 7,000 rows (2,150 rows/s)`.
struct ProgressMeter {
    let started = Date()

    func line(_ label: String, _ done: Int, of total: Int? = nil, unit: String) -> String {
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Int(Double(done) / seconds)
        return "\(label): \(done)" + (total.map { " of \($0)" } ?? "") + " \(unit) (\(rate) \(unit)/s)"
    }
}
