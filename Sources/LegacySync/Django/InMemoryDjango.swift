import CutoverSupport

/// Django for replays: the queue rows and the member register of a snapshot, in memory, changed
/// as the real endpoints changed them.
public actor InMemoryDjango: PathADjango {
    public private(set) var rows: [QueueRow]
    public private(set) var members: [String: RegisterMember]

    public init(rows: [QueueRow], members: [RegisterMember]) {
        self.rows = rows.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        self.members = Dictionary(members.map { ($0.ssn, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func pendingChanges(since: Timestamp) -> [QueueRow] {
        rows.filter { $0.status == .pending && $0.createdAt > since }
    }

    public func member(ssn: String) -> JSONValue? {
        members[Kennitala.normalised(ssn)]?.pathAMemberJSON
    }

    public func markSynced(_ ids: [Int64], at time: Timestamp) -> Int {
        let wanted = Set(ids)
        var flipped = 0
        for index in rows.indices where wanted.contains(rows[index].id) && rows[index].status == .pending {
            let row = rows[index]
            rows[index] = QueueRow(
                id: row.id, memberID: row.memberID, ssn: row.ssn, action: row.action, fieldsChanged: row.fieldsChanged,
                createdAt: row.createdAt, syncedAt: time, status: .synced, errorMessage: row.errorMessage,
                retryCount: row.retryCount)
            flipped += 1
        }
        return flipped
    }

    public func apply(kennitala: String, changes: [String: JSONValue]) -> PathADjangoApply {
        let ssn = Kennitala.normalised(kennitala)
        guard var member = members[ssn] else { return PathADjangoApply(error: "Member not found") }
        var ignored: [String] = []
        for (path, value) in changes.sorted(by: { $0.key < $1.key }) {
            let text = value.stringValue ?? ""
            func contact(_ change: (inout RegisterMember.Contact) -> Void) {
                guard !text.isEmpty else { return }  // empty values ignored
                var current = member.contact ?? .init(email: "", phone: "", foreignPhone: "", facebook: "")
                change(&current)
                member.contact = current
            }
            func address(_ change: (inout RegisterMember.SimpleAddress) -> Void) {
                var current = member.simpleAddress ?? .init(street: "", postalCode: "", city: "", country: "")
                change(&current)
                member.simpleAddress = current
            }
            switch path {
            case "profile.name": member.name = text
            case "profile.birthday": member.birthday = text.isEmpty ? nil : String(text.prefix(10))
            case "profile.gender": if let number = Self.integer(value) { member.gender = number }
            case "profile.housingSituation": if let number = Self.integer(value) { member.housingSituation = number }
            case "profile.email": contact { $0.email = text }
            case "profile.phone": contact { $0.phone = text }
            case "profile.address.street": address { $0.street = text }
            case "profile.address.postal_code": address { $0.postalCode = text }
            case "profile.address.city": address { $0.city = text }
            case "profile.address.country": address { $0.country = text }
            default: ignored.append(path)
            }
        }
        members[ssn] = member
        return PathADjangoApply(ignoredPaths: ignored)
    }

    static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .integer(let number): Int(number)
        case .string(let text): Int(text)
        default: nil
        }
    }
}
