// UIKit glue (NOT RUN here): what the button reader reads.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UIButton: ButtonLike {
    public var titleText: String? { currentTitle ?? titleLabel?.text }
    public var textARGB: UInt32? { ARGB.of(currentTitleColor) }
    public var fontPointSize: Double { Double(titleLabel?.font.pointSize ?? 0) }
}
#endif
