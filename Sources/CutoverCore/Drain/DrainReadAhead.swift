import Firestore
import LegacySync

/// The reads of the batches' current documents, made a few batches ahead of their planning: against a
/// target 50 ms away the planning task would otherwise wait one round trip per batch, with the commits
/// idle behind it. A batch is read ahead only when no write to one of its members can land before the
/// batch is planned — none in flight, none in a batch planned before it — so what it reads is what the
/// member's last write left, as a read made at planning time would be.
struct DrainReadAhead {
    typealias Documents = [String: FirestoreDocument]

    let store: any DocumentStore
    let backoff: DrainBackoff
    /// Batches read ahead of the next one to plan (0: only that one, while the planning task waits for a slot).
    let depth: Int
    /// Reads under way, by the batch's first member (a member is in one batch only): the drain takes its
    /// members from the spool a few batches at a time, so an index would not outlive the batch's window.
    private var reads: [String: Task<Documents, any Error>] = [:]

    init(store: any DocumentStore, backoff: DrainBackoff, depth: Int) {
        self.store = store
        self.backoff = backoff
        self.depth = max(0, depth)
    }

    /// Starts the reads of the batch starting at `next` and the `depth` batches after it, those that may
    /// start: called before the planning task waits for a free commit slot, so the waits overlap.
    /// - Parameter busy: members whose write is in flight.
    mutating func readAhead(
        _ members: [(kennitala: String, rows: [QueueRow])], after next: Int, batchSize: Int, busy: Set<String>
    ) {
        // Members whose write may still come: in flight, or in a batch between `next` and the one read.
        var pending = busy
        var start = next
        for _ in 0...depth {
            guard start < members.count else { return }
            let end = min(start + batchSize, members.count)
            let batch = members[start..<end].map(\.kennitala)
            if reads[batch[0]] == nil && pending.isDisjoint(with: batch) {
                reads[batch[0]] = read(batch)
            }
            pending.formUnion(batch)
            start = end
        }
    }

    /// The documents of `batch` (found by its first member): the read made ahead, else one made now.
    mutating func documents(of batch: ArraySlice<(kennitala: String, rows: [QueueRow])>) async throws -> Documents {
        if let first = batch.first?.kennitala, let ahead = reads.removeValue(forKey: first) {
            return try await ahead.value
        }
        return try await read(batch.map(\.kennitala)).value
    }

    /// Waits for the reads no batch will use (the drain stopped early), their results dropped. They are
    /// not cancelled: cancelling a request in flight can crash FoundationNetworking's URLSession ("Trying
    /// to access a behaviour for a task that in not in the registry", swift-corelibs-foundation #3292 and
    /// #3296), which a drain stopping against a failing target did in a fresh-clone test run.
    mutating func finishAll() async {
        for read in reads.values { _ = try? await read.value }
        reads = [:]
    }

    private func read(_ kennitalas: [String]) -> Task<Documents, any Error> {
        let (store, backoff) = (store, backoff)
        let paths = kennitalas.map { DocumentPath.member($0) }
        return Task { try await backoff.run { try await store.batchGet(paths) } }
    }
}
