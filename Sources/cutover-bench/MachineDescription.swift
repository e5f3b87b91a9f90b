import CutoverCore
import CutoverSupport
import Foundation

/// What the numbers were measured on.
struct MachineDescription {
    let cpu: String
    let cores: Int
    let memoryGiB: Int
    let system: String
    let date: String

    static func current() -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let osRelease = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let pretty =
            osRelease.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }?
            .dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? "unknown OS"
        let now = Timestamp(microseconds: Int64(Date().timeIntervalSince1970) * 1_000_000)
        return MachineDescription(
            cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: Int((Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824).rounded()),
            system: pretty, date: now.iso8601)
    }

    var summary: String { "\(cores) cores (\(cpu)), \(memoryGiB) GiB, \(system), measured \(date)" }

    var json: JSONValue {
        [
            "cpu": .string(cpu), "cores": .integer(Int64(cores)), "memory_gib": .integer(Int64(memoryGiB)),
            "system": .string(system), "date": .string(date),
        ]
    }
}
