// UIKit glue (NOT RUN here): the scroll offset (UITableView, UICollectionView and UITextView inherit it).
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UIScrollView: ScrollViewLike {
    public var scrollOffset: CapturePoint { CapturePoint(contentOffset) }
}
#endif
