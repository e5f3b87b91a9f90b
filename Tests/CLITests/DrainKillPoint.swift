import Foundation

/// A point in a drain's run where the crash test kills it, told by a line the drain writes to standard
/// error under `-v --progress plain --progress-interval 0` (its log at info and a progress line per batch).
enum DrainKillPoint: CustomStringConvertible {
    /// The journal holds the new drain and its mark; the reverse queue, the reading and every batch are ahead.
    case journalBegun
    /// A rerun is settling what the killed run left in flight (or, with nothing in flight, has just resumed).
    case settlingResumedWrites
    /// This fraction of the run's rows has landed, with the next batches' commits in flight; at 1, every
    /// batch has landed and the journal's finish and the report are left.
    case landed(Double)

    var description: String {
        switch self {
        case .journalBegun: "the journal begun"
        case .settlingResumedWrites: "settling a killed run's writes"
        case .landed(let fraction): "\(Int(fraction * 100))% of the run's rows landed"
        }
    }

    func isCue(_ line: String) -> Bool {
        switch self {
        case .journalBegun:
            return line.contains("mark id")
        case .settlingResumedWrites:
            return line.contains("an interrupted write") || line.contains(", resumed")
        case .landed(let fraction):
            guard let (done, total) = Self.progress(line), total > 0 else { return false }
            return Double(done) >= fraction * Double(total)
        }
    }

    /// `… drain: 1,200/3,480 rows 34% …` → (1200, 3480).
    static func progress(_ line: String) -> (done: Int, total: Int)? {
        guard let range = line.range(of: #"drain: [0-9,]+/[0-9,]+ rows"#, options: .regularExpression) else {
            return nil
        }
        let counts = line[range].dropFirst("drain: ".count).dropLast(" rows".count).split(separator: "/").map {
            Int($0.replacingOccurrences(of: ",", with: ""))
        }
        guard counts.count == 2, let done = counts[0], let total = counts[1] else { return nil }
        return (done, total)
    }
}
