/// Every field path the two paths' `members/{kennitala}` documents can carry (LEGACY.md §4, §5):
/// what a rules file may name. A pattern that matches none of them is a typo.
public enum MemberDocumentShapes {
    public static let pathA: [String] = [
        "kennitala", "profile.name", "profile.birthday", "profile.gender", "profile.email", "profile.phone",
        "profile.housingSituation", "profile.address.street", "profile.address.postalcode", "profile.address.city",
        "membership.status", "membership.joined", "privacy.reachable", "privacy.groupable",
        "metadata.created_at", "metadata.last_sync", "metadata.last_modified", "metadata.deleted_at", "metadata.source",
    ]

    public static let pathB: [String] = [
        "profile.kennitala", "profile.name", "profile.birthday", "profile.email", "profile.phone",
        "profile.foreign_phone",
        "profile.facebook", "profile.gender", "profile.reachable", "profile.groupable", "profile.housing_situation",
        "profile.addresses", "membership.date_joined", "membership.status", "membership.unions", "membership.titles",
        "django_roles.is_staff", "django_roles.is_superuser",
        "metadata.synced_at", "metadata.django_id", "metadata.last_modified", "metadata.deleted_at",
    ]

    public static let all: [String] = Array(Set(pathA + pathB)).sorted()

    /// The Django field each update key of a queue row lands on in Path A's document, had it not been
    /// dropped — for explaining a difference by the row that never carried it.
    public static let pathAPathForDjangoField: [String: String] = [
        "name": "profile.name", "birthday": "profile.birthday", "gender": "profile.gender",
        "housing_situation": "profile.housingSituation", "email": "profile.email", "phone": "profile.phone",
        "street_address": "profile.address.street", "postal_code": "profile.address.postalcode",
        "city": "profile.address.city", "reachable": "privacy.reachable", "groupable": "privacy.groupable",
        "date_joined": "membership.joined", "foreign_phone": "profile.foreign_phone", "facebook": "profile.facebook",
    ]
}
