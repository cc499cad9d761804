import Foundation
@testable import Reprise
import RepriseSamples

/// A clock the test moves by hand.
final class FakeClock: Clock {
    var uptimeSeconds: Double
    let bootUnixSeconds: Double
    init(unix: Double = Date().timeIntervalSince1970, uptime: Double = 1_000) {
        bootUnixSeconds = unix - uptime
        uptimeSeconds = uptime
    }
    var unixSeconds: Double { bootUnixSeconds + uptimeSeconds }
    func advance(_ seconds: Double) { uptimeSeconds += seconds }
}

/// The screen: scenes of fake windows, the size (swapped by a rotation) and the scale.
final class FakeScreen: ScreenSource {
    var sceneList: [FakeScene]
    var screenSize: CaptureSize
    var screenScale: Double
    init(_ scenes: [FakeScene], size: CaptureSize, scale: Double) { sceneList = scenes; screenSize = size; screenScale = scale }
    var scenes: [any SceneLike] { sceneList }
    var orientation: Orientation { DeviceMetadata.orientation(of: screenSize) }
}

/// An iPhone SE (1st generation) like the one the UICatalog dump came from.
struct FakeDevice: DeviceLike {
    let screen: FakeScreen
    var modelIdentifier: String { "iPhone8,4" }
    var systemName: String { "iOS" }
    var systemVersion: String { "10.3.3" }
    var screenSize: CaptureSize { screen.screenSize }
    var screenScale: Double { screen.screenScale }
    var orientation: Orientation { screen.orientation }
    var localeIdentifier: String { "en_US" }
    var timeZoneIdentifier: String { "America/Los_Angeles" }
}

struct FakeBundle: BundleLike {
    var bundleIdentifier: String? { "com.example.apple-samplecode.UICatalog" }
    var infoDictionary: [String: Any]? { ["CFBundleShortVersionString": "11.3", "CFBundleVersion": "1103"] }
}

/// The platform Reprise.start sees in the tests: fakes, and a record of what was installed.
final class FakeEnvironment: PlatformEnvironment {
    let fakeClock: FakeClock
    let fakeScreen: FakeScreen
    let dataDirectory: URL
    private(set) var installed: [ScreenRecorder] = []
    init(screen: FakeScreen, clock: FakeClock, dataDirectory: URL) {
        fakeScreen = screen; fakeClock = clock; self.dataDirectory = dataDirectory
    }
    var device: DeviceLike { FakeDevice(screen: fakeScreen) }
    var bundle: BundleLike { FakeBundle() }
    var clock: Clock { fakeClock }
    var screen: ScreenSource? { fakeScreen }
    var defaultDataDirectory: URL { dataDirectory }
    func install(_ recorder: ScreenRecorder) { installed.append(recorder) }
}
