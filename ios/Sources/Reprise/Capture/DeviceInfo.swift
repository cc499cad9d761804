import Foundation
import RepriseFFI

/// What the session metadata reads of the device (`UIDevice`, `UIScreen`, `utsname`, `Locale`).
public protocol DeviceLike {
    /// The hardware model identifier (`utsname.machine`: "iPhone15,2"; the simulator's
    /// `SIMULATOR_MODEL_IDENTIFIER`).
    var modelIdentifier: String { get }
    /// `UIDevice.systemName` ("iOS", "iPadOS").
    var systemName: String { get }
    /// `UIDevice.systemVersion` ("17.4").
    var systemVersion: String { get }
    /// `UIScreen.main.bounds.size` in points, following the orientation.
    var screenSize: CaptureSize { get }
    /// `UIScreen.main.scale`.
    var screenScale: Double { get }
    var orientation: Orientation { get }
    /// `Locale.current.identifier` ("en_GB").
    var localeIdentifier: String { get }
    /// `TimeZone.current.identifier` ("Europe/London").
    var timeZoneIdentifier: String { get }
}

/// What the metadata reads of the app's bundle; `Bundle` conforms as it is.
public protocol BundleLike {
    var bundleIdentifier: String? { get }
    var infoDictionary: [String: Any]? { get }
}

extension Bundle: BundleLike {}

/// The session metadata of an iOS app.
public enum DeviceMetadata {
    /// The SDK's version, recorded with every session.
    public static let sdkVersion = "0.1.0"

    public static func sessionMetadata(device: DeviceLike, bundle: BundleLike, network: NetworkType = .unknown) -> SessionMetadata {
        let info = bundle.infoDictionary ?? [:]
        let size = device.screenSize, scale = device.screenScale > 0 ? device.screenScale : 1
        return SessionMetadata(
            platform: .ios, osName: device.systemName, osVersion: device.systemVersion, deviceManufacturer: "Apple",
            deviceModel: device.modelIdentifier,
            screenWidthPx: UInt32(max(0, size.width * scale).rounded()), screenHeightPx: UInt32(max(0, size.height * scale).rounded()),
            density: Float(scale), orientation: device.orientation,
            locale: device.localeIdentifier.replacingOccurrences(of: "_", with: "-"),
            timeZone: device.timeZoneIdentifier,
            appId: bundle.bundleIdentifier ?? "",
            appVersion: info["CFBundleShortVersionString"] as? String ?? "",
            appBuild: info["CFBundleVersion"] as? String ?? "",
            sdkVersion: sdkVersion, network: network
        )
    }

    /// The hardware model identifier: the simulator's `SIMULATOR_MODEL_IDENTIFIER` when set (a
    /// simulator's `utsname.machine` is the Mac's "arm64"), else `machine`.
    public static func modelIdentifier(environment: [String: String] = ProcessInfo.processInfo.environment,
                                       machine: String = machineName()) -> String {
        if let simulated = environment["SIMULATOR_MODEL_IDENTIFIER"], !simulated.isEmpty { return simulated }
        return machine
    }

    /// `utsname.machine`: "iPhone15,2" on a device, "x86_64" on this Linux machine.
    public static func machineName() -> String {
        var info = utsname()
        guard uname(&info) == 0 else { return "" }
        return withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// An orientation from a screen size: landscape when wider than tall.
    public static func orientation(of size: CaptureSize) -> Orientation {
        size.width > size.height ? .landscape : .portrait
    }
}
