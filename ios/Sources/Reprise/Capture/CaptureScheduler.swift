/// Why a capture happens.
public enum CaptureReason: Equatable, Sendable {
    /// The top view controller changed: a new screen, captured at once.
    case newScreen
    /// The orientation or the screen size changed, captured at once.
    case orientation
    /// Something marked the screen dirty (a touch, the keyboard, a layout pass).
    case changed
    /// The periodic check: the walk runs, and the tree crosses the FFI only if it differs.
    case check
}

/// What the display-link tick sees of the screen without walking it: cheap to read every frame.
public struct ScreenProbe: Equatable, Sendable {
    public var topViewController: String?
    public var orientation: Orientation
    public var size: CaptureSize
    public init(topViewController: String?, orientation: Orientation, size: CaptureSize) {
        self.topViewController = topViewController; self.orientation = orientation; self.size = size
    }
}

/// Decides on each display-link tick whether to capture: at once when the top view controller or
/// the orientation changed; otherwise when the screen is dirty, at most `maxPerSecond` times a
/// second (default 4); and at least every `checkInterval` seconds to catch changes nothing
/// reported. When walks take longer than `walkBudget`, the interval doubles (up to 2 s) and
/// comes back once they are fast again, so that capture never takes a large share of the main
/// thread. Times are seconds on any monotonic clock (the display link's uptime).
public final class CaptureScheduler {
    public let minInterval: Double
    public let checkInterval: Double
    public let walkBudget: Double
    /// The interval in force (grows when walks exceed the budget).
    public private(set) var interval: Double
    private var lastCapture: Double?
    private var lastProbe: ScreenProbe?
    private var dirty = true

    public init(maxPerSecond: Double = 4, checkInterval: Double = 1, walkBudget: Double = 0.004) {
        minInterval = 1 / max(0.1, maxPerSecond)
        self.checkInterval = max(minInterval, checkInterval)
        self.walkBudget = walkBudget
        interval = minInterval
    }

    /// Something changed on screen (a touch, a notification, a layout pass).
    public func markDirty() { dirty = true }

    /// The decision for the tick at `now`; nil: no capture this frame.
    public func tick(at now: Double, probe: ScreenProbe) -> CaptureReason? {
        if let last = lastProbe {
            if last.topViewController != probe.topViewController { return .newScreen }
            if last.orientation != probe.orientation || last.size != probe.size { return .orientation }
        } else {
            return .newScreen
        }
        guard let last = lastCapture else { return .changed }
        let elapsed = now - last
        if elapsed < interval { return nil }
        if dirty { return .changed }
        return elapsed >= checkInterval ? .check : nil
    }

    /// A capture ran at `now` and its walk took `walkSeconds`.
    public func didCapture(at now: Double, probe: ScreenProbe, walkSeconds: Double) {
        lastCapture = now
        lastProbe = probe
        dirty = false
        if walkSeconds > walkBudget {
            interval = min(2, interval * 2)
        } else if interval > minInterval {
            interval = max(minInterval, interval / 2)
        }
    }
}
