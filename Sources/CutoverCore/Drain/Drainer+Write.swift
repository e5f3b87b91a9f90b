import CutoverSupport
import Firestore
import LegacySync

/// The drain's writes to the target: one commit per batch, and per member with retries when that fails.
extension Drainer {
    struct WriteError: Error, Sendable {
        var message: String
        var isPrecondition: Bool
        var fault: DrainTargetFault? = nil
    }

    /// One commit for the whole batch; when it fails, each member on its own with retries, a few at a
    /// time (one member's precondition must not hold the others back).
    static func writeAll(
        _ plans: [MemberDrainPlan], store: any DocumentStore, backoff: DrainBackoff, concurrency: Int
    ) async -> [Result<Void, WriteError>] {
        guard !plans.isEmpty else { return [] }
        if (try? await store.commit(plans.compactMap(\.write))) != nil {
            return plans.map { _ in .success(()) }
        }
        var results = [Result<Void, WriteError>](repeating: .success(()), count: plans.count)
        for start in stride(from: 0, to: plans.count, by: concurrency) {
            let slice = Array(plans.indices[start..<min(start + concurrency, plans.count)])
            await withTaskGroup(of: (Int, Result<Void, WriteError>).self) { group in
                for index in slice {
                    let write = plans[index].write!
                    group.addTask {
                        do {
                            _ = try await backoff.run { try await store.commit([write]) }
                            return (index, .success(()))
                        } catch let error as FirestoreError {
                            let precondition = [.failedPrecondition, .alreadyExists, .notFound].contains(error.status)
                            return (
                                index,
                                .failure(
                                    WriteError(
                                        message: Masker().freeText(error.description), isPrecondition: precondition,
                                        fault: DrainTargetFault(error)))
                            )
                        } catch {
                            return (
                                index,
                                .failure(WriteError(message: Masker().freeText("\(error)"), isPrecondition: false))
                            )
                        }
                    }
                }
                for await (index, result) in group { results[index] = result }
            }
        }
        return results
    }

    var backoff: DrainBackoff {
        DrainBackoff(attempts: configuration.attempts, base: configuration.backoffBase, cap: configuration.backoffCap)
    }
}
