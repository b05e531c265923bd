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
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sealkit", targets: ["sealkit"]),
        .executable(name: "sealkit-controller", targets: ["sealkit-controller"]),
        .library(name: "SealKit", targets: ["SealKit"]),
        // For the fuzz targets in Fuzz/, a separate package: it can only reach products.
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "SealKitController", targets: ["SealKitController"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C layer: system libraries. Each is imported by exactly one Swift target below, so the
        // compiler, not a convention, keeps OpenSSL and libyaml calls in one place.
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

        // Go text/template + Sprig for spec.template.data: self-contained, no dependencies.
        .target(name: "SecretTemplate", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),

        // Crypto on OpenSSL 3: RSA-OAEP, AES-GCM, keys, certificates, digests, secret buffers.
        .target(name: "SealKitCrypto", dependencies: ["COpenSSL"], swiftSettings: strictSettings),

        // YAML/JSON on libyaml: the node tree, readers, writers and the byte-exact scalar locator.
        .target(name: "SealKitYAML", dependencies: ["CYAML"], swiftSettings: strictSettings),

        // The shared core: manifests, sealing, unsealing, re-sealing. Re-exports the two above.
        .target(
            name: "SealKit",
            dependencies: ["SealKitCrypto", "SealKitYAML", "SecretTemplate"],
            swiftSettings: strictSettings
        ),

        // age file encryption and SOPS files on the core's crypto and YAML layers; no C of its own.
        .target(name: "SealKitSOPS", dependencies: ["SealKit", "SealKitCrypto", "SealKitYAML", "SecretTemplate"], swiftSettings: strictSettings),

        // Kubernetes API client: kubeconfig / in-cluster, HTTPS, typed CRUD, list+watch.
        .target(
            name: "KubeClient",
            dependencies: [
                "SealKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),

        // The sealing web page (ui/, embedded as bytes by scripts/embed-ui.py) and the routes
        // that serve it: shared by the controller's API port and `sealkit ui`.
        .target(
            name: "SealKitUI",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        // The controller's logic, as a library so it can be tested without a process.
        .target(
            name: "SealKitController",
            dependencies: [
                "SealKit",
                "KubeClient",
                "SealKitUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        // Executables.
        .executableTarget(
            name: "sealkit",
            dependencies: [
                "SealKit",
                "SealKitSOPS",
                "KubeClient",
                "SealKitUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "cli",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "sealkit-controller",
            dependencies: [
                "SealKit",
                "KubeClient",
                "SealKitController",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "controller",
            exclude: ["deploy"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),

        // Test support: a Kubernetes API server with the semantics SealKit relies on (also runnable
        // by hand), and a throwaway PKI for HTTPS tests.
        .target(
            name: "KubeTestServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "kube-test-server",
            dependencies: ["KubeTestServer", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(name: "TestSupport", swiftSettings: strictSettings),

        // Throughput against `openssl speed`, measured in the same run.
        .executableTarget(
            name: "sealkit-bench",
            dependencies: ["SealKit", "KubeClient", "KubeTestServer"],
            path: "Benchmarks/sealkit-bench",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),

        // Tests.
        .testTarget(
            name: "SealKitTests",
            dependencies: ["SealKit", "SealKitCrypto", "SealKitYAML"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SealKitSOPSTests",
            dependencies: ["SealKitSOPS", "SealKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SecretTemplateTests",
            dependencies: ["SecretTemplate", "SealKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .testTarget(
            name: "KubeTestServerTests",
            dependencies: [
                "KubeTestServer",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KubeClientTests",
            dependencies: [
                "SealKit",
                "KubeClient",
                "KubeTestServer",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ControllerTests",
            dependencies: [
                "SealKit",
                "KubeClient",
                "SealKitController",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SealKitUITests",
            dependencies: [
                "SealKitUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SealKit", "SealKitSOPS", "KubeClient", "KubeTestServer", "TestSupport", "SealKitController",
                           .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
    ]
)
