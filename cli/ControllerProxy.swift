import Foundation
import KubeClient
import SealKit

/// The sealed-secrets controller's HTTP API reached through the API server's service proxy,
/// as kubeseal reaches it: the Service's first port name, then
/// `/api/v1/namespaces/NS/services/http:NAME:PORT/proxy/v1/...`.
struct ControllerProxy {
    let client: KubeClient
    let name: String
    let namespace: String

    /// - Parameter standardInputInUse: the command reads stdin, so a credential plugin may not.
    static func connect(_ cluster: ConnectionOptions, standardInputInUse: Bool = false) throws(CLIFailure) -> ControllerProxy {
        do {
            let overrides = cluster.kubectl.overrides(standardInputInUse: standardInputInUse)
            let connection = try ClusterConnection.resolve(kubeconfigPath: cluster.kubeconfig, context: cluster.context,
                                                           overrides: overrides)
            return ControllerProxy(client: try KubeClient(connection: connection), name: cluster.controllerName,
                                   namespace: cluster.controllerNamespace)
        } catch {
            throw CLIFailure("cannot reach the cluster to find controller \(cluster.controllerName) in \(cluster.controllerNamespace): \(error.message); pass --cert, or --kubeconfig/--context/--server")
        }
    }

    /// Connects, runs `body`, and always closes the connection afterwards.
    static func with<R>(_ cluster: ConnectionOptions, standardInputInUse: Bool = false,
                        _ body: (ControllerProxy) async throws(CLIFailure) -> R) async throws(CLIFailure) -> R {
        let controller = try connect(cluster, standardInputInUse: standardInputInUse)
        do {
            let result = try await body(controller)
            await controller.client.shutdown(within: .seconds(1))
            return result
        } catch {
            await controller.client.shutdown(within: .seconds(1))
            throw error
        }
    }

    /// GET /v1/cert.pem: the controller's newest certificate.
    func certificate() async throws(CLIFailure) -> [UInt8] {
        let (status, body) = try await call("GET", "/v1/cert.pem")
        guard status == 200 else { throw failure("answered HTTP \(status) for /v1/cert.pem", body: body) }
        return body
    }

    /// POST /v1/verify: true when the controller can decrypt the SealedSecret (200), false on 409.
    func verify(_ sealedSecret: [UInt8]) async throws(CLIFailure) -> Bool {
        let (status, body) = try await call("POST", "/v1/verify", body: sealedSecret)
        switch status {
        case 200: return true
        case 409: return false
        default: throw failure("answered HTTP \(status) for /v1/verify", body: body)
        }
    }

    /// POST /v1/rotate: the SealedSecret re-sealed with the controller's newest key.
    func rotate(_ sealedSecret: [UInt8]) async throws(CLIFailure) -> [UInt8] {
        let (status, body) = try await call("POST", "/v1/rotate", body: sealedSecret)
        switch status {
        case 200: return body
        case 409: throw CLIFailure("controller \(name) in \(namespace) cannot decrypt this SealedSecret, so it cannot re-encrypt it")
        default: throw failure("answered HTTP \(status) for /v1/rotate", body: body)
        }
    }

    private func call(_ method: String, _ path: String, body: [UInt8]? = nil) async throws(CLIFailure) -> (Int, [UInt8]) {
        let port = try await portName()
        do {
            return try await client.proxy(service: name, namespace: namespace, port: port, method: method, path: path, body: body,
                                          contentType: body == nil ? nil : "application/json")
        } catch {
            throw unreachable(error)
        }
    }

    /// The Service's first port, by name when it has one (kubeseal's rule).
    private func portName() async throws(CLIFailure) -> String {
        let service: KubeObject
        do { service = try await client.get(.services, namespace: namespace, name: name) } catch {
            throw unreachable(error)
        }
        guard let port = service["spec"]?.mapping?["ports"]?.sequence?.first?.mapping else {
            throw CLIFailure("cannot reach controller \(name) in \(namespace) through the API server proxy: service \"\(name)\" has no ports; pass --cert or fix the Service")
        }
        if let portName = port["name"]?.scalar?.text, !portName.isEmpty { return portName }
        guard let number = port["port"]?.scalar?.text else {
            throw CLIFailure("cannot reach controller \(name) in \(namespace): service \"\(name)\" has a port without name or number")
        }
        return number
    }

    private func unreachable(_ error: KubeError) -> CLIFailure {
        var advice = "pass --cert, or --controller-name/--controller-namespace"
        if error.isForbidden { advice = "your user needs get and proxy on services in \(namespace); or pass --cert" }
        return CLIFailure("cannot reach controller \(name) in \(namespace) through the API server proxy: \(error.message); \(advice)")
    }

    private func failure(_ what: String, body: [UInt8]) -> CLIFailure {
        // A proxy error from the API server is a Status object; anything else is shown briefly.
        var detail = String(decoding: body.prefix(200), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        if let status = try? YAMLReader.documents(body).first?.root.mapping, let message = status["message"]?.scalar?.text {
            detail = message
        }
        return CLIFailure("controller \(name) in \(namespace) \(what)\(detail.isEmpty ? "" : ": \(detail)")")
    }
}
