import CutoverCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The shadow receiver under a steady load from a local generator: deliveries/s answered, p50 and
/// p99 latency, and whether every delivery was recorded.
struct ShadowLoadCase {
    let cutover: String
    let work: String

    struct Result {
        let sent: Int
        let answered: Int
        let recorded: Int
        let seconds: Double
        let p50: Double
        let p99: Double
        let rate: Double

        var passed: Bool { answered == sent && recorded == sent && rate >= ShadowLoadCase.targetRate * 0.98 }
    }

    static let targetRate = 500.0

    func measure(seconds: Int) async throws -> Result {
        let record = "\(work)/shadow-load.sqlite"
        try? FileManager.default.removeItem(atPath: record)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: cutover)
        server.arguments = ["shadow", "serve", "--listen", "127.0.0.1:0", "--record", record]
        server.environment = ["SYNC_API_KEY": "bench-key", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard
            let range = String(decoding: line, as: UTF8.self).range(
                of: "http://[0-9.]+:[0-9]+", options: .regularExpression)
        else { server.terminate(); throw BenchError("shadow serve did not start") }
        let url = URL(string: String(String(decoding: line, as: UTF8.self)[range]))!
        print("== shadow receiver: \(Int(Self.targetRate)) deliveries/s for \(seconds) s")

        let total = Int(Self.targetRate) * seconds
        let session = URLSession(configuration: .ephemeral)
        let start = Date()
        let latencies = try await withThrowingTaskGroup(of: Double?.self) { group in
            for index in 0..<total {
                let wait = start.addingTimeInterval(Double(index) / Self.targetRate).timeIntervalSinceNow
                if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
                group.addTask {
                    var request = URLRequest(url: url)
                    request.httpMethod = "POST"
                    request.setValue("Bearer bench-key", forHTTPHeaderField: "Authorization")
                    request.httpBody = Data(
                        (#"{"kennitala":"010170-2389","action":"update","#
                            + #""data":{"ssn":"0101702389","name":"Load \#(index)"}}"#).utf8)
                    let sent = Date()
                    guard let (_, response) = try? await session.data(for: request),
                        (response as? HTTPURLResponse)?.statusCode == 200
                    else { return nil }
                    return Date().timeIntervalSince(sent)
                }
            }
            var latencies: [Double] = []
            for try await latency in group { if let latency { latencies.append(latency) } }
            return latencies
        }
        let elapsed = Date().timeIntervalSince(start)
        server.terminate()
        server.waitUntilExit()
        let recorded = try await DeliveryRecording(path: record).count()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        return Result(
            sent: total, answered: latencies.count, recorded: recorded, seconds: elapsed, p50: percentile(0.5) * 1000,
            p99: percentile(0.99) * 1000, rate: Double(latencies.count) / elapsed)
    }
}
