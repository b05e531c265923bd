/// The release both binaries report (`--version`, `build_info`).
public enum SealKitVersion {
    public static let current = "0.2.0"
}
