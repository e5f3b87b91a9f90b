import Firestore
import Hummingbird
import NIOCore

extension FirestoreResponder {
    /// A stand-in for a Google Cloud machine's metadata server (`GCE_METADATA_HOST=HOST:PORT`): the
    /// default service account's token (`issuedToken`) and the project (the primary store's), each only
    /// with `Metadata-Flavor: Google`, as the real one insists, so Application Default Credentials'
    /// last step can be dry-run and tested on loopback.
    func metadata(path: String, request: Request) -> Response {
        guard request.headers[.init("Metadata-Flavor")!] == "Google" else {
            return Response(
                status: .forbidden,
                body: ResponseBody(byteBuffer: ByteBuffer(string: "Missing Metadata-Flavor:Google header.")))
        }
        switch path {
        case "/computeMetadata/v1/instance/service-accounts/default/token":
            return Self.json(["access_token": .string(issuedToken), "expires_in": 3599, "token_type": "Bearer"])
        case "/computeMetadata/v1/project/project-id":
            return Response(
                status: .ok, headers: [.contentType: "application/text"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: stores.primaryDatabase.project)))
        default:
            return Self.notFound()
        }
    }
}
