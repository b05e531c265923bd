#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address with a prefix length (a single address has the full length), for
/// `NO_PROXY` matching. IPv4-mapped IPv6 addresses compare as IPv4, as Go's `net.IP` does.
struct IPNetwork: Equatable {
    /// 16 bytes; IPv4 as `::ffff:a.b.c.d`.
    let bytes: [UInt8]
    let prefixLength: Int
    let isIPv4: Bool

    init?(address text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + withUnsafeBytes(of: &v4) { Array($0) }
            prefixLength = 128
            isIPv4 = true
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &v6) { Array($0) }
        prefixLength = 128
        isIPv4 = bytes[0 ..< 12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
    }

    init?(cidr text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPNetwork(address: String(parts[0])), let length = Int(parts[1]) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        guard (0 ... maximum).contains(length) else { return nil }
        bytes = address.bytes
        prefixLength = address.isIPv4 ? length + 96 : length
        isIPv4 = address.isIPv4
    }

    var isLoopback: Bool {
        if isIPv4 { return bytes[12] == 127 }
        return bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    func contains(_ other: IPNetwork) -> Bool {
        guard isIPv4 == other.isIPv4 else { return false }
        var remaining = prefixLength
        for index in 0 ..< 16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != other.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}
