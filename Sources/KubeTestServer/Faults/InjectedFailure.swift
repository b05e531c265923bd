/// The failure answered to a request chosen by ``FaultInjection/failNext(_:with:matching:)``.
public enum InjectedFailure: Sendable, Hashable {
    /// 500 `InternalError`.
    case internalServerError
    /// 503 `ServiceUnavailable`, with `Retry-After` when given.
    case serviceUnavailable(retryAfterSeconds: Int?)
    /// 429 `TooManyRequests` with `Retry-After`, as API priority and fairness answers.
    case tooManyRequests(retryAfterSeconds: Int)
    /// 429 `TooManyRequests` whose `Retry-After` header is exactly this text (`1e300`, `inf`,
    /// `-1`, a 40-digit number): what a broken or hostile server, or a proxy, might send.
    case throttled(retryAfterHeader: String)
    /// 409 `Conflict`, as an update with a stale `resourceVersion` gets (someone wrote first).
    case conflict

    var error: KubeAPIError {
        switch self {
        case .internalServerError:
            return .internalError("injected fault")
        case .serviceUnavailable(let seconds):
            return .serviceUnavailable("the server is currently unable to handle the request", retryAfterSeconds: seconds)
        case .tooManyRequests(let seconds):
            return .tooManyRequests(retryAfterSeconds: seconds)
        case .throttled(let header):
            var error = KubeAPIError.tooManyRequests(retryAfterSeconds: 0)
            error.retryAfterHeader = header
            return error
        case .conflict:
            return KubeAPIError(code: 409, reason: "Conflict",
                                message: "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again")
        }
    }
}
