import Digest
import Testing

struct DigesterTests {
    @Test func matchesPublishedTestVectors() {
        #expect(
            Digester.hexDigest(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Digester.hexDigest(of: [])
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digester.hexDigest(of: Array("abc".utf8), .sha512).hasPrefix("ddaf35a193617aba"))
    }

    @Test func incrementalEqualsOneShot() {
        let digester = Digester()
        digester.update("ab")
        digester.update([UInt8(ascii: "c")])
        #expect(digester.hexDigest() == Digester.hexDigest(of: Array("abc".utf8)))
    }
}
