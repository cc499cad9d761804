// UIKit glue (NOT RUN here): what the text-view reader reads (the offset comes from UIScrollView).
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UITextView: TextViewLike {
    public var textARGB: UInt32? { textColor.flatMap(ARGB.of) }
    public var fontPointSize: Double { Double(font?.pointSize ?? 0) }
}
#endif
