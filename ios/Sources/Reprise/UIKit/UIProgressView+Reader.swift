// UIKit glue (NOT RUN here): a progress view's `progress` and a slider's value in its range.
#if canImport(UIKit) && !os(watchOS) && !os(tvOS)
import UIKit

extension UIProgressView: ProgressLike {
    public var fraction: Double { Double(progress) }
    public var isInteractive: Bool { false }
    public var isEnabled: Bool { true }
}

extension UISlider: ProgressLike {
    public var fraction: Double {
        maximumValue > minimumValue ? Double((value - minimumValue) / (maximumValue - minimumValue)) : 0
    }
    public var isInteractive: Bool { true }
}
#endif
