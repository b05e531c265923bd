import Foundation
import Hummingbird

/// Builds HTTP responses in the API server's style: JSON bodies, `Status` objects for errors,
/// `Warning` headers, and `Retry-After` for throttling and unavailability.
enum APIResponse {
    /// A JSON response.
    static func json(_ value: JSONValue, status: Int = 200, warnings: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        for warning in warnings {
            headers.append(HTTPFields.Element(name: .kubeWarning, value: Self.warningValue(warning)))
        }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value))))
    }

    /// The `Status` response for `error`, with `Retry-After` when the error carries a delay.
    static func error(_ error: KubeAPIError) -> Response {
        var response = json(error.status, status: error.code)
        if let header = error.retryAfterHeader {
            response.headers[.retryAfter] = header
        } else if let seconds = error.retryAfterSeconds {
            response.headers[.retryAfter] = String(seconds)
        }
        return response
    }

    /// RFC 7234 warning: code 299, agent `-`, quoted text with `"` and `\` escaped.
    private static func warningValue(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "299 - \"\(escaped)\""
    }
}
