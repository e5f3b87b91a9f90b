extension FaultInjection {
    /// The `fault` label of an injected fault: `http_503`, `drop`, `malformed`, `latency`.
    static func label(_ decision: Decision) -> String? {
        switch decision {
        case .proceed: nil
        case .fail(let status): "http_\(status)"
        case .drop: "drop"
        case .malformed: "malformed"
        }
    }

    /// The faults this configuration can inject, each a `fault` label shown at 0 before it happens.
    var kinds: [String] {
        var kinds = failureRates.filter { $0.fraction > 0 }.map { "http_\($0.status)" }
        if dropRate > 0 { kinds.append("drop") }
        if malformedRate > 0 { kinds.append("malformed") }
        if latency > 0 { kinds.append("latency") }
        return kinds
    }
}
