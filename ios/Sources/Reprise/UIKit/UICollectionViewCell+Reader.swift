// UIKit glue (NOT RUN here): collection cells are tappable containers.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UICollectionViewCell: CellLike {}
#endif
