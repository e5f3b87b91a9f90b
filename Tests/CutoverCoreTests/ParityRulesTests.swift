import CutoverCore
import DocumentParity
import Testing

/// The rules file: the shipped one parses; every mistake names its line.
struct ParityRulesTests {
    @Test func theShippedRulesParse() throws {
        let rules = ParityRules.shipped()
        #expect(rules.correspondences.count == 6)
        #expect(rules.mappings["gender"]?[.integer(2)] == "female")
        #expect(rules.ignore("metadata.last_sync") != nil && rules.ignore("profile.name") == nil)
        #expect(rules.acceptances.allSatisfy { !$0.reason.isEmpty })
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try ParityRules(yaml: yaml, origin: "rules.yaml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aSyntaxErrorNamesItsLine() {
        let message = error("version: 1\nignore:\n  - path: metadata.last_sync\n    reason: [unclosed\n")
        #expect(message.contains("rules.yaml line 5") || message.contains("rules.yaml line 4"), "\(message)")
        #expect(message.contains("YAML syntax error"))
    }

    @Test func anUnknownFieldPathNamesItsLine() {
        let message = error("version: 1\naccept:\n  - path: profile.adress\n    reason: typo\n")
        #expect(message.contains("rules.yaml line 3: unknown field path 'profile.adress'"), "\(message)")
        let correspondence = error("version: 1\ncorrespondences:\n  - a: kennitala\n    b: profile.ssn\n")
        #expect(correspondence.contains("line 4: unknown field path 'profile.ssn'"), "\(correspondence)")
    }

    @Test func otherMistakesNameTheirLines() {
        #expect(error("version: 1\nignored:\n  - path: metadata\n").contains("line 2: unknown key 'ignored'"))
        #expect(error("version: 1\nignore:\n  - path: metadata.last_sync\n").contains("line 3: missing reason"))
        #expect(
            error("version: 1\naccept:\n  - cause: path-a-late\n    reason: x\n").contains(
                "line 3: unknown cause 'path-a-late'"))
        #expect(
            error("version: 1\ncorrespondences:\n  - a: profile.gender\n    b: profile.gender\n    map: sex\n")
                .contains("line 3: unknown mapping 'sex'"))
        #expect(error("version: 2\n").contains("line 1: version must be 1"))
    }

    @Test func patternsCoverTheirSubtrees() {
        #expect(FieldPattern("profile.address").covers("profile.address.city"))
        #expect(FieldPattern("metadata.*").covers("metadata.last_sync"))
        #expect(!FieldPattern("profile.address").covers("profile.addresses"))
        #expect(!FieldPattern("profile.address.city").covers("profile.address"))
    }
}
