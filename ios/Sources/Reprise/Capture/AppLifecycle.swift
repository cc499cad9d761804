/// UIApplication's notifications and what they are to the core.
public enum AppLifecycle {
    /// `UIApplication.willEnterForegroundNotification` and the others, by raw name.
    public static let willEnterForeground = "UIApplicationWillEnterForegroundNotification"
    public static let didEnterBackground = "UIApplicationDidEnterBackgroundNotification"
    public static let willTerminate = "UIApplicationWillTerminateNotification"
    /// The names observed by the UIKit layer.
    public static let observed = [willEnterForeground, didEnterBackground, willTerminate]

    /// The core's lifecycle for a notification; nil for the ones it does not care about. Going to
    /// the background makes the core seal and persist the open segment.
    public static func lifecycle(forNotification name: String) -> Lifecycle? {
        switch name {
        case willEnterForeground: return .foreground
        case didEnterBackground: return .background
        case willTerminate: return .terminate
        default: return nil
        }
    }
}
