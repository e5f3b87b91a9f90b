import CutoverCore
import Foundation
import TestSupport
import Testing

/// The document-store behaviour suite against Google's own Firestore emulator, through the project's
/// REST client, each test under its own real-looking project id. The emulator is the reference: where
/// the local server answered differently, the local server was changed (README, "The local server
/// and Google's emulator"). Skipped, with the reason, where the test script could not start it.
@Suite(.enabled(if: TestEmulator.isConfigured, Comment(rawValue: TestEmulator.skipReason)))
struct EmulatorBehaviourTests {
    let contract = DocumentStoreBehaviourTests()

    @Test func getSetAndServerTimes() async throws { try await contract.getSetAndServerTimes(.emulator) }
    @Test func updateMasksAndMerge() async throws { try await contract.updateMasksAndMerge(.emulator) }
    @Test func preconditions() async throws { try await contract.preconditions(.emulator) }
    @Test func serverTimeTransformsAndUpdateTimes() async throws {
        try await contract.serverTimeTransformsAndUpdateTimes(.emulator)
    }
    @Test func commitsAreAtomic() async throws { try await contract.commitsAreAtomic(.emulator) }
    @Test func commitEachAppliesEveryCommitInOrder() async throws {
        try await contract.commitEachAppliesEveryCommitInOrder(.emulator)
    }
    @Test func documentTextsMatchTheDecodedDocuments() async throws {
        try await contract.documentTextsMatchTheDecodedDocuments(.emulator)
    }
    @Test func pagingBatchGetAndReset() async throws { try await contract.pagingBatchGetAndReset(.emulator) }
    @Test func theLegacyQueries() async throws { try await contract.theLegacyQueries(.emulator) }
    @Test func everyValueKindSurvivesTheStore() async throws {
        try await contract.everyValueKindSurvivesTheStore(.emulator)
    }
    @Test func oversizedDocumentsAreRefused() async throws {
        try await contract.oversizedDocumentsAreRefused(.emulator)
    }
    @Test func projectsAreSeparateNamespaces() async throws {
        try await ProjectNamespaceTests().projectsAreSeparateNamespaces(.emulator)
    }
    @Test func wireAnswersMatch() async throws { try await WireBehaviourTests().wireAnswersMatch(.emulator) }
}
