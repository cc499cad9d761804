import Foundation
import XCTest
@testable import Reprise

/// Device, bundle, connectivity, keyboard and lifecycle mapping.
final class MetadataTests: XCTestCase {
    struct Device: DeviceLike {
        var modelIdentifier = "iPhone15,2"
        var systemName = "iOS"
        var systemVersion = "17.4.1"
        var screenSize = CaptureSize(width: 393, height: 852)
        var screenScale = 3.0
        var orientation = Orientation.portrait
        var localeIdentifier = "en_GB"
        var timeZoneIdentifier = "Europe/London"
    }

    struct AppBundle: BundleLike {
        var bundleIdentifier: String? = "com.example.catalog"
        var infoDictionary: [String: Any]? = ["CFBundleShortVersionString": "4.2", "CFBundleVersion": "420"]
    }

    func testTheSessionMetadataComesFromTheDeviceAndTheBundle() {
        let m = DeviceMetadata.sessionMetadata(device: Device(), bundle: AppBundle(), network: .wifi)
        XCTAssertEqual(m.platform, .ios)
        XCTAssertEqual(m.deviceModel, "iPhone15,2")
        XCTAssertEqual(m.deviceManufacturer, "Apple")
        XCTAssertEqual(m.osName, "iOS")
        XCTAssertEqual(m.osVersion, "17.4.1")
        XCTAssertEqual(m.screenWidthPx, 1179)
        XCTAssertEqual(m.screenHeightPx, 2556)
        XCTAssertEqual(m.density, 3)
        XCTAssertEqual(m.locale, "en-GB")
        XCTAssertEqual(m.timeZone, "Europe/London")
        XCTAssertEqual(m.appId, "com.example.catalog")
        XCTAssertEqual(m.appVersion, "4.2")
        XCTAssertEqual(m.appBuild, "420")
        XCTAssertEqual(m.network, .wifi)
        let bare = DeviceMetadata.sessionMetadata(device: Device(), bundle: AppBundle(bundleIdentifier: nil, infoDictionary: nil))
        XCTAssertEqual(bare.appVersion, "")
        XCTAssertEqual(bare.appId, "")
    }

    func testConnectivityAsNWPathMonitorGivesIt() {
        XCTAssertEqual(NetworkPath(status: .satisfied, interfaces: [.wifi, .cellular]).networkType, .wifi)
        XCTAssertEqual(NetworkPath(status: .satisfied, interfaces: [.cellular]).networkType, .cellular)
        XCTAssertEqual(NetworkPath(status: .satisfied, interfaces: [.loopback, .wiredEthernet]).networkType, .ethernet)
        XCTAssertEqual(NetworkPath(status: .satisfied, interfaces: [.other]).networkType, .other)
        XCTAssertEqual(NetworkPath(status: .satisfied, interfaces: []).networkType, .unknown)
        XCTAssertEqual(NetworkPath(status: .unsatisfied, interfaces: [.wifi]).networkType, .offline)
        XCTAssertEqual(NetworkPath(status: .requiresConnection, interfaces: [.cellular]).networkType, .offline)
    }

    func testKeyboardFramesBecomeShownWithAHeightOrHidden() {
        let screen = CaptureSize(width: 390, height: 844)
        let shown = KeyboardChange(endFrame: CaptureRect(x: 0, y: 508, width: 390, height: 336), screen: screen)
        XCTAssertTrue(shown.isVisible)
        XCTAssertEqual(shown.height, 336)
        XCTAssertFalse(KeyboardChange(endFrame: CaptureRect(x: 0, y: 844, width: 390, height: 336), screen: screen).isVisible, "moved below the screen")
        XCTAssertFalse(KeyboardChange(endFrame: nil, screen: screen).isVisible)
        XCTAssertEqual(KeyboardChange(endFrame: CaptureRect(x: 0, y: 700, width: 390, height: 336), screen: screen).height, 144, "partly off screen")
    }

    func testLifecycleNotifications() {
        XCTAssertEqual(AppLifecycle.lifecycle(forNotification: "UIApplicationWillEnterForegroundNotification"), .foreground)
        XCTAssertEqual(AppLifecycle.lifecycle(forNotification: "UIApplicationDidEnterBackgroundNotification"), .background)
        XCTAssertEqual(AppLifecycle.lifecycle(forNotification: "UIApplicationWillTerminateNotification"), .terminate)
        XCTAssertNil(AppLifecycle.lifecycle(forNotification: "UIApplicationDidBecomeActiveNotification"))
    }

    func testTheCrashMessageKeepsTheTopOfTheStack() {
        let text = CrashRecorder.message(name: "NSRangeException", reason: "index 3 beyond bounds",
                                         callStack: (0..<20).map { "frame \($0)" })
        XCTAssertTrue(text.hasPrefix("Uncaught exception NSRangeException: index 3 beyond bounds\nframe 0"))
        XCTAssertTrue(text.contains("frame 7"))
        XCTAssertFalse(text.contains("frame 8"))
    }

    func testOrientationFromTheScreenSize() {
        XCTAssertEqual(DeviceMetadata.orientation(of: CaptureSize(width: 844, height: 390)), .landscape)
        XCTAssertEqual(DeviceMetadata.orientation(of: CaptureSize(width: 390, height: 844)), .portrait)
    }
}

extension MetadataTests {
    func testTheModelIdentifierIsTheMachineOrTheSimulatedDevice() {
        XCTAssertEqual(DeviceMetadata.modelIdentifier(environment: [:], machine: "iPhone15,2"), "iPhone15,2")
        XCTAssertEqual(DeviceMetadata.modelIdentifier(environment: ["SIMULATOR_MODEL_IDENTIFIER": "iPhone16,1"], machine: "arm64"), "iPhone16,1")
        XCTAssertFalse(DeviceMetadata.machineName().isEmpty, "uname works here")
    }
}
