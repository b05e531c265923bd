import Testing
@testable import SealKit
@testable import SealKitCrypto

/// Base64 must accept and reject exactly what Go's `StdEncoding.DecodeString` does.
@Suite("Base64")
struct Base64Tests {
    @Test("round trip", arguments: [0, 1, 2, 3, 4, 5, 100, 1000])
    func roundTrip(_ count: Int) throws {
        let bytes = (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
    }

    @Test("known encodings") func known() {
        #expect(Base64.encode(Array("hunter2".utf8)) == "aHVudGVyMg==")
        #expect(Base64.encode(Array("ab".utf8)) == "YWI=")
        #expect(Base64.encode([]) == "")
    }

    @Test("newlines are skipped as Go does") func newlines() throws {
        #expect(try Base64.decode("aHVu\r\ndGVy\nMg==\n") == Array("hunter2".utf8))
        #expect(try Base64.decode("YW\nI=") == Array("ab".utf8))
        #expect(try Base64.decode("YQ=\n=") == Array("a".utf8))
    }

    /// Go's StdEncoding is not strict: bits after the last whole byte may be non-zero, and
    /// kubeseal and the controller accept such values, so SealKit must too.
    @Test("non-zero padding bits are accepted, as Go's StdEncoding accepts them") func nonStrictPadding() throws {
        #expect(try Base64.decode("YR==") == Array("a".utf8))
        #expect(try Base64.decode("YQ==") == Array("a".utf8))
        #expect(try Base64.decode("YWJ=") == Array("ab".utf8))
        #expect(try Base64.decode("YWL=") == Array("ab".utf8))
    }

    @Test("invalid input reports Go's byte offset", arguments: [
        ("!gBy", 0), ("ab_d", 2), ("YWI", 3), ("YWI=x", 4), ("Y===", 1), ("YQ=a", 3), ("=", 0), ("YWJj ", 4),
    ])
    func invalid(_ text: String, _ offset: Int) {
        #expect(throws: Base64.DecodingError(offset: offset)) { try Base64.decode(text) }
    }
}
