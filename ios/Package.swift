// swift-tools-version:5.10
// Reprise for Swift: the facade (`Reprise`) over UniFFI's generated bindings (`RepriseFFI`, in
// Swift 5 language mode, which tools 5.10 use for every target) and the native library.
//   Apple platforms: the native library is RepriseFFI.xcframework (scripts/build-xcframework.sh).
//   Linux (tests, benchmarks): the host-built libreprise_ffi.so through a system-library target;
//   scripts/test-swift.sh passes its directory: swift test -Xlinker -L<dir> -Xlinker -rpath -Xlinker <dir>
import PackageDescription

#if os(Linux)
// The generated modulemap (Sources/RepriseFFIFFI) has no `link` line; this one adds it.
let native: Target = .systemLibrary(name: "RepriseFFIFFI", path: "Sources/RepriseFFILinux")
#else
let native: Target = .binaryTarget(name: "RepriseFFIFFI", path: "RepriseFFI.xcframework")
#endif

let package = Package(
    name: "Reprise",
    platforms: [.iOS(.v13), .macOS(.v10_15)],
    products: [
        .library(name: "Reprise", targets: ["Reprise"]),
    ],
    targets: [
        native,
        .target(name: "RepriseFFI", dependencies: ["RepriseFFIFFI"], path: "Sources/RepriseFFI"),
        .target(name: "Reprise", dependencies: ["RepriseFFI"], path: "Sources/Reprise"),
        // Synthetic trees and touches shared by the tests and the benchmark (not a product).
        .target(name: "RepriseSamples", dependencies: ["Reprise"], path: "Sources/RepriseSamples"),
        .testTarget(name: "RepriseTests", dependencies: ["Reprise", "RepriseSamples"], path: "Tests/RepriseTests"),
        // `swift run -c release RepriseBench`: the FFI call costs (scripts/bench-swift.sh).
        .executableTarget(name: "RepriseBench", dependencies: ["Reprise", "RepriseSamples"], path: "Sources/RepriseBench"),
    ]
)
