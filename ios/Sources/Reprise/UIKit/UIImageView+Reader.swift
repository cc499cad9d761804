// UIKit glue (NOT RUN here): an image view is a placeholder; only whether it has an image is read.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UIImageView: ImageViewLike {
    public var hasImage: Bool { image != nil }
}
#endif
