/// The `[scheme:]name[:port]` segment of a service proxy path, resolved against a Service
/// the way the real API server's `ResourceLocation` does.
struct ServiceProxyTarget: Sendable, Equatable {
    let scheme: String
    let serviceName: String
    /// A port name or number; empty means the Service's unnamed port.
    let port: String

    /// Parses `name`, `name:port` or `scheme:name:port`; anything else is a 400.
    init(_ id: String) throws(KubeAPIError) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: (scheme, serviceName, port) = ("", parts[0], "")
        case 2: (scheme, serviceName, port) = ("", parts[0], parts[1])
        case 3: (scheme, serviceName, port) = (parts[0], parts[1], parts[2])
        default: throw .badRequest("invalid service request \"\(id)\"")
        }
        guard !serviceName.isEmpty, ["", "http", "https"].contains(scheme) else {
            throw .badRequest("invalid service request \"\(id)\"")
        }
    }

    /// The endpoint port for this target on `service`.
    ///
    /// In this test cluster every Service's endpoints are `127.0.0.1` with the Service port's
    /// numeric `targetPort`. A port number selects the Service port with that `port`; a name
    /// selects by name; no port selects the unnamed port (a Service with one port may leave it
    /// unnamed). The failures are the real server's 503s.
    func endpointPort(on service: JSONValue, id: String) throws(KubeAPIError) -> Int {
        let ports = service[path: ["spec", "ports"]]?.arrayValue ?? []
        var portName = port
        if let number = Int64(port) {
            guard let match = ports.first(where: { $0["port"]?.intValue == number }) else {
                throw .serviceUnavailable("no service port \(number) found for service \"\(serviceName)\"")
            }
            portName = match["name"]?.stringValue ?? ""
        }
        guard let match = ports.first(where: { ($0["name"]?.stringValue ?? "") == portName }),
              let target = (match["targetPort"] ?? match["port"])?.intValue
        else {
            throw .serviceUnavailable("no endpoints available for service \"\(id)\"")
        }
        return Int(target)
    }
}
