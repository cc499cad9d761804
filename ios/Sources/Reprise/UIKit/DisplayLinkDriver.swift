// UIKit glue (NOT RUN here): one tick per frame from a CADisplayLink on the main run loop.
#if canImport(UIKit) && !os(watchOS)
import QuartzCore

final class DisplayLinkDriver: NSObject {
    private weak var recorder: ScreenRecorder?
    private var link: CADisplayLink?

    init(_ recorder: ScreenRecorder) {
        self.recorder = recorder
        super.init()
        let link = CADisplayLink(target: self, selector: #selector(tick(_:)))
        link.add(to: .main, forMode: .common)
        self.link = link
    }

    @objc private func tick(_ link: CADisplayLink) {
        guard let recorder else { link.invalidate(); return }
        recorder.frameTick(at: link.timestamp)
    }
}
#endif
