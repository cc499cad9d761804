// UIKit glue (NOT RUN here): the device, the screen, and the hooks Reprise.start installs.
#if canImport(UIKit) && !os(watchOS)
import Foundation
import Network
import UIKit

final class UIKitEnvironment: PlatformEnvironment, ScreenSource {
    static let shared = UIKitEnvironment()
    let clock: Clock = SystemClock()
    var bundle: BundleLike { Bundle.main }
    var screen: ScreenSource? { self }
    var defaultDataDirectory: URL { Reprise.defaultDataDirectory }
    var device: DeviceLike { UIKitDevice() }
    private var driver: DisplayLinkDriver?
    private var observers: [NSObjectProtocol] = []
    private let pathMonitor = NWPathMonitor()

    var scenes: [any SceneLike] { UIApplication.shared.connectedScenes.compactMap { $0 as? UIWindowScene } }
    var screenSize: CaptureSize { CaptureSize(width: Double(UIScreen.main.bounds.width), height: Double(UIScreen.main.bounds.height)) }
    var screenScale: Double { Double(UIScreen.main.scale) }
    var orientation: Orientation { DeviceMetadata.orientation(of: screenSize) }

    func install(_ recorder: ScreenRecorder) {
        SendEventHook.install(recorder)
        CrashHook.install(recorder)
        driver = DisplayLinkDriver(recorder)
        observers.forEach { NotificationCenter.default.removeObserver($0) }
        observers = AppLifecycle.observed.map { name in
            NotificationCenter.default.addObserver(forName: Notification.Name(name), object: nil, queue: .main) { [weak recorder] _ in
                recorder?.notification(name)
            }
        }
        observers.append(NotificationCenter.default.addObserver(
            forName: UIResponder.keyboardWillChangeFrameNotification, object: nil, queue: .main) { [weak recorder] note in
            let end = (note.userInfo?[UIResponder.keyboardFrameEndUserInfoKey] as? NSValue)?.cgRectValue
            recorder?.keyboardChanged(endFrame: end.map(CaptureRect.init))
        })
        pathMonitor.pathUpdateHandler = { [weak recorder] path in
            let snapshot = NetworkPath(path)
            DispatchQueue.main.async { recorder?.pathChanged(snapshot) }
        }
        pathMonitor.start(queue: DispatchQueue(label: "dev.reprise.path"))
    }
}

extension NetworkPath {
    init(_ path: NWPath) {
        let status: Status = path.status == .satisfied ? .satisfied : (path.status == .requiresConnection ? .requiresConnection : .unsatisfied)
        self.init(status: status, interfaces: path.availableInterfaces.map { i -> Interface in
            switch i.type {
            case .wifi: return .wifi
            case .cellular: return .cellular
            case .wiredEthernet: return .wiredEthernet
            case .loopback: return .loopback
            default: return .other
            }
        })
    }
}

struct UIKitDevice: DeviceLike {
    var modelIdentifier: String { DeviceMetadata.modelIdentifier() }
    var systemName: String { UIDevice.current.systemName }
    var systemVersion: String { UIDevice.current.systemVersion }
    var screenSize: CaptureSize { UIKitEnvironment.shared.screenSize }
    var screenScale: Double { UIKitEnvironment.shared.screenScale }
    var orientation: Orientation { UIKitEnvironment.shared.orientation }
    var localeIdentifier: String { Locale.current.identifier }
    var timeZoneIdentifier: String { TimeZone.current.identifier }
}
#endif
