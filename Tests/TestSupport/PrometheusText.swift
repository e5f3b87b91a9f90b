/// Prometheus's text exposition format (0.0.4) read back into samples, for tests that check what a
/// server's `GET /metrics` says. Strict on what it reads: a line that is neither a comment nor
/// `name{labels} value` is an error, so a malformed exposition fails the test instead of reading as 0.
public struct PrometheusText: Sendable {
    public struct Sample: Sendable, Equatable {
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    public struct Malformed: Error, CustomStringConvertible {
        public let line: String
        public var description: String { "not a Prometheus sample line: \(line)" }
    }

    public let samples: [Sample]

    public init(_ text: String) throws {
        samples = try text.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("#") }.map(Self.sample)
    }

    /// The value of the one sample named `name` whose labels include `labels`; nil when there is none.
    /// Two matching samples are ambiguous: the caller named too few labels.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples(name, labels)
        precondition(matching.count <= 1, "\(matching.count) samples of \(name) match \(labels)")
        return matching.first?.value
    }

    /// Every sample named `name` whose labels include `labels`.
    public func samples(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum over every sample named `name` whose labels include `labels` (0 when there is none).
    public func total(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples(name, labels).reduce(0) { $0 + $1.value }
    }

    static func sample(_ line: Substring) throws -> Sample {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            throw Malformed(line: String(line))
        }
        let series = line[..<space]
        guard let brace = series.firstIndex(of: "{") else {
            return Sample(name: String(series), labels: [:], value: value)
        }
        guard series.last == "}" else { throw Malformed(line: String(line)) }
        var labels: [String: String] = [:]
        var rest = series[series.index(after: brace)..<series.index(before: series.endIndex)]
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].first == "\"" else {
                throw Malformed(line: String(line))
            }
            let key = String(rest[..<equals])
            var index = rest.index(equals, offsetBy: 2)
            var text = ""
            while index < rest.endIndex && rest[index] != "\"" {
                if rest[index] == "\\" {
                    index = rest.index(after: index)
                    guard index < rest.endIndex else { throw Malformed(line: String(line)) }
                    text.append(rest[index] == "n" ? "\n" : rest[index])
                } else {
                    text.append(rest[index])
                }
                index = rest.index(after: index)
            }
            guard index < rest.endIndex else { throw Malformed(line: String(line)) }
            labels[key] = text
            rest = rest[rest.index(after: index)...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return Sample(name: String(series[..<brace]), labels: labels, value: value)
    }
}
