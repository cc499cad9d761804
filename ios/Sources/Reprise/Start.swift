import Foundation

/// What ``Reprise/start(_:)`` needs of the platform: the device and the bundle for the metadata,
/// the clocks, the screen (nil where there is none) and the hooks that feed the recorder.
/// `UIKitEnvironment` on iOS; ``HeadlessEnvironment`` elsewhere; fakes in the tests.
public protocol PlatformEnvironment: AnyObject {
    var device: DeviceLike { get }
    var bundle: BundleLike { get }
    var clock: Clock { get }
    /// The screen to capture; nil: record only what the app records itself.
    var screen: ScreenSource? { get }
    /// Where the queue lives when the configuration names no directory.
    var defaultDataDirectory: URL { get }
    /// Installs the hooks (touches, display link, notifications, network, crashes) feeding
    /// `recorder`. Installing twice must not hook twice.
    func install(_ recorder: ScreenRecorder)
}

extension RepriseConfiguration {
    /// The one-line configuration: upload to `endpoint` with `apiKey`, the queue in the default
    /// data directory (Application Support on Apple platforms), every other setting the core's default.
    public init(endpoint: String, apiKey: String) {
        self.init(dataDir: "", upload: UploadOptions(endpoint: endpoint, apiKey: apiKey))
    }
}

extension Reprise {
    /// Starts capturing the whole app: touches of every window, view-hierarchy snapshots when
    /// the screen changes, lifecycle, keyboard, connectivity, device metadata and uncaught
    /// exceptions. Call once, on the main thread, early (e.g. in `application(_:didFinishLaunchingWithOptions:)`).
    ///
    /// ```swift
    /// let reprise = try Reprise.start(RepriseConfiguration(endpoint: "https://collector.example.com", apiKey: KEY))
    /// ```
    ///
    /// The started instance is also kept in ``current`` until ``close()``, so a local `let` in
    /// the app delegate is enough.
    /// Throws `RepriseError.Config` (a bad endpoint or setting) or `RepriseError.Storage` (the data
    /// directory cannot be used, or another instance holds it).
    public static func start(_ configuration: RepriseConfiguration) throws -> Reprise {
        try start(configuration, environment: defaultEnvironment())
    }

    /// ``start(_:)`` on the given platform (tests pass fakes).
    public static func start(_ configuration: RepriseConfiguration, environment: PlatformEnvironment) throws -> Reprise {
        var config = configuration
        if config.dataDir.isEmpty {
            let dir = environment.defaultDataDirectory
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                throw RepriseError.Storage(reason: "cannot create the data directory \(dir.path): \(error)")
            }
            config.dataDir = dir.path
        }
        let metadata = DeviceMetadata.sessionMetadata(device: environment.device, bundle: environment.bundle)
        let reprise = try Reprise(config, metadata: metadata, nowMs: environment.clock.nowMs)
        if let screen = environment.screen {
            let recorder = ScreenRecorder(reprise: reprise, source: screen, clock: environment.clock)
            reprise.screenRecorder = recorder
            environment.install(recorder)
        }
        currentLock.lock()
        currentInstance = reprise
        currentLock.unlock()
        return reprise
    }

    private static let currentLock = NSLock()
    private static var currentInstance: Reprise?

    /// The instance ``start(_:)`` started last, until it is closed.
    public static var current: Reprise? {
        currentLock.lock(); defer { currentLock.unlock() }
        return currentInstance
    }

    /// Forgets `reprise` as ``current`` (called by ``close()``).
    static func released(_ reprise: Reprise) {
        currentLock.lock(); defer { currentLock.unlock() }
        if currentInstance === reprise { currentInstance = nil }
    }

    /// Application Support on Apple platforms; elsewhere (Linux tests) `REPRISE_DATA_DIR` when
    /// set, else a `reprise-data` folder in the temporary directory.
    public static var defaultDataDirectory: URL {
        #if canImport(Darwin)
        if let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask).first { return dir }
        #endif
        if let dir = ProcessInfo.processInfo.environment["REPRISE_DATA_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir, isDirectory: true) }
        return FileManager.default.temporaryDirectory.appendingPathComponent("reprise-data", isDirectory: true)
    }

    static func defaultEnvironment() -> PlatformEnvironment {
        #if canImport(UIKit) && !os(watchOS)
        return UIKitEnvironment.shared
        #else
        return HeadlessEnvironment()
        #endif
    }
}

/// A platform without a screen (Linux, command-line tools): metadata from the process, no hooks.
public final class HeadlessEnvironment: PlatformEnvironment {
    public init() {}
    public let clock: Clock = SystemClock()
    public var bundle: BundleLike { Bundle.main }
    public var screen: ScreenSource? { nil }
    public var defaultDataDirectory: URL { Reprise.defaultDataDirectory }
    public func install(_ recorder: ScreenRecorder) {}
    public var device: DeviceLike { ProcessDevice() }

    struct ProcessDevice: DeviceLike {
        var modelIdentifier: String { DeviceMetadata.machineName() }
        var systemName: String {
            #if os(Linux)
            return "Linux"
            #else
            return "Darwin"
            #endif
        }
        var systemVersion: String {
            let v = ProcessInfo.processInfo.operatingSystemVersion
            return "\(v.majorVersion).\(v.minorVersion).\(v.patchVersion)"
        }
        var screenSize: CaptureSize { .zero }
        var screenScale: Double { 1 }
        var orientation: Orientation { .portrait }
        var localeIdentifier: String { Locale.current.identifier }
        var timeZoneIdentifier: String { TimeZone.current.identifier }
    }
}
