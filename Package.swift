// swift-tools-version:5.10
// Reprise for Swift, at the repository root so that the package can be added by URL:
//   .package(url: "https://github.com/OWNER/reprise", from: "0.1.0"), product "Reprise".
// The facade and the platform layer (`Reprise`, ios/Sources/Reprise) over UniFFI's generated
// bindings (`RepriseFFI`, in Swift 5 language mode, which tools 5.10 use for every target) and the
// native library:
//   Linux (tests, benchmarks; what runs here): the host-built libreprise_ffi.so through a
//     system-library target; scripts/test-swift.sh passes its directory:
//     swift test -Xlinker -L<dir> -Xlinker -rpath -Xlinker <dir>
//   Apple platforms: the RepriseFFI XCFramework (scripts/build-xcframework.sh; NOT RUN here). In a
//     checkout it is the local ios/RepriseFFI.xcframework (git-ignored, built first). A release
//     replaces the path with the zipped XCFramework attached to the release:
//       .binaryTarget(name: "RepriseFFIFFI", url: "https://github.com/OWNER/reprise/releases/download/0.1.0/RepriseFFI.xcframework.zip",
//                     checksum: "<swift package compute-checksum RepriseFFI.xcframework.zip>")
//     (the release steps are in scripts/build-xcframework.sh).
import PackageDescription

#if os(Linux)
// The generated modulemap (ios/Sources/RepriseFFIFFI) has no `link` line; this one adds it.
let native: Target = .systemLibrary(name: "RepriseFFIFFI", path: "ios/Sources/RepriseFFILinux")
#else
let native: Target = .binaryTarget(name: "RepriseFFIFFI", path: "ios/RepriseFFI.xcframework")
#endif

let package = Package(
    name: "Reprise",
    platforms: [.iOS(.v13), .macOS(.v10_15)],
    products: [
        .library(name: "Reprise", targets: ["Reprise"]),
    ],
    targets: [
        native,
        .target(name: "RepriseFFI", dependencies: ["RepriseFFIFFI"], path: "ios/Sources/RepriseFFI"),
        .target(name: "Reprise", dependencies: ["RepriseFFI"], path: "ios/Sources/Reprise"),
        // Fake UIKit, synthetic trees and touches shared by the tests and the benchmark (not a product).
        .target(name: "RepriseSamples", dependencies: ["Reprise"], path: "ios/Sources/RepriseSamples"),
        .testTarget(name: "RepriseTests", dependencies: ["Reprise", "RepriseSamples"], path: "ios/Tests/RepriseTests"),
        // `swift run -c release RepriseBench`: the FFI call costs and the capture (scripts/bench-swift.sh).
        .executableTarget(name: "RepriseBench", dependencies: ["Reprise", "RepriseSamples"], path: "ios/Sources/RepriseBench"),
    ]
)
