/// Icelandic-looking words for demo members. Invented combinations: no real person is described.
enum DemoVocabulary {
    static let maleNames = [
        "Jón", "Sigurður", "Guðmundur", "Gunnar", "Ólafur", "Einar", "Kristján", "Magnús", "Stefán", "Jóhann",
        "Björn", "Árni", "Helgi", "Páll", "Þórður", "Ragnar", "Halldór", "Bjarni", "Hannes", "Egill",
        "Ari", "Snorri", "Atli", "Baldur", "Davíð", "Finnur", "Haukur", "Ingvar", "Kári", "Logi",
    ]
    static let femaleNames = [
        "Guðrún", "Anna", "Kristín", "Sigríður", "Margrét", "Helga", "Sigrún", "Ingibjörg", "Jóhanna", "María",
        "Katrín", "Elín", "Ragnheiður", "Hildur", "Ásta", "Birna", "Dagný", "Edda", "Freyja", "Gerður",
        "Hrafnhildur", "Iðunn", "Jórunn", "Lilja", "Nanna", "Rakel", "Sólveig", "Tinna", "Unnur", "Þóra",
    ]
    static let streets = [
        "Laugavegur", "Hverfisgata", "Skólavörðustígur", "Bankastræti", "Austurstræti", "Hringbraut", "Miklabraut",
        "Snorrabraut", "Barónsstígur", "Grettisgata", "Njálsgata", "Bergþórugata", "Freyjugata", "Óðinsgata",
        "Bárugata", "Öldugata", "Vesturgata", "Hamraborg", "Digranesvegur", "Strandgata", "Reykjavíkurvegur",
        "Hafnarstræti", "Glerárgata", "Þingvallastræti", "Hlíðarvegur", "Kirkjuvegur", "Aðalgata", "Tryggvagata",
        "Suðurgata", "Garðastræti",
    ]
    /// Postal code, municipality (the city as the registry derives it).
    static let postalCodes: [(code: String, city: String)] = [
        ("101", "Reykjavík"), ("103", "Reykjavík"), ("104", "Reykjavík"), ("105", "Reykjavík"),
        ("107", "Reykjavík"), ("108", "Reykjavík"), ("109", "Reykjavík"), ("110", "Reykjavík"),
        ("112", "Reykjavík"), ("170", "Seltjarnarnes"), ("200", "Kópavogur"), ("201", "Kópavogur"),
        ("210", "Garðabær"), ("220", "Hafnarfjörður"), ("221", "Hafnarfjörður"), ("230", "Reykjanesbær"),
        ("270", "Mosfellsbær"), ("300", "Akranes"), ("310", "Borgarnes"), ("400", "Ísafjörður"),
        ("600", "Akureyri"), ("640", "Húsavík"), ("700", "Egilsstaðir"), ("800", "Selfoss"), ("900", "Vestmannaeyjar"),
    ]
    /// The official municipality names of the registry (`map_municipality`), by the simple city name
    /// people write: Path B's city is the former, Path A's the latter.
    static let officialMunicipalities: [String: String] = [
        "Reykjavík": "Reykjavíkurborg", "Seltjarnarnes": "Seltjarnarnesbær", "Kópavogur": "Kópavogsbær",
        "Garðabær": "Garðabær", "Hafnarfjörður": "Hafnarfjarðarkaupstaður", "Reykjanesbær": "Reykjanesbær",
        "Mosfellsbær": "Mosfellsbær", "Akranes": "Akraneskaupstaður", "Borgarnes": "Borgarbyggð",
        "Ísafjörður": "Ísafjarðarbær", "Akureyri": "Akureyrarbær", "Húsavík": "Norðurþing", "Egilsstaðir": "Múlaþing",
        "Selfoss": "Sveitarfélagið Árborg", "Vestmannaeyjar": "Vestmannaeyjabær",
    ]

    /// The official municipality of a postal code: its first `map_municipalitypostalcode` row.
    static func municipality(of code: String) -> String {
        officialMunicipalities[postalCodes.first { $0.code == code }!.city]!
    }

    /// Postal codes shared by a second municipality (a later `map_municipalitypostalcode` row, never
    /// the one Path B reads): 110 reaches into Mosfellsbær, 270 into Reykjavík (Kjalarnes).
    static let secondMunicipality: [String: String] = ["110": "Mosfellsbær", "270": "Reykjavíkurborg"]

    static let countries: [(id: Int, code: String, name: String)] = [
        (44, "GB", "Bretland"), (45, "DK", "Danmörk"), (46, "SE", "Svíþjóð"), (47, "NO", "Noregur"),
        (49, "DE", "Þýskaland"), (109, "IS", "Ísland"),
    ]

    static let unions = [
        "Efling", "VR", "BSRB", "Sameyki", "Kennarasamband Íslands", "Rafiðnaðarsambandið", "Eining-Iðja",
    ]
    static let titles = ["Stjórnarmaður", "Gjaldkeri", "Ritari", "Formaður svæðisfélags", "Trúnaðarmaður"]
    static let emailDomains = ["gmail.com", "simnet.is", "internet.is", "hotmail.com", "visir.is", "example.is"]
    static let foreignCountries: [(id: Int, municipality: String)] = [
        (45, "København"), (46, "Göteborg"), (47, "Oslo"), (49, "Berlin"), (44, "London"),
    ]

    /// Error texts the legacy nightly run wrote into `error_message`.
    static let failureTexts = [
        "Django API returned HTTP 500",
        "HTTPSConnectionPool(host='starf.sosialistaflokkurinn.is', port=443): Read timed out. (read timeout=30)",
        "404 No document to update: projects/ekklesia-prod-10-2025/databases/(default)/documents/members/{ssn}",
        "503 The service is currently unavailable.",
        "Member not found: {ssn}",
    ]

    /// ASCII folding for e-mail local parts (a static table: this runs for every seeded member).
    static func asciiFolded(_ text: String) -> String {
        var folded = ""
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replacement = foldings[scalar] {
                folded += replacement
            } else {
                folded += scalar.properties.lowercaseMapping
            }
        }
        return folded
    }

    private static let foldings: [Unicode.Scalar: String] = [
        "á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ý": "y", "ð": "d", "þ": "th", "æ": "ae", "ö": "o",
        "Á": "a", "É": "e", "Í": "i", "Ó": "o", "Ú": "u", "Ý": "y", "Ð": "d", "Þ": "th", "Æ": "ae", "Ö": "o",
    ]
}
