// swift-tools-version:6.0
import PackageDescription

/// Strict settings shared by every Swift target: explicit `any`, and imports that do not leak
/// into a module's public interface unless marked `public import`.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SealKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sealkit", targets: ["sealkit"]),
        .executable(name: "sealkit-controller", targets: ["sealkit-controller"]),
        .library(name: "SealKit", targets: ["SealKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C layer: system libraries, imported only by SealKit/Crypto and SealKit/YAML.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),

        // The shared core: crypto, YAML/JSON, manifests.
        .target(
            name: "SealKit",
            dependencies: ["COpenSSL", "CYAML"],
            swiftSettings: strictSettings
        ),

        // Executables.
        .executableTarget(
            name: "sealkit",
            dependencies: [
                "SealKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "cli",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "sealkit-controller",
            dependencies: ["SealKit"],
            path: "controller",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // Throughput against `openssl speed`, measured in the same run.
        .executableTarget(
            name: "sealkit-bench",
            dependencies: ["SealKit"],
            path: "Benchmarks/sealkit-bench",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),

        // Tests.
        .testTarget(
            name: "SealKitTests",
            dependencies: ["SealKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SealKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
    ]
)
