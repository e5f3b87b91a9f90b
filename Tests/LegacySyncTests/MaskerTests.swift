import CutoverCore
import LegacySync
import Testing

struct MaskerTests {
    @Test func masksByDefaultAndUnmasksOnRequest() {
        let masker = Masker()
        #expect(masker.kennitala("0101702389") == "010170-****")
        #expect(masker.kennitala("010170-2389") == "010170-****")
        #expect(masker.name("Guðrún Jónsdóttir") == "G*** J***")
        #expect(masker.email("gudrun.jons12@simnet.is") == "g***@***.is")
        #expect(masker.phone("+354 581 2345") == "********45")
        #expect(
            masker.freeText("Member not found: 0101702389 (also 010170-2389)")
                == "Member not found: 010170-**** (also 010170-****)")
        let open = Masker(unmasked: true)
        #expect(open.kennitala("0101702389") == "0101702389")
        #expect(open.freeText("x 0101702389") == "x 0101702389")
    }
}
