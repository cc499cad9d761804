// UIKit glue (NOT RUN here): table cells are tappable containers.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UITableViewCell: CellLike {}
#endif
