// UIKit glue (NOT RUN here): what the label reader reads.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UILabel: LabelLike {
    public var textARGB: UInt32? { textColor.flatMap(ARGB.of) }
    public var fontPointSize: Double { Double(font?.pointSize ?? 0) }
}
#endif
