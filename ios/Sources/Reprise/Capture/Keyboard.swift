/// The keyboard after a `keyboardWillChangeFrame` (or show/hide) notification.
public struct KeyboardChange: Equatable, Sendable {
    /// The keyboard's frame on screen while it is shown.
    public let frame: CaptureRect?
    /// Its visible height in points (0 when hidden).
    public let height: Double
    public var isVisible: Bool { frame != nil }

    /// From the end frame in screen points: a frame that does not reach into the screen (moved
    /// below it, or zero) means hidden; a floating or split keyboard counts with its own height.
    public init(endFrame: CaptureRect?, screen: CaptureSize) {
        let bounds = CaptureRect(x: 0, y: 0, width: screen.width, height: screen.height)
        guard let end = endFrame, end.size.height > 0, end.size.width > 0, end.intersects(bounds) else {
            frame = nil; height = 0; return
        }
        frame = end
        height = min(end.maxY, screen.height) - max(end.minY, 0)
    }
}
