import Testing

@testable import CutoverCLI

/// One malloc arena is for `drain` alone (it bounds the drain's memory and slows CPU-bound commands):
/// found as the first word that is not an option, past `--config FILE`.
struct MallocArenasTests {
    @Test func onlyTheDrainCommandSharesOneArena() {
        #expect(MallocArenas.wanted(for: ["drain", "--source", "sqlite:x"]))
        #expect(MallocArenas.wanted(for: ["--config", "cutover.yaml", "drain"]))
        #expect(MallocArenas.wanted(for: ["-v", "drain"]))
        #expect(!MallocArenas.wanted(for: ["snapshot", "--out", "drain"]))
        #expect(!MallocArenas.wanted(for: ["--config", "drain", "snapshot"]))
        #expect(!MallocArenas.wanted(for: ["rehearse"]))
        #expect(!MallocArenas.wanted(for: []))
    }
}
