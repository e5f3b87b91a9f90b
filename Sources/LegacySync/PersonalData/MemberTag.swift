import Digest
import Foundation

/// A short keyed tag printed beside a masked kennitala (`010297-**** kqz`), so two members born on
/// the same day stay apart in a report while neither's hidden digits show.
///
/// The mask hides the last 4 digits; the tag is those 4 digits through a keyed permutation of
/// 0000–9999 — an 8-round Feistel network on two 2-digit halves whose round function is HMAC-SHA-256
/// under the key, tweaked by the birth date — written as 3 letters. A permutation, so within one birth
/// date every serial has its own tag: two members never print alike. Keyed, because a plain hash would
/// hide nothing (a birth date has 10,000 serials to try); without the key the tag says nothing of the
/// serial. (A hash prefix was tried first: 32 bits gave two of one birth date's 10,000 serials the same
/// tag under one of the two keys the test uses.)
///
/// Where the key comes from, first found:
/// 1. `CUTOVER_TAG_KEY` in the environment (any text): tags then match across runs and machines that
///    share it;
/// 2. a parity replay: a digest of every kennitala in the snapshot's register, so every report of one
///    snapshot tags a member alike, and only someone who holds that register can derive the key;
/// 3. otherwise a random key drawn once per process: the reports of one run agree with each other.
public struct MemberTag: Sendable {
    /// Names the environment variable operators set to share tags between runs.
    public static let environmentVariable = "CUTOVER_TAG_KEY"

    public let key: [UInt8]
    /// Where the key came from, for the reports' settings.
    public let origin: String

    public init(key: [UInt8], origin: String) {
        self.key = key
        self.origin = origin
    }

    /// What the reports' settings say about the tags.
    public var explanation: String { Self.explanation(keyOrigin: origin) }

    public static func explanation(keyOrigin: String) -> String {
        "3 letters, a keyed permutation of the hidden digits (unique within a birth date); key \(keyOrigin)"
    }

    /// The 3 letters beside a masked kennitala. An identifier that is not 10 digits (the register's
    /// contract says it is; the reports still name what they find) gets 8 hex digits of its HMAC.
    public func tag(_ kennitala: String) -> String {
        let digits = Kennitala.normalised(kennitala)
        guard Kennitala.isWellFormed(digits), let serial = Int(digits.suffix(4)) else {
            return Digester.hex(Array(Digester.hmacSHA256(key: key, message: Array(digits.utf8)).prefix(4)))
        }
        let birthDate = digits.prefix(6)
        var (left, right) = (serial / 100, serial % 100)
        for round in 0..<8 {
            let mac = Digester.hmacSHA256(key: key, message: Array("\(birthDate) \(round) \(right)".utf8))
            let value = mac.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            (left, right) = (right, (left + value) % 100)
        }
        return Self.letters(left * 100 + right)
    }

    /// 0–9999 as 3 lowercase letters (26³ = 17,576 ≥ 10,000): never mistaken for the hidden digits.
    static func letters(_ number: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        return String([alphabet[number / 676], alphabet[number / 26 % 26], alphabet[number % 26]])
    }

    /// The identifier a report prints: masked with its tag, or the kennitala itself when unmasked
    /// (which needs no tag to be told apart).
    public func display(_ kennitala: String?, masker: Masker) -> String {
        guard let kennitala, !masker.unmasked else { return masker.kennitala(kennitala) }
        return "\(masker.kennitala(kennitala)) \(tag(kennitala))"
    }

    /// `CUTOVER_TAG_KEY`, when set and not empty.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> MemberTag?
    {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return MemberTag(key: Array(text.utf8), origin: "\(environmentVariable) from the environment")
    }

    /// A key from content only the holder of every kennitala has: the register's kennitalas, in order.
    public static func derived(fromKennitalas kennitalas: [String], of what: String) -> MemberTag {
        let digester = Digester(.sha256)
        digester.update("cutover member tag, version 1\n")
        for kennitala in kennitalas { digester.update(Kennitala.normalised(kennitala) + "\n") }
        return MemberTag(key: digester.finalize(), origin: "derived from every kennitala in \(what)")
    }

    /// Drawn once per process: every report of this run tags a member alike.
    public static let perRun: MemberTag = {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return MemberTag(key: key, origin: "random, drawn for this run")
    }()

    /// The environment's key, else this process's random one.
    public static var forThisRun: MemberTag { fromEnvironment() ?? perRun }
}
