import Foundation

/// The platform layer's loop, UIKit-free: touch events in from the `sendEvent` hook, a tick per
/// display-link frame (touches drained in one FFI call; a capture when the scheduler says so, the
/// tree in one FFI call), keyboard, lifecycle, connectivity and crashes routed to the core. It
/// decides nothing the core decides; a failing core call is counted, never thrown into the app.
/// Main thread only.
public final class ScreenRecorder {
    /// Counters of the platform layer (the core's are ``Reprise/stats``).
    public struct Stats: Equatable, Sendable {
        /// Walks of the screen.
        public var captures = 0
        /// Trees handed to the core (walks whose tree equals the last one are not).
        public var snapshotsSent = 0
        public var unchangedSkipped = 0
        /// Touch batches handed to the core (one per frame with touches).
        public var touchBatches = 0
        /// Core calls that failed (each also in ``ScreenRecorder/lastError``).
        public var errors = 0
        /// The last and the longest walk, in seconds of the main thread.
        public var lastWalkSeconds = 0.0
        public var maxWalkSeconds = 0.0
    }

    public private(set) var stats = Stats()
    public private(set) var lastError: Error?
    public let walker: ViewWalker
    public let scheduler: CaptureScheduler
    private weak var reprise: Reprise?
    private let source: ScreenSource
    private let clock: Clock
    private let touches: TouchBatcher
    private var keyboardFrame: CaptureRect?
    private var lastTree: ViewTree?
    private var lastProbe: ScreenProbe?

    public init(reprise: Reprise, source: ScreenSource, clock: Clock = SystemClock(),
                walker: ViewWalker = ViewWalker(), scheduler: CaptureScheduler = CaptureScheduler()) {
        self.reprise = reprise
        self.source = source
        self.clock = clock
        self.walker = walker
        self.scheduler = scheduler
        touches = TouchBatcher(scale: source.screenScale, uptimeToUnixSeconds: clock.uptimeToUnixSeconds)
    }

    // MARK: - Input from the hooks

    /// One touch event, from the `sendEvent` hook (which then forwards it unchanged).
    public func touchEvent(_ event: any TouchEventLike) {
        scheduler.markDirty()
        if touches.add(event) { flushTouches() }
    }

    /// One display-link frame at `uptime` seconds: the frame's touches, then a capture if due.
    public func frameTick(at uptime: Double) {
        flushTouches()
        let probe = ScreenProbe(topViewController: topViewController(), orientation: source.orientation, size: source.screenSize)
        guard let reason = scheduler.tick(at: uptime, probe: probe) else { return }
        capture(reason, probe: probe, at: uptime)
    }

    /// Something changed that the tick cannot see (a layout pass, a view controller's content).
    public func setNeedsCapture() { scheduler.markDirty() }

    /// The keyboard's frame at the end of its animation (`keyboardFrameEndUserInfoKey`), in
    /// screen points; nil or off screen: hidden.
    public func keyboardChanged(endFrame: CaptureRect?) {
        let change = KeyboardChange(endFrame: endFrame, screen: source.screenSize)
        keyboardFrame = change.frame
        record { try $0.keyboard(visible: change.isVisible, heightPx: Float(change.height * source.screenScale), timeMs: clock.nowMs) }
        scheduler.markDirty()
    }

    /// An application notification, by name; lifecycle ones become the core's lifecycle.
    public func notification(_ name: String) {
        guard let lifecycle = AppLifecycle.lifecycle(forNotification: name) else { return }
        if lifecycle != .foreground {
            flushTouches()
            touches.reset()
        }
        record { try $0.lifecycle(lifecycle, timeMs: clock.nowMs) }
        if lifecycle == .foreground { scheduler.markDirty() }
    }

    /// The network path changed (`NWPathMonitor`'s update handler).
    public func pathChanged(_ path: NetworkPath) {
        record { try $0.connectivity(path.networkType, timeMs: clock.nowMs) }
    }

    /// An uncaught exception: recorded as an error and persisted before the process dies (the
    /// core's flush is synchronous and bounded). The next start uploads it.
    public func uncaughtException(name: String, reason: String?, callStack: [String]) {
        // The handler runs on the thread that threw; the touch batch belongs to the main thread.
        if Thread.isMainThread { flushTouches() }
        guard let reprise else { return }
        CrashRecorder.record(reprise, name: name, reason: reason, callStack: callStack, timeMs: clock.nowMs)
    }

    // MARK: - Capture

    /// The tree a snapshot would send now, every window read as a capture reads them, without
    /// recording it. Masking happens in the core: write it with ``ViewTree/json()`` and give it
    /// to `reprise preview TREE.json --density SCALE` to see it as it would be stored.
    public func screenTree() -> ViewTree {
        let geometry = ScreenGeometry(size: source.screenSize, scale: source.screenScale, keyboardFrame: keyboardFrame)
        return walker.capture(ViewWalker.windows(of: source.scenes), screen: geometry)
    }

    /// Walks the screen now and hands the tree over if it changed.
    public func captureNow() {
        let probe = ScreenProbe(topViewController: topViewController(), orientation: source.orientation, size: source.screenSize)
        capture(.changed, probe: probe, at: clock.uptimeSeconds)
    }

    private func capture(_ reason: CaptureReason, probe: ScreenProbe, at uptime: Double) {
        let now = clock.nowMs
        if probe.topViewController != lastProbe?.topViewController, let name = probe.topViewController {
            record { try $0.screenView(name, timeMs: now) }
        }
        if probe.orientation != lastProbe?.orientation || probe.size != lastProbe?.size {
            let scale = source.screenScale
            record {
                try $0.viewport(widthPx: UInt32(max(0, probe.size.width * scale).rounded()),
                                heightPx: UInt32(max(0, probe.size.height * scale).rounded()),
                                density: Float(scale), orientation: probe.orientation, timeMs: now)
            }
        }
        lastProbe = probe
        let started = clock.uptimeSeconds
        let windows = ViewWalker.windows(of: source.scenes)
        let geometry = ScreenGeometry(size: probe.size, scale: source.screenScale, keyboardFrame: keyboardFrame)
        let tree = walker.capture(windows, screen: geometry)
        let walk = max(0, clock.uptimeSeconds - started)
        stats.captures += 1
        stats.lastWalkSeconds = walk
        stats.maxWalkSeconds = max(stats.maxWalkSeconds, walk)
        scheduler.didCapture(at: uptime, probe: probe, walkSeconds: walk)
        if tree == lastTree {
            stats.unchangedSkipped += 1
            return
        }
        lastTree = tree
        stats.snapshotsSent += 1
        record { try $0.snapshot(tree, timeMs: now) }
    }

    private func flushTouches() {
        let batch = touches.drain()
        guard !batch.isEmpty else { return }
        stats.touchBatches += 1
        record { try $0.touches(batch) }
    }

    /// The top view controller of the highest window that has one (alerts and sheets included).
    private func topViewController() -> String? {
        ViewWalker.windows(of: source.scenes).reversed().lazy.compactMap(\.topViewControllerName).first
    }

    private func record(_ call: (Reprise) throws -> Void) {
        guard let reprise else { return }
        do {
            try call(reprise)
        } catch {
            stats.errors += 1
            lastError = error
        }
    }
}
