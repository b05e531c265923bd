import Foundation
@testable import KubeTestServer
import Testing

/// Decoding of `application/vnd.kubernetes.protobuf` request bodies.
@Suite struct ProtobufTests {
    /// A minimal protobuf writer for building test bodies.
    private struct Writer {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func field(_ number: Int, _ payload: [UInt8]) {
            varint(UInt64(number) << 3 | 2)
            varint(UInt64(payload.count))
            bytes += payload
        }

        mutating func field(_ number: Int, _ text: String) { field(number, Array(text.utf8)) }

        mutating func field(_ number: Int, varint value: UInt64) {
            varint(UInt64(number) << 3)
            varint(value)
        }

        static func message(_ build: (inout Writer) -> Void) -> [UInt8] {
            var writer = Writer()
            build(&writer)
            return writer.bytes
        }
    }

    private func envelope(kind: String, raw: [UInt8]) -> [UInt8] {
        [0x6B, 0x38, 0x73, 0x00] + Writer.message { envelope in
            envelope.field(1, Writer.message { $0.field(1, "v1"); $0.field(2, kind) })
            envelope.field(2, raw)
        }
    }

    @Test func decodesASecretAsKubectlSendsIt() throws {
        let metadata = Writer.message { meta in
            meta.field(1, "creds")
            meta.field(2, "")
            meta.field(3, "ns")
            meta.field(7, varint: 0)
            meta.field(8, Writer.message { $0.field(1, varint: UInt64(bitPattern: -62_135_596_800)) })
            meta.field(11, Writer.message { $0.field(1, "app"); $0.field(2, "demo") })
        }
        let secret = Writer.message { secret in
            secret.field(1, metadata)
            secret.field(2, Writer.message { $0.field(1, "user"); $0.field(2, Array("admin".utf8)) })
            secret.field(2, Writer.message { $0.field(1, "empty") })
            secret.field(3, "Opaque")
            secret.field(99, "ignored unknown field")
        }
        let decoded = try KubernetesProtobuf.decode(envelope(kind: "Secret", raw: secret))
        #expect(decoded == [
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": ["name": "creds", "namespace": "ns", "labels": ["app": "demo"]],
            "data": ["user": "YWRtaW4=", "empty": ""],
        ])
    }

    @Test func decodesServicePortsWithIntOrString() throws {
        let port = Writer.message { port in
            port.field(1, "http")
            port.field(3, varint: 80)
            port.field(4, Writer.message { $0.field(1, varint: 1); $0.field(3, "web") })
        }
        let service = Writer.message { service in
            service.field(1, Writer.message { $0.field(1, "svc") })
            service.field(2, Writer.message { $0.field(1, port); $0.field(4, "ClusterIP") })
        }
        let decoded = try KubernetesProtobuf.decode(envelope(kind: "Service", raw: service))
        #expect(decoded["spec"] == ["type": "ClusterIP", "ports": [["name": "http", "port": 80, "targetPort": "web"]]])
    }

    @Test func refusesUnknownKindsAndGarbage() {
        #expect(throws: KubeAPIError.self) { try KubernetesProtobuf.decode(envelope(kind: "Pod", raw: [])) }
        #expect(throws: KubeAPIError.self) { try KubernetesProtobuf.decode(Array("{}".utf8)) }
        #expect(throws: KubeAPIError.self) { try KubernetesProtobuf.decode([0x6B, 0x38, 0x73, 0x00, 0x0A, 0xFF]) }
    }
}
