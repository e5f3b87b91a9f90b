import CutoverCore
import Firestore
import Foundation

/// The server's own page tokens for `list`, opaque to clients and independent of the store's: a
/// store's token wrapped; "no more pages" after a full last page (the emulator, like Firestore, gives
/// a token whenever a page is full, and the page it leads to is empty); and an offset into an
/// `orderBy` listing, which the server answers with a query.
enum ListPageToken: Equatable {
    case store(String)
    case exhausted
    case offset(Int)

    var text: String {
        let plain: String
        switch self {
        case .store(let token): plain = "s:" + token
        case .exhausted: plain = "e"
        case .offset(let offset): plain = "o:\(offset)"
        }
        return Data(plain.utf8).base64EncodedString()
    }

    init(text: String) throws {
        guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else {
            throw FirestoreError.invalidArgument("invalid page token")
        }
        if plain == "e" {
            self = .exhausted
        } else if plain.hasPrefix("s:") {
            self = .store(String(plain.dropFirst(2)))
        } else if plain.hasPrefix("o:"), let offset = Int(plain.dropFirst(2)), offset >= 0 {
            self = .offset(offset)
        } else {
            throw FirestoreError.invalidArgument("invalid page token")
        }
    }
}
