/// The version `sealkit --version` prints.
enum SealKitVersion {
    static let string = "0.1.0"
}
