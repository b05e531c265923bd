/// The Service strategy: the defaults a real cluster fills in (type `ClusterIP`, an allocated
/// cluster IP from 10.96.0.0/16, `TCP` ports whose `targetPort` defaults to `port`) and the
/// port rules the service proxy depends on.
struct ServiceAdmission: AdmissionPolicy {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError) {
        var spec = object["spec"] ?? .object([:])
        if (spec["type"]?.stringValue ?? "").isEmpty { spec["type"] = "ClusterIP" }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if spec["type"]?.stringValue != "ExternalName" {
            if (spec["clusterIP"]?.stringValue ?? "").isEmpty {
                spec["clusterIP"] = .string(allocateClusterIP(context))
            }
            if spec["clusterIPs"] == nil, let clusterIP = spec["clusterIP"] { spec["clusterIPs"] = [clusterIP] }
            if spec["ipFamilies"] == nil { spec["ipFamilies"] = ["IPv4"] }
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
            if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
        }
        spec["ports"] = defaultedPorts(spec["ports"])
        object["spec"] = spec
        if object["status"] == nil { object["status"] = ["loadBalancer": [:]] }
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError) {
        var spec = object["spec"] ?? .object([:])
        // Allocated values survive updates that omit them, as in `patchAllocatedValues`.
        for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] where spec[field] == nil {
            spec[field] = old[path: ["spec", field]]
        }
        if (spec["type"]?.stringValue ?? "").isEmpty { spec["type"] = old[path: ["spec", "type"]] ?? "ClusterIP" }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        spec["ports"] = defaultedPorts(spec["ports"])
        object["spec"] = spec
    }

    private func allocateClusterIP(_ context: AdmissionContext) -> String {
        while true {
            let candidate = "10.96.\(Int.random(in: 0...255)).\(Int.random(in: 2...254))"
            if !context.isClusterIPInUse(candidate) { return candidate }
        }
    }

    private func defaultedPorts(_ ports: JSONValue?) -> JSONValue? {
        guard let list = ports?.arrayValue else { return ports }
        return .array(list.map { port in
            var port = port
            if port["protocol"] == nil { port["protocol"] = "TCP" }
            if port["targetPort"] == nil, let number = port["port"] { port["targetPort"] = number }
            return port
        })
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let type = object[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        let supportedTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supportedTypes.contains(type) {
            errors.append(.notSupported("spec.type", .string(type), supported: supportedTypes))
        }
        let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
        let isHeadless = object[path: ["spec", "clusterIP"]]?.stringValue == "None"
        if ports.isEmpty && type != "ExternalName" && !isHeadless {
            errors.append(.required("spec.ports", ""))
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            let name = port["name"]?.stringValue ?? ""
            if ports.count > 1 && name.isEmpty {
                errors.append(.required("\(path).name", ""))
            } else if !name.isEmpty && !names.insert(name).inserted {
                errors.append(FieldError(kind: .duplicate, field: "\(path).name", badValue: .string(name), detail: ""))
            }
            if let number = port["port"]?.intValue {
                if !(1...65535).contains(number) {
                    errors.append(.invalid("\(path).port", .int(number), "must be between 1 and 65535, inclusive"))
                }
            } else {
                errors.append(.required("\(path).port", ""))
            }
            if let target = port["targetPort"]?.intValue, !(1...65535).contains(target) {
                errors.append(.invalid("\(path).targetPort", .int(target), "must be between 1 and 65535, inclusive"))
            }
        }
        if let old, type != "ExternalName",
           let oldIP = old[path: ["spec", "clusterIP"]]?.stringValue, !oldIP.isEmpty,
           let newIP = object[path: ["spec", "clusterIP"]]?.stringValue, newIP != oldIP {
            errors.append(.invalid("spec.clusterIP", .string(newIP), "field is immutable"))
        }
        return errors
    }
}
