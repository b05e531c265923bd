internal import COpenSSL

/// The single owner of an OpenSSL `X509`.
///
/// `@unchecked Sendable`: never mutated after construction; read-only X509 accessors are
/// thread-safe in OpenSSL 3.
final class X509Box: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }
}
