import CutoverCore
import CutoverSupport
import Foundation

/// The results as JSON (for tools) and Markdown (for the README).
struct BenchmarkReport {
    let outcomes: [BenchmarkRunner.Outcome]
    let shadow: ShadowLoadCase.Result?
    let machine: MachineDescription

    var json: JSONValue {
        [
            "machine": machine.json,
            "shadow_receiver": shadow.map { result in
                [
                    "sent": .integer(Int64(result.sent)), "answered_200": .integer(Int64(result.answered)),
                    "recorded": .integer(Int64(result.recorded)), "seconds": .double(Self.round(result.seconds, 2)),
                    "deliveries_per_second": .double(Self.round(result.rate, 1)),
                    "p50_ms": .double(Self.round(result.p50, 2)),
                    "p99_ms": .double(Self.round(result.p99, 2)),
                    "target_per_second": .double(ShadowLoadCase.targetRate),
                    "passed": .bool(result.passed),
                ]
            } ?? .null,
            "cases": .array(
                outcomes.map { outcome in
                    [
                        "name": .string(outcome.benchmark.name),
                        "baseline": .string(outcome.benchmark.baseline),
                        "time_ratio": outcome.timeRatio.map { .double(Self.round($0, 3)) } ?? .null,
                        "time_ratio_target": outcome.benchmark.timeRatioTarget.map { .double($0) } ?? .null,
                        "peak_target_mib": outcome.benchmark.peakTargetMiB.map { .integer(Int64($0)) } ?? .null,
                        "passed": outcome.passed.map { .bool($0) } ?? .null,
                        "size_ratio": outcome.sizeRatio.map { .double(Self.round($0, 3)) } ?? .null,
                        "rate": outcome.rate.map { .double(Self.round($0, 1)) } ?? .null,
                        "rate_unit": outcome.benchmark.throughput.map { .string($0.unit) } ?? .null,
                        "rate_target": outcome.benchmark.throughput.map { .double($0.target) } ?? .null,
                        "commands": .array(
                            outcome.results.map { result in
                                [
                                    "label": .string(result.label),
                                    "median_seconds": .double(Self.round(result.medianSeconds, 3)),
                                    "runs_seconds": .array(result.runs.map { .double(Self.round($0.seconds, 3)) }),
                                    "peak_mib": .double(Self.round(result.peakMiB, 1)),
                                    "output_bytes": result.outputBytes.map { .integer(Int64($0)) } ?? .null,
                                ]
                            }),
                    ]
                }),
        ]
    }

    var markdown: String {
        var lines = ["# Benchmark results", "", "Machine: \(machine.summary)", ""]
        lines.append("| case | command | median | peak RSS | output | ratio | target |")
        lines.append("|---|---|---|---|---|---|---|")
        for outcome in outcomes {
            for (index, result) in outcome.results.enumerated() {
                let isSubject = index == 0
                var ratio =
                    isSubject
                    ? outcome.timeRatio.map { String(format: "%.2f× %@", $0, outcome.benchmark.baseline) } ?? "" : ""
                if isSubject, let rate = outcome.rate, let throughput = outcome.benchmark.throughput {
                    ratio = String(format: "%.0f %@", rate, throughput.unit) + (ratio.isEmpty ? "" : "; " + ratio)
                }
                var target = ""
                if isSubject {
                    var parts: [String] = []
                    if let time = outcome.benchmark.timeRatioTarget {
                        parts.append(
                            "≤ \(String(format: "%.1f", time))× " + (outcome.timePassed == true ? "pass" : "FAIL"))
                    }
                    if let peak = outcome.benchmark.peakTargetMiB {
                        parts.append("≤ \(peak) MiB " + (outcome.peakPassed == true ? "pass" : "FAIL"))
                    }
                    if let throughput = outcome.benchmark.throughput {
                        parts.append(
                            String(format: "≥ %.0f %@ ", throughput.target, throughput.unit)
                                + (outcome.ratePassed == true ? "pass" : "FAIL"))
                    }
                    if let size = outcome.benchmark.sizeRatioTarget, let ratio = outcome.sizeRatio {
                        parts.append(
                            String(format: "size %.2f× ≤ %.1f× ", ratio, size)
                                + (outcome.sizePassed == true ? "pass" : "FAIL"))
                    }
                    target = parts.joined(separator: ", ")
                }
                let output = result.outputBytes.map { String(format: "%.1f MB", Double($0) / 1_000_000) } ?? ""
                // A pipe inside a cell would end it.
                let label = result.label.replacingOccurrences(of: "|", with: "\\|")
                lines.append(
                    "| \(isSubject ? outcome.benchmark.name : "") | \(label) | "
                        + String(format: "%.2f s", result.medianSeconds) + " | "
                        + String(format: "%.0f MiB", result.peakMiB)
                        + " | \(output) | \(ratio) | \(target) |")
            }
        }
        if let shadow {
            lines.append("")
            lines.append(
                String(
                    format:
                        "Shadow receiver: %d deliveries sent at %.0f/s, %d answered 200, %d recorded; %.0f "
                        + "deliveries/s over %.1f s; "
                        + "latency p50 %.1f ms, p99 %.1f ms — %@", shadow.sent, ShadowLoadCase.targetRate,
                    shadow.answered, shadow.recorded,
                    shadow.rate, shadow.seconds, shadow.p50, shadow.p99, shadow.passed ? "pass" : "FAIL"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func round(_ value: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}
