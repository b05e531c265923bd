/// Sprig's URL functions (`url.go`): `urlParse` splits a URL into a dict, `urlJoin`
/// assembles one. (`getHostByName`, Sprig's other network function, is excluded from the
/// controller's function map.)
enum SprigNetwork {
    static let functions: [String: TemplateFunction] = [
        "urlParse": TemplateFunction([.string]) { _, a throws(TemplateFailure) in
            let url: GoURL
            do throws(GoURL.ParseError) {
                url = try GoURL.parse(a[0].str)
            } catch {
                throw functionError("unable to parse url: \(error.reason)")
            }
            return .dict([
                Array("scheme".utf8): .string(url.scheme),
                Array("host".utf8): .string(url.host),
                Array("hostname".utf8): .string(url.hostname),
                Array("path".utf8): .string(url.path),
                Array("query".utf8): .string(url.rawQuery),
                Array("opaque".utf8): .string(url.opaque),
                Array("fragment".utf8): .string(url.fragment),
                Array("userinfo".utf8): .string(url.userinfoText),
            ])
        },
        "urlJoin": TemplateFunction([.stringMap]) { _, a throws(TemplateFailure) in
            let parts = a[0].stringMap
            func field(_ name: String) throws(TemplateFailure) -> [UInt8] {
                guard let value = parts[Array(name.utf8)] else { return [] }
                guard case .string(let s) = value else {
                    let actual = value.isNilArgument ? "nil" : value.typeName
                    throw functionError("interface conversion: interface {} is \(actual), not string")
                }
                return s
            }
            var url = GoURL()
            url.scheme = try field("scheme")
            url.host = try field("host")
            url.path = try field("path")
            url.rawQuery = try field("query")
            url.opaque = try field("opaque")
            url.fragment = try field("fragment")
            let userinfo = try field("userinfo")
            if !userinfo.isEmpty {
                do throws(GoURL.ParseError) {
                    url.user = try GoURL.parse(Array("proto://".utf8) + userinfo + Array("@host".utf8)).user
                } catch {
                    throw functionError("unable to parse userinfo in dict: \(error.reason)")
                }
            }
            return .string(url.text)
        },
    ]
}
