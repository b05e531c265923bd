// swift-tools-version:5.4
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM renames an executable's entry point to
// `<module>_main` and links `main` to it, which fails for libFuzzer targets that have no main of
// their own (libFuzzer's runtime provides `main`). Build with scripts/fuzz.sh, which passes
// `-sanitize=fuzzer,address`; a plain `swift build` here does not link.
import PackageDescription

/// One executable per entry point; each defines `LLVMFuzzerTestOneInput` and nothing else.
/// `@testable import` reaches internal entry points (debug builds enable testability).
let targets: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-yaml", [.product(name: "SealKit", package: "SealKit")]),
    ("fuzz-ciphertext", [.product(name: "SealKit", package: "SealKit")]),
    ("fuzz-manifest", [.product(name: "SealKit", package: "SealKit")]),
    ("fuzz-pem", [.product(name: "SealKit", package: "SealKit")]),
    ("fuzz-template", [.product(name: "SealKit", package: "SealKit")]),
    ("fuzz-reseal", [.product(name: "SealKit", package: "SealKit")]),
    ("fuzz-kubeconfig", [.product(name: "SealKit", package: "SealKit"), .product(name: "KubeClient", package: "SealKit")]),
    ("fuzz-watch-event", [.product(name: "SealKit", package: "SealKit"), .product(name: "KubeClient", package: "SealKit"),
                          .product(name: "NIOCore", package: "swift-nio")]),
    ("fuzz-controller-api", [.product(name: "SealKit", package: "SealKit"),
                             .product(name: "SealKitController", package: "SealKit")]),
]

let package = Package(
    name: "SealKitFuzz",
    dependencies: [
        .package(name: "SealKit", path: ".."),
        // The same version the main package uses: the watch decoder takes NIO's ByteBuffer.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The fixed test key and certificate (Bitnami's reference vectors) and small helpers.
        .target(name: "FuzzSupport", dependencies: [.product(name: "SealKit", package: "SealKit")]),
    ] + targets.map { target in
        .executableTarget(name: target.name, dependencies: ["FuzzSupport"] + target.dependencies)
    }
)
