// UIKit glue (NOT RUN here): the touch hook. `UIApplication.sendEvent(_:)` is swizzled once; the
// replacement hands touch events to the recorder, then calls the original implementation with
// the same event, so delivery never changes. Another SDK that swizzles the same method before or
// after us is called through in the same way (each replacement calls the implementation it
// replaced), whatever the order.
#if canImport(UIKit) && !os(watchOS)
import ObjectiveC
import UIKit

enum SendEventHook {
    /// The recorder events go to (the last started one).
    static weak var recorder: ScreenRecorder?
    private static var installed = false

    /// Installs the hook once; later calls only switch the recorder.
    static func install(_ target: ScreenRecorder) {
        recorder = target
        guard !installed, let method = class_getInstanceMethod(UIApplication.self, #selector(UIApplication.sendEvent(_:))) else { return }
        installed = true
        typealias Send = @convention(c) (UIApplication, Selector, UIEvent) -> Void
        var original: IMP?
        let replacement: @convention(block) (UIApplication, UIEvent) -> Void = { app, event in
            if event.type == .touches { recorder?.touchEvent(UIKitTouchEvent(event: event)) }
            if let original { unsafeBitCast(original, to: Send.self)(app, #selector(UIApplication.sendEvent(_:)), event) }
        }
        original = method_setImplementation(method, imp_implementationWithBlock(replacement))
    }
}
#endif
