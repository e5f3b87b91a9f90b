import CutoverSupport
import DocumentParity
import Firestore
import LegacySync
import Snapshots

/// `cutover parity replay`: feeds both paths' models the same change stream from a snapshot — the
/// queue rows not yet synced, in order; for Path B the webhook payloads Django would have sent, built
/// from the member register — each on its own copy of the snapshot's Firestore baseline, then
/// compares the resulting documents member by member under the rules. An A/A run (Path A again under
/// another clock) measures the noise the rules must ignore.
public struct ParityReplay: Sendable {
    public struct Configuration: Sendable {
        public var snapshotPath: String
        public var rules: ParityRules
        public var masker: Masker
        /// The key of the tags beside masked kennitalas; nil: `CUTOVER_TAG_KEY`, else derived from the
        /// snapshot's register (`MemberTag`).
        public var memberTag: MemberTag?
        /// The members and rows to replay (a drill-down); by default all of them.
        public var scope: ReplayScope

        public init(
            snapshotPath: String, rules: ParityRules, masker: Masker = Masker(), memberTag: MemberTag? = nil,
            scope: ReplayScope = .everything
        ) {
            self.snapshotPath = snapshotPath
            self.rules = rules
            self.masker = masker
            self.memberTag = memberTag
            self.scope = scope
        }
    }

    /// How far the A/A run's clock is from Path A's: any field that differs between the two is a time.
    static let noiseClockOffsetMicroseconds: Int64 = 3_600_012_345

    public let configuration: Configuration

    /// Touched members replayed together, and per task.
    static let batchSize = 256
    static let sliceSize = 64

    struct Outcome: Sendable {
        var member: MemberChanges
        var result: MemberReplay.Result
        var comparison: MemberComparison?
        var noise: MemberComparison?
    }

    public init(_ configuration: Configuration) { self.configuration = configuration }

    public func run(progress: (_ members: Int, _ rows: Int) -> Void = { _, _ in }) async throws -> ParityReport {
        let snapshot = try SnapshotFile(path: configuration.snapshotPath)
        // Every table, before any is read: a replay of changed rows would prove something about another system.
        try SnapshotContentCheck(snapshot).require()
        // Without either input the replay still runs (its counts show what it could see), but it can only
        // be inconclusive: Path B is built from the register, and both paths start from the baseline.
        var inputsMissing: [String] = []
        if snapshot.manifest.values["firestore_collections"]?.contains(CollectionName.members.rawValue) != true {
            inputsMissing.append(
                "the snapshot holds no Firestore baseline (members) for both paths to start from: "
                    + "take the snapshot with --firestore STORE")
        }
        if snapshot.manifest.table("register_members") == nil {
            inputsMissing.append(
                "the snapshot holds no member register, from which Path B's webhook calls are built: "
                    + "take the snapshot without --no-register")
        }
        let (since, runAt) = try Self.pathAClock(snapshot)
        let noiseRunAt = Timestamp(microseconds: runAt.microseconds + Self.noiseClockOffsetMicroseconds)
        let replay = MemberReplay(since: since, runAt: runAt)
        let noiseReplay = MemberReplay(since: since, runAt: noiseRunAt)
        let comparer = DocumentComparer(rules: configuration.rules)
        let raw = DocumentComparer(rules: .none)
        // The replay never reads the live register: what its source lacked comes from the manifest.
        let absences = RegisterAbsenceTally.fromManifest(snapshot.manifest.values)
        var said: Set<String> = []
        for absence in absences where said.insert(absence.cause).inserted {
            // A part absent because another is (the city without the local address) has that one's cause: said once.
            Log.register.warning("the snapshot's source: \(absence.cause): \(absence.part.consequence)")
        }
        let memberTag = try configuration.memberTag ?? MemberTag.fromEnvironment() ?? Self.memberTag(of: snapshot)
        let display = FieldValueDisplay(masker: configuration.masker, memberTag: memberTag)
        let scope = configuration.scope
        var builder = try ParityReportBuilder(
            rules: configuration.rules, display: display,
            setting: .init(
                snapshotID: snapshot.manifest.snapshotID, snapshotSourceReadAt: runAt.iso8601,
                queueTable: snapshot.manifest.values["queue_table"] ?? "",
                sourceIdentity: snapshot.manifest.sourceIdentity, rulesOrigin: configuration.rules.origin,
                pathASince: since, pathARunAt: runAt, noiseRunAt: noiseRunAt, masked: !configuration.masker.unmasked,
                memberTagOrigin: memberTag.origin,
                scope: scope.isRestricted ? scope.description(naming: display.member) : nil),
            absences: absences)

        Log.parity.info(
            """
            replay of snapshot \(snapshot.manifest.snapshotID): Path A's run at \(runAt.iso8601), since \
            \(since.iso8601)
            """
        )
        let stream = try ReplayChangeStream(snapshot: snapshot)
        var members = 0
        var batch: [ReplayChangeStream.Unparsed] = []
        // Members are independent: a batch is replayed in parallel slices while the stream reads the next
        // one and the batch before is added to the report — in kennitala order, so the report does not
        // depend on scheduling. (Adding and reading ran alone before, leaving a core idle.)
        @Sendable func replayed(_ batch: [ReplayChangeStream.Unparsed]) -> Task<[Outcome], any Error> {
            Task {
                let slices = stride(from: 0, to: batch.count, by: Self.sliceSize).map {
                    batch[$0..<min($0 + Self.sliceSize, batch.count)]
                }
                return try await withThrowingTaskGroup(of: (Int, [Outcome]).self) { group in
                    for (index, slice) in slices.enumerated() {
                        group.addTask {
                            var outcomes: [Outcome] = []
                            for unparsed in slice {
                                let member = try unparsed.parsed()
                                let result = await replay.run(member)
                                let noise = await noiseReplay.runPathA(member)
                                outcomes.append(
                                    Outcome(
                                        member: member, result: result,
                                        comparison: comparer.compare(
                                            kennitala: member.kennitala, a: result.pathA, b: result.pathB,
                                            events: result.pathAEvents + result.pathBEvents),
                                        noise: raw.compare(
                                            kennitala: member.kennitala, a: result.pathA, b: noise.document, events: [])
                                    ))
                            }
                            return (index, outcomes)
                        }
                    }
                    var ordered = [[Outcome]](repeating: [], count: slices.count)
                    for try await (index, outcomes) in group { ordered[index] = outcomes }
                    return ordered.flatMap { $0 }
                }
            }
        }
        var inFlight: Task<[Outcome], any Error>?
        func flush() async throws {
            let next = batch.isEmpty ? nil : replayed(batch)
            batch.removeAll(keepingCapacity: true)
            if let previous = inFlight {
                for outcome in try await previous.value {
                    try builder.add(outcome.member, outcome.result, outcome.comparison, noise: outcome.noise)
                }
            }
            inFlight = next
        }
        while var unparsed = try stream.next() {
            members += 1
            if members % 1_000 == 0 { progress(members, stream.rowsRead) }
            guard let member = scope.restrict(unparsed.member) else { continue }
            unparsed.member = member
            guard !unparsed.member.rows.isEmpty else {
                builder.addUntouched(unparsed.member)  // only counted: order does not matter
                continue
            }
            batch.append(unparsed)
            if batch.count == Self.batchSize { try await flush() }
        }
        try await flush()  // the last batch goes in flight, the one before is added
        try await flush()  // the last batch is added
        progress(members, stream.rowsRead)
        return try builder.finish(problems: stream.problems, inputsMissing: inputsMissing)
    }

    /// Derived from every kennitala of the snapshot's register: the same snapshot tags a member alike in
    /// every report, and only a holder of that register (who has the kennitalas anyway) can derive the
    /// key. Without a register, this run's random key.
    /// Path A's next run happens at the snapshot's moment; `since` comes from the captured run logs.
    static func pathAClock(_ snapshot: SnapshotFile) throws -> (since: Timestamp, runAt: Timestamp) {
        guard let runAt = snapshot.manifest.values["source_read_at"].flatMap(Timestamp.init(parsing:)) else {
            throw CutoverError(.input, "\(snapshot.path) has no readable source_read_at in its manifest")
        }
        let since =
            LastSuccessfulRun.find(in: try snapshot.firestoreDocuments(CollectionName.syncLogs.rawValue))
            ?? runAt.adding(seconds: -86_400)
        return (since, runAt)
    }

    static func memberTag(of snapshot: SnapshotFile) throws -> MemberTag {
        guard snapshot.manifest.table("register_members") != nil else { return .perRun }
        let kennitalas = try snapshot.database.query("SELECT ssn FROM register_members ORDER BY member_id").map {
            $0[0].textValue ?? ""
        }
        return .derived(fromKennitalas: kennitalas, of: "the register of snapshot \(snapshot.manifest.snapshotID)")
    }
}
